// The Compare view's pictures of a sweep: the training losses overlaid, each
// run on its own scale, and the results table. Run i has palette[i], as in
// the exported figure; red marks divergence and nothing else.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Chart, palette, fade, join, marker, DIVERGED } from "./charts.js";
import { Status } from "./protocol.js";
import { Ema } from "./series.js";
import { fmtNum, fmtTime, pct } from "./format.js";
import { statusText } from "./pictures.js";

const SMOOTH = 0.6;
export const runColor = (i) => palette[i % palette.length];

/** smoothed is the run's EMA of the loss, kept on the run and grown with its steps. */
function smoothed(r) {
  r.compareEma = r.compareEma || new Ema(SMOOTH);
  return r.compareEma.of(r.steps.loss);
}

export class Overlay {
  constructor(box) { this.box = box; }

  draw(runs, label) {
    const key = runs.map((r) => r.id).join(",");
    const tables = runs.map((r) => [r.steps.step.map((s) => s / r.info.stepsPerEpoch), smoothed(r)]);
    this.lasts = tables.map(([x, y]) => ({ x: x[y.length - 1], y: y[y.length - 1] }));
    // The y-scale ignores diverged runs' blow-up, so that the others stay readable.
    let lo = Infinity, hi = -Infinity;
    runs.forEach((r, i) => {
      const diverged = r.info.status === Status.diverged;
      for (const y of tables[i][1]) if (y != null && (!diverged || y < 2 * Math.log(10))) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    });
    this.yr = isFinite(lo) ? [lo, hi] : [0, 2.5];
    this.runs = runs;
    if (!this.chart || this.key !== key) {
      if (this.chart) this.chart.destroy();
      this.key = key;
      this.chart = new Chart(this.box, { xLabel: () => t("axisEpochs"), yLabel: () => t("axisLoss"), xInt: true, height: 280,
        series: runs.map((r, i) => ({ label: label(r), color: runColor(i), width: 2 })),
        yRange: () => { const [a, b] = this.yr, pad = 0.05 * (b - a || 1); return [Math.max(0, a - pad), b + pad]; },
        draw: (u) => this.runs.forEach((r, i) => { if (r.info.status === Status.diverged) marker(u, this.lasts[i].x, this.lasts[i].y, DIVERGED); }) });
    }
    this.chart.setData(runs.length ? join(tables) : [[]]);
  }

  relabel() { this.key = null; }
}

export class Multiples {
  constructor(el) { this.el = el; this.small = new Map(); }

  draw(runs, label) {
    const ids = new Set(runs.map((r) => r.id));
    for (const [id, m] of this.small) if (!ids.has(id)) { m.chart.destroy(); m.el.remove(); this.small.delete(id); }
    runs.forEach((r, i) => {
      const m = this.small.get(r.id) || this.add(r, i);
      m.title.textContent = `${label(r)} — ${statusText(r.info)}`;
      m.title.className = r.info.status === Status.diverged ? "diverged" : "";
      const s = r.steps;
      m.chart.setData([s.step.map((x) => x / r.info.stepsPerEpoch), s.loss, smoothed(r)]);
    });
  }

  add(r, i) {
    const box = h("div", { class: "plot" }), title = h("h4", {}), color = runColor(i);
    const el = h("div", { class: "multiple" }, title, box);
    this.el.append(el);
    const last = () => { const n = r.steps.step.length; return n ? { x: r.steps.step[n - 1] / r.info.stepsPerEpoch, y: smoothed(r)[n - 1] } : {}; };
    const m = { el, title, chart: new Chart(box, { xLabel: () => t("axisEpochs"), yLabel: () => t("axisLossShort"), xInt: true, height: 150, legend: false,
      series: [{ label: t("raw"), color: fade(color, 0.3), width: 1 }, { label: t("smoothed"), color, width: 2 }],
      draw: (u) => { if (r.info.status === Status.diverged) { const l = last(); marker(u, l.x, l.y, DIVERGED); } } }) };
    this.small.set(r.id, m);
    return m;
  }

  relabel() { for (const m of this.small.values()) m.chart.relabel([t("raw"), t("smoothed")]); }
}

/** resultsTable is one row per run: its status, final loss, test accuracy and time. */
export function resultsTable(runs, label) {
  const head = h("tr", {}, ["colRun", "colStatus", "colLoss", "colAcc", "colTime"].map((k) => tx("th", k, { scope: "col" })));
  const rows = runs.map((r, i) => {
    const ep = r.epochs[r.epochs.length - 1], sm = smoothed(r);
    const loss = ep ? ep.trainLoss : sm[sm.length - 1];
    const secs = r.info.result ? r.info.result.seconds : null;
    return h("tr", { class: r.info.status === Status.diverged ? "diverged" : "" },
      h("td", {}, h("span", { class: "swatch", style: `background:${runColor(i)}` }), label(r)),
      h("td", {}, statusText(r.info)), h("td", { class: "num" }, fmtNum(loss)),
      h("td", { class: "num" }, ep ? pct(ep.testAccuracy, 2) : "–"),
      h("td", { class: "num" }, secs != null ? fmtTime(secs) : "–"));
  });
  return h("table", { class: "results" }, h("thead", {}, head), h("tbody", {}, rows));
}
