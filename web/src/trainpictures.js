// The Train view's pictures: the first layer's weights, the confusion
// matrix and the first test images with their predictions. The weights
// redraw when new ones come, the other two once an epoch.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { drawWeights, confusionTable, samplesRow } from "./pictures.js";
import { runMenu } from "./downloads.js";

export class TrainPictures {
  /** source is the view's export interface: {run()}; samples are hello's. */
  constructor(source, samples) {
    this.samplesData = samples;
    this.canvas = h("canvas", { width: 280, height: 280, class: "weights", role: "img", "aria-label": t("weightsTitle"), "data-i18n-label": "weightsTitle" });
    this.weightsNote = h("p", { class: "muted small" });
    this.confusion = h("div", { class: "confusion" });
    this.confusionNote = h("p", { class: "muted small" });
    this.samples = h("div", { class: "samples" });
    const head = (key, kind) => h("div", { class: "dl-head" }, tx("h3", key), kind ? runMenu(source, kind) : null);
    this.el = h("div", { class: "pictures" },
      h("div", { class: "card" }, head("weightsTitle", "weights"), this.canvas, tx("p", "weightsNote", { class: "muted small" }), this.weightsNote),
      h("div", { class: "card" }, head("confusionTitle", "confusion"), this.confusion, this.confusionNote),
      h("div", { class: "card wide" }, head("samplesTitle"), this.samples));
    this.epoch(null);
  }

  /** weights draws w, the first layer after step w.step, or clears the canvas. */
  weights(w) {
    if (this.shownWeights === w) return;
    this.shownWeights = w;
    if (w) drawWeights(this.canvas, w);
    else this.canvas.getContext("2d").clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.weightsNote.textContent = w ? t("weightsAfter", { step: w.step.toLocaleString() }) : "";
  }

  /** epoch shows the confusion matrix and the predictions after epoch e (an Epoch event), or none yet. */
  epoch(e) {
    if (e && this.shownEpoch === e) return;
    this.shownEpoch = e;
    this.confusion.replaceChildren(e ? confusionTable(e.confusion) : h("p", { class: "muted", text: t("samplesWait") }));
    this.confusionNote.textContent = e ? t("afterEpoch", { e: e.epoch }) : "";
    this.samples.replaceChildren(samplesRow(this.samplesData, e ? e.predictions : null));
  }

  relabel() {
    const e = this.shownEpoch, w = this.shownWeights;
    this.shownEpoch = this.shownWeights = undefined;
    this.epoch(e);
    this.weights(w);
  }
}
