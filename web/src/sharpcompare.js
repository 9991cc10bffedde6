// The Compare view's sharpness: every lane's λmax overlaid, each with its own
// threshold dashed in its colour (lane i in palette[i], as the sweep's
// sharpness figure draws it), against the epochs as the loss overlay. A lane
// that diverged is marked, in red, where its λmax was first above its
// threshold. Under the chart, each lane's measurement at the cursor.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Chart, join, marker, DIVERGED } from "./charts.js";
import { Status } from "./protocol.js";
import { fmtNum } from "./format.js";
import { downloadMenu, figureLinks, dataLinks } from "./downloads.js";
import { runColor } from "./comparecharts.js";
import { tracks, marksOf, factor, thresholdLine, divergedNote, nearest } from "./sharpness.js";
import { lineKey, sharpRange } from "./sharpchart.js";

export class SharpnessOverlay {
  /** source: {sweep()} of the Compare view (the sweep shown: its id). */
  constructor(source) {
    this.box = h("div", { class: "plot", "data-chart": "sharpness-overlay" });
    this.note = h("p", { class: "muted small sharp-note" });
    this.keys = h("p", { class: "small sharp-keys" });
    this.read = h("p", { class: "sharp-read small" });
    this.cross = h("div", { class: "small sharp-cross" });
    const menu = downloadMenu(() => {
      const s = source.sweep();
      if (!s || !(this.runs || []).some((r) => r.steps.sharpnessStep.length)) return [];
      return [...figureLinks(`/api/export/sweep/${encodeURIComponent(s.id)}/sharpness`), ...dataLinks("sweep", s.id)];
    });
    this.el = h("div", { class: "card chart sharp-card" }, h("div", { class: "dl-head" }, tx("h3", "sharpOverlay"), menu),
      this.note, this.box, this.keys, this.read, this.cross);
  }

  /** draw overlays the lanes of runs; label(r) names a lane. */
  draw(runs, label) {
    this.runs = runs;
    this.label = label;
    const key = runs.map((r) => r.id).join(",");
    if (!this.chart || this.key !== key) this.make(runs, key);
    this.lanes = runs.map((r) => ({ r, m: marksOf(r), spe: r.info.stepsPerEpoch || 1 }));
    const tables = this.lanes.flatMap(({ r, m, spe }) => {
      const [lx, ly] = thresholdLine(r.steps, factor(m));
      return [[m.step.map((s) => s / spe), m.value], [lx.map((s) => s / spe), ly]];
    });
    const any = tables.some((tb) => tb[0].length);
    this.chart.setData(any ? join(tables) : [[], ...tables.map(() => [])]);
    const tracked = runs.some((r) => r.info.sharpness);
    this.note.textContent = !runs.length ? "" : tracked ? t("sharpOverlayAbout") : t("sharpOverlayUntracked");
    this.keys.replaceChildren(...(tracked ? [lineKey("#475569"), "λmax ", lineKey("#475569", true), t("sharpItsThreshold")] : []));
    this.showCrossings();
    this.hover(null);
  }

  make(runs, key) {
    if (this.chart) this.chart.destroy();
    this.key = key;
    const series = runs.flatMap((r, i) => [{ label: `λmax`, color: runColor(i), width: 2, points: true },
      { label: t("sharpThreshold"), color: runColor(i), width: 1.25, dash: [6, 4] }]);
    this.chart = new Chart(this.box, {
      xLabel: () => t("axisEpochs"), yLabel: () => t("axisSharp"), xInt: true, height: 260, legend: false, yRange: sharpRange(false), series,
      draw: (u) => (this.crossings || []).forEach((c) => marker(u, c.x, c.value, DIVERGED)),
      hooks: { setCursor: [(u) => this.hover(u)] },
    });
  }

  /** showCrossings says, in red, how each diverged lane stood against its threshold, with a ✕ where it crossed it. */
  showCrossings() {
    this.crossings = [];
    const lines = [];
    for (const { r, m, spe } of this.lanes) {
      if (r.info.status !== Status.diverged) continue;
      const note = divergedNote(m, r.info);
      if (note.at) this.crossings.push({ ...note.at, x: note.at.step / spe });
      lines.push(h("p", { class: "diverged" }, `${this.label(r)}: ${note.text}`));
    }
    this.cross.replaceChildren(...lines);
  }

  /** hover writes each lane's measurement at the cursor's epoch, or its latest. */
  hover(u) {
    if (!this.lanes) return;
    const idx = u && u.cursor.idx, x = idx != null && u.cursor.left >= 0 ? u.data[0][idx] : Infinity;
    const parts = [];
    this.lanes.forEach(({ r, m, spe }, i) => {
      const j = nearest(m, x * spe + 1e-6); // x is in epochs: a step, within rounding
      if (j < 0) return;
      const th = m.threshold[j] == null ? t("sharpNoThreshold") : fmtNum(m.threshold[j], 3);
      parts.push(h("span", { class: "sharp-lane" }, h("span", { class: "swatch", style: `background:${runColor(i)}` }),
        t("sharpLaneRead", { run: this.label(r), step: m.step[j].toLocaleString(), v: fmtNum(m.value[j], 3), th })));
    });
    this.read.replaceChildren(...parts);
  }

  relabel() { this.key = null; }
}

/** compareSharpness is the Compare view's sharpness card, or an empty stand-in for a server that does not track sharpness. */
export function compareSharpness(source, hello) {
  if (tracks(hello)) return new SharpnessOverlay(source);
  return { el: h("div", { hidden: true }), draw() {}, relabel() {} };
}
