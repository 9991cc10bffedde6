// The landscape's charts, drawn with uPlot as the other charts: how far
// each path is from the plane at each step, and the 1-D line from the
// initial weights θ₀ to the current ones θ_end (Goodfellow et al. 2015),
// its loss above its accuracy, training images solid and test images
// dashed, one colour per run as on the map and in the exported figure.
import { t } from "./i18n.js";
import { h } from "./forms.js";
import { Chart, join, vline } from "./charts.js";
import { offPlane } from "./landscapedata.js";

const ENDS = "#475569"; // the dashed lines at θ₀ and θ_end: not the colour of a run

/** Charts keeps a chart that is rebuilt when its series change (another run, another language). */
class Rebuilt {
  constructor(box) { this.box = box; this.chart = null; this.key = null; }

  /** chart returns the chart for key, made by make() when key is new. */
  ensure(key, make) {
    if (this.chart && this.key === key) return this.chart;
    if (this.chart) this.chart.destroy();
    this.box.replaceChildren();
    this.key = key;
    this.chart = make();
    return this.chart;
  }

  relabel() { this.key = null; }
}

/** OffPlaneChart is each path's distance from the plane, in % of its reach, against the step. */
export class OffPlaneChart {
  /** hooks: {colorOf(run), nameOf(run)} */
  constructor(hooks) {
    this.hooks = hooks;
    this.el = h("div", { class: "plot land-off", "data-chart": "landOff" });
    this.rebuilt = new Rebuilt(this.el);
  }

  draw(tracks) {
    const tr = tracks.filter((x) => x.step.length);
    const key = `${tr.map((x) => x.run).join(",")}`;
    const c = this.rebuilt.ensure(key, () => new Chart(this.el, { xLabel: () => t("axisStep"), yLabel: () => t("landOffAxis"), xInt: true, height: 170,
      yRange: (u, lo, hi) => [0, Math.max(5, Math.ceil((hi || 0) / 5) * 5)],
      series: tr.map((x) => ({ label: this.hooks.nameOf(x.run), color: this.hooks.colorOf(x.run), width: 2, points: true })) }));
    c.setData(tr.length ? join(tr.map((x) => [x.step, offPlane(x).map((o) => 100 * o)])) : [[]]);
  }

  relabel() { this.rebuilt.relabel(); }
}

/** LineCharts are the 1-D chart's two panels: the loss, and the accuracy in %. */
export class LineCharts {
  /** hooks: {colorOf(run), nameOf(run)} */
  constructor(hooks) {
    this.hooks = hooks;
    this.lossBox = h("div", { class: "plot", "data-chart": "landLineLoss" });
    this.accBox = h("div", { class: "plot", "data-chart": "landLineAcc" });
    this.el = h("div", { class: "land-line-charts" }, this.lossBox, this.accBox);
    this.loss = new Rebuilt(this.lossBox);
    this.acc = new Rebuilt(this.accBox);
  }

  /** draw shows a landscapeLineChart answer, or nothing. */
  draw(ans) {
    this.el.hidden = !ans;
    if (!ans) return;
    const key = ans.id;
    const ends = (u) => { vline(u, 0, ENDS, "θ₀"); vline(u, 1, ENDS, "θ_end"); };
    const top = 3 * Math.max(...ans.lines.flatMap((l) => l.trainLoss.filter((v, k) => ans.t[k] >= 0 && ans.t[k] <= 1 && v != null)));
    const loss = this.loss.ensure(key, () => new Chart(this.lossBox, { xLabel: () => t("landLineT"), xName: () => "t", yLabel: () => t("axisLoss"), height: 200,
      yRange: (u, lo, hi) => [0, Math.min(hi == null ? 1 : hi * 1.05, Number.isFinite(top) && top > 0 ? top : Infinity)],
      series: this.series(ans, (l) => [l.trainLoss, l.testLoss]), draw: ends }));
    const acc = this.acc.ensure(key, () => new Chart(this.accBox, { xLabel: () => t("landLineT"), xName: () => "t", yLabel: () => t("landAccAxis"), height: 170,
      yRange: () => [0, 100], series: this.series(ans, (l) => [l.trainAccuracy, l.testAccuracy]), draw: ends }));
    const cols = (pick, k) => ans.lines.flatMap((l) => pick(l).filter((c) => c).map((c) => c.map((v) => (v == null ? null : v * k))));
    loss.setData([ans.t, ...cols((l) => [l.trainLoss, l.testLoss], 1)]);
    acc.setData([ans.t, ...cols((l) => [l.trainAccuracy, l.testAccuracy], 100)]);
  }

  /** series are each line's curves: on the training images solid, on the test images dashed. */
  series(ans, pick) {
    const one = ans.lines.length === 1;
    return ans.lines.flatMap((l) => pick(l).map((c, k) => (c ? {
      label: one ? t(k ? "landTestShort" : "landTrainShort") : `${this.hooks.nameOf(l.run)} · ${t(k ? "landTestOne" : "landTrainOne")}`,
      color: this.hooks.colorOf(l.run), width: 2, dash: k ? [5, 4] : undefined,
    } : null)).filter(Boolean));
  }

  relabel() { this.loss.relabel(); this.acc.relabel(); }
}
