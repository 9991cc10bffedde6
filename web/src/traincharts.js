// The Train view's charts: the training loss per step (raw and smoothed),
// test accuracy and test loss per epoch, ‖∇J‖, the update ratio and α per
// step. Each axis says what it shows and in which unit. Steps redraw the
// step charts, epochs the epoch charts; the smoothing is kept per run and
// grows with the steps.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Chart, palette, fade } from "./charts.js";
import { Ema } from "./series.js";
import { runMenu } from "./downloads.js";

const stepX = () => t("axisStep");
const epochX = () => t("axisEpoch");

export class TrainCharts {
  /** source is the view's export interface: {run(), smoothing()}. */
  constructor(source) {
    this.source = source;
    this.smooth = h("input", { type: "range", min: 0, max: 0.99, step: 0.01, value: 0.9, "aria-label": t("smoothing"), "data-i18n-label": "smoothing" });
    this.logY = h("input", { type: "checkbox", id: "logy" });
    this.ema = new Ema(0.9);
    this.boxes = Object.fromEntries(["loss", "acc", "testLoss", "grad", "ratio", "lr"].map((k) => [k, h("div", { class: "plot", "data-chart": k })]));
    this.empty = h("div", { class: "empty" });
    this.el = this.build();
    this.make();
  }

  build() {
    const B = this.boxes, s = this.source;
    const card = (key, box, kind, extra) => h("div", { class: "card chart" },
      h("div", { class: "chart-head" }, tx("h3", key), extra || null, runMenu(s, kind)), box);
    const controls = h("div", { class: "chart-controls" },
      h("label", { class: "inline" }, tx("span", "smoothing"), this.smooth),
      h("label", { class: "inline", for: "logy" }, this.logY, tx("span", "logY")));
    const loss = card("lossChart", B.loss, "loss", controls);
    loss.classList.add("wide");
    loss.insertBefore(this.empty, B.loss);
    const lr = card("lrChart", B.lr, "lr");
    lr.classList.add("wide");
    return h("div", { class: "charts" }, loss, card("accChart", B.acc, "accuracy"), card("testLossChart", B.testLoss, "testloss"),
      card("gradChart", B.grad, "gradnorm"), card("ratioChart", B.ratio, "ratio"), lr);
  }

  make() {
    const B = this.boxes, c = palette[0];
    const epochSpan = () => { const r = this.source.run(); return [1, Math.max(2, r ? r.info.config.epochs : 2)]; };
    const stepSpan = (u, lo, hi) => this.span || [lo, hi]; // a replay keeps the whole run's axis
    this.loss = new Chart(B.loss, { xLabel: stepX, yLabel: () => t("axisLoss"), xInt: true, xRange: stepSpan, height: 240, series: [
      { label: t("raw"), color: fade(c, 0.3), width: 1 }, { label: t("smoothed"), color: c, width: 2 }] });
    this.acc = new Chart(B.acc, { xLabel: epochX, yLabel: () => t("axisAcc"), xInt: true, xRange: epochSpan,
      yRange: (u, lo) => [lo == null ? 0 : Math.max(0, Math.floor(lo - 1)), 100],
      series: [{ label: t("accuracy"), color: palette[2], width: 2, points: true }] });
    this.testLoss = new Chart(B.testLoss, { xLabel: epochX, yLabel: () => t("axisLoss"), xInt: true, xRange: epochSpan,
      yRange: (u, lo, hi) => [0, hi == null ? 1 : hi * 1.1], series: [
        { label: t("testLoss"), color: palette[1], width: 2, points: true }, { label: t("trainLoss"), color: palette[0], dash: [4, 4], points: true }] });
    this.grad = new Chart(B.grad, { xLabel: stepX, xRange: stepSpan, yLabel: () => t("axisGrad"), xInt: true, logY: true, series: [{ label: "‖∇J‖", color: palette[3] }] });
    this.ratio = new Chart(B.ratio, { xLabel: stepX, xRange: stepSpan, yLabel: () => t("axisRatio"), xInt: true, logY: true, series: [{ label: "‖Δθ‖/‖θ‖", color: palette[4] }] });
    this.lr = new Chart(B.lr, { xLabel: stepX, xRange: stepSpan, yLabel: () => t("axisLR"), xInt: true, height: 150, series: [{ label: "α", color: palette[5] }] });
  }

  get all() { return [this.loss, this.acc, this.testLoss, this.grad, this.ratio, this.lr]; }

  clear() { this.all.forEach((c) => c.setData(c.data.map(() => []))); }

  /** steps draws the step charts of r up to step index upTo (all of them when null). */
  steps(r, upTo = null) {
    if (this.emaRun !== r) { this.emaRun = r; this.ema = new Ema(Number(this.smooth.value)); }
    this.ema.setWeight(Number(this.smooth.value));
    const s = r.steps, sm = this.ema.of(s.loss);
    const cut = upTo == null ? (a) => a : (a) => a.slice(0, upTo + 1);
    this.span = upTo == null || !s.step.length ? null : [s.step[0], s.step[s.step.length - 1]];
    this.loss.setData([cut(s.step), cut(s.loss), cut(sm)]);
    this.grad.setData([cut(s.step), cut(s.gradNorm)]);
    this.ratio.setData([cut(s.step), cut(s.updateRatio)]);
    this.lr.setData([cut(s.step), cut(s.lr)]);
  }

  /** epochs draws the epoch charts of the epochs ep. */
  epochs(ep) {
    this.acc.setData([ep.map((e) => e.epoch), ep.map((e) => e.testAccuracy * 100)]);
    this.testLoss.setData([ep.map((e) => e.epoch), ep.map((e) => e.testLoss), ep.map((e) => e.trainLoss)]);
  }

  setLogY(on) { this.loss.set({ logY: on }); }

  relabel() {
    this.loss.relabel([t("raw"), t("smoothed")]);
    this.acc.relabel([t("accuracy")]);
    this.testLoss.relabel([t("testLoss"), t("trainLoss")]);
    [this.grad, this.ratio, this.lr].forEach((c) => c.relabel());
  }
}
