// The LR range test (Smith, "Cyclical learning rates for training neural
// networks", 2017): one short run whose α rises exponentially from 1e-5 to
// 10, drawn as the loss against α, with the rate where the smoothed loss
// falls fastest marked and offered to the Train view.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Chart, palette, fade, vline } from "./charts.js";
import { Ema } from "./series.js";
import { fmtNum } from "./format.js";
import { statusText } from "./pictures.js";

const SUGGEST = "#0f5f3a"; // the suggestion's mark: dark green, not the red of divergence

export class RangeTest {
  /** hooks: {start(), use(lr)}; menu is the card's ⤓ menu. */
  constructor(hooks, menu) {
    this.box = h("div", { class: "plot" });
    this.text = h("span", { class: "suggest", role: "status" });
    this.useBtn = tx("button", "useRate", { type: "button", "data-act": "useRate", hidden: true, onclick: () => hooks.use(this.suggested) });
    this.startBtn = tx("button", "lrRangeStart", { type: "button", "data-act": "rangeTest", onclick: () => hooks.start() });
    this.used = h("span", { class: "muted small", role: "status" });
    this.el = h("div", { class: "card" },
      h("div", { class: "chart-head" }, tx("h3", "lrRangeTitle"), this.startBtn, menu),
      tx("p", "lrRangeNote", { class: "muted small" }), this.box,
      h("div", { class: "suggest-row" }, this.text, this.useBtn, this.used));
    this.ema = new Ema(0.9);
    this.chart = new Chart(this.box, { xLabel: () => t("axisLRlog"), yLabel: () => t("axisLoss"), logX: true, height: 220, series: [
      { label: t("raw"), color: fade(palette[0], 0.3), width: 1 }, { label: t("smoothed"), color: palette[0], width: 2 }],
    draw: (u) => { if (this.suggested) vline(u, this.suggested, SUGGEST, t("suggested", { lr: fmtNum(this.suggested, 2) })); } });
  }

  /** draw plots run r's loss against its rate and marks the suggestion. */
  draw(r) {
    if (!r) { this.chart.setData([[], [], []]); this.text.textContent = ""; this.useBtn.hidden = true; return; }
    const s = r.steps, sm = this.ema.of(s.loss);
    this.suggested = suggest(s.lr, sm);
    this.chart.setData([s.lr, s.loss, sm]);
    this.text.textContent = this.suggested ? t("suggested", { lr: fmtNum(this.suggested, 2) }) : statusText(r.info);
    this.useBtn.hidden = !this.suggested;
  }

  /** usedIn says where the suggestion went. */
  usedIn(lr) {
    this.usedRate = lr;
    this.used.textContent = t("rateUsed", { lr: fmtNum(lr, 2) });
  }

  relabel() {
    this.chart.relabel([t("raw"), t("smoothed")]);
    if (this.usedRate) this.usedIn(this.usedRate);
  }
}

/** suggest returns the rate where the smoothed loss falls fastest, before its minimum. */
export function suggest(lrs, loss) {
  const n = loss.length;
  if (n < 20) return null;
  let minAt = 0;
  for (let i = 0; i < n; i++) if (loss[i] != null && loss[i] < loss[minAt]) minAt = i;
  let best = null, bestSlope = 0;
  const w = Math.max(2, Math.floor(n / 50));
  for (let i = w; i <= minAt; i++) {
    const slope = (loss[i] - loss[i - w]) / (Math.log(lrs[i]) - Math.log(lrs[i - w]));
    if (slope < bestSlope) { bestSlope = slope; best = lrs[i - Math.floor(w / 2)]; }
  }
  return best;
}
