// The Train view's Sharpness chart: λmax of the watched run at each
// measurement, with its stability threshold dashed (following a schedule's
// α), in the colours of the exported figure (λmax figures.Palette[6], the
// threshold Palette[7]). Under the chart, the measurement at the cursor (the
// latest one otherwise): the step, λmax, the threshold and α·λmax/2. A run
// that diverged shows, in red, where λmax was first above its threshold.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Chart, palette, join, marker, DIVERGED } from "./charts.js";
import { Status } from "./protocol.js";
import { fmtNum } from "./format.js";
import { runMenu } from "./downloads.js";
import { marksOf, factor, thresholdLine, crossing, divergedNote, nearest, readout, about, sharpName, thresholdName } from "./sharpness.js";

export const SHARP_COLOR = palette[6], THRESHOLD_COLOR = palette[7];

/** lineKey is a legend's sample of a line: solid for λmax, dashed for a threshold. */
export function lineKey(color, dashed) {
  return h("span", { class: `line-key${dashed ? " dashed" : ""}`, style: `border-color:${color}`, "aria-hidden": "true" });
}

/** yRange is a sharpness axis: from 0 (or below the smallest on a log axis) to a little above the largest. */
export function sharpRange(log) {
  return (u, lo, hi) => {
    if (hi == null || !isFinite(hi)) return log ? [0.1, 10] : [0, 1];
    return log ? [Math.max(lo, 1e-12) / 1.5, hi * 1.5] : [0, hi * 1.08 || 1];
  };
}

export class SharpnessCard {
  /** source: {run()} of the Train view; onEdge() sets up and starts the edge of stability's run. */
  constructor(hello, source, onEdge) {
    this.hello = hello;
    this.box = h("div", { class: "plot", "data-chart": "sharpness" });
    this.logY = h("input", { type: "checkbox", id: "sharp-logy" });
    this.logY.addEventListener("change", () => { this.make(); this.draw(this.run, this.moment); });
    this.note = h("p", { class: "muted small sharp-note" });
    this.keys = h("p", { class: "small sharp-keys" });
    this.read = h("p", { class: "sharp-read" });
    this.cross = h("p", { class: "small sharp-cross" });
    this.edge = tx("button", "sharpEdge", { type: "button", "data-act": "sharpEdge", onclick: onEdge });
    const menu = runMenu({ id: () => { const r = source.run(); return r && r.steps.sharpnessStep.length ? r.id : null; }, smoothing: () => 0 }, "sharpness");
    const head = h("div", { class: "chart-head" }, tx("h3", "sharpChart"),
      h("div", { class: "chart-controls" }, h("label", { class: "inline", for: "sharp-logy" }, this.logY, tx("span", "logY"))), menu);
    this.el = h("div", { class: "card chart wide sharp-card" }, head, this.note, this.box, this.keys, this.read, this.cross,
      h("div", { class: "sharp-edge" }, this.edge, tx("span", "sharpEdgeNote", { class: "hint" })));
    this.make();
  }

  make() {
    if (this.chart) this.chart.destroy();
    const log = this.logY.checked;
    this.chart = new Chart(this.box, {
      xLabel: () => t("axisStep"), yLabel: () => t(this.adam ? "axisSharpAdam" : "axisSharp") + (log ? t("logSuffix") : ""),
      xInt: true, height: 230, logY: log, legend: false, yRange: sharpRange(log),
      series: [{ label: "λmax", color: SHARP_COLOR, width: 2, points: true }, { label: t("sharpThreshold"), color: THRESHOLD_COLOR, width: 1.5, dash: [6, 4] }],
      draw: (u) => this.drawCross(u),
      hooks: { setCursor: [(u) => this.hover(u)] },
    });
  }

  /** draw shows run r up to step index i of a replay (all of it when i is null), or nothing. */
  draw(r, i = null) {
    this.run = r;
    this.moment = i;
    const info = r && r.info;
    const adam = !!info && sharpName(info.config) !== "λmax";
    if (adam !== !!this.adam) { this.adam = adam; this.make(); }
    this.m = r ? marksOf(r, i == null ? Infinity : r.steps.step[i]) : null;
    if (!r || !info.sharpness) {
      this.chart.setData([[], [], []]);
      this.note.textContent = r ? t("sharpUntracked") : t("sharpNoRun");
      this.keys.replaceChildren();
      this.read.textContent = this.cross.textContent = "";
      return;
    }
    const [lx, ly] = thresholdLine(r.steps, factor(this.m), i == null ? r.steps.step.length : i + 1);
    this.chart.setData(this.m.step.length || lx.length ? join([[this.m.step, this.m.value], [lx, ly]]) : [[], [], []]);
    this.note.textContent = about(this.hello, info);
    const th = thresholdName(this.hello, info.config);
    this.keys.replaceChildren(lineKey(SHARP_COLOR), sharpName(info.config), th ? " " : "", th ? lineKey(THRESHOLD_COLOR, true) : "",
      th ? `${t("sharpThreshold")} ${th}` : "");
    this.showCross(r);
    this.hover(null);
  }

  /** showCross says where λmax was first above its threshold; in red, with a ✕, for a run that diverged. */
  showCross(r) {
    const diverged = r.info.status === Status.diverged;
    const note = diverged ? divergedNote(this.m, r.info) : null, c = crossing(this.m);
    this.crossAt = note && note.at;
    this.cross.classList.toggle("diverged", diverged);
    this.cross.textContent = note ? note.text : c ? t("sharpCross", { s: c.step.toLocaleString(), v: fmtNum(c.value, 3), th: fmtNum(c.threshold, 3) }) : "";
  }

  drawCross(u) { if (this.crossAt) marker(u, this.crossAt.step, this.crossAt.value, DIVERGED); }

  /** hover writes the measurement nearest the cursor, or the latest when the cursor is away. */
  hover(u) {
    if (!this.m || !this.run) return;
    const idx = u && u.cursor.idx, x = idx != null && u.cursor.left >= 0 ? u.data[0][idx] : Infinity;
    const i = nearest(this.m, x);
    this.read.textContent = i < 0 ? t("sharpWait") : readout(this.hello, this.run.info.config, this.m, i);
  }

  relabel() { this.make(); this.draw(this.run, this.moment); }
}
