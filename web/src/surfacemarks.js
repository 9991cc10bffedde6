// Marks on the surface explorer's learning-rate controls, from the Hessian H
// at the start that the server sends with a trajectory set
// (trajCreated.startHessian). On H's quadratic model gradient descent
// θ ← θ − α∇J multiplies the error along an eigenvector of curvature λ by
// 1 − αλ: it converges only while α < 2/λmax (▲), and the constant rate that
// contracts fastest is 2/(λmin + λmax) (◆; Polyak 1964, Goh, "Why momentum
// really works", Distill 2017), exact where H is the same everywhere (the
// quadratic bowl). Momentum and Nesterov get their own largest stable rate
// (stableRates). The marks hold while the function, its parameters and the
// start are those of the set that brought them, and a row's method and
// hyperparameters those it had then.
import { t } from "./i18n.js";
import { h } from "./forms.js";
import { Ev } from "./protocol.js";
import { fmtNum } from "./format.js";
import { Change } from "./store.js";

const LO = -5, HI = 1; // lrControl's slider: log10 α from 1e-5 to 10
const STABLE = new Set(["gd", "momentum", "nesterov"]); // the methods with a largest stable rate on a quadratic

/** rowKey names an optimizer by its method and its hyperparameters other than α. */
const rowKey = (o) => o.method + JSON.stringify(Object.entries(o.params || {}).filter(([k]) => k !== "lr").sort());

export class RateMarks {
  /** view is the Surface view: its store, set, rows, form, fn, fp and start. */
  constructor(view) {
    this.view = view;
    this.known = null; // {place, sh, rates: rowKey → the largest stable α}
    view.store.on((kind, ev) => { if (kind === Change.traj && ev.type === Ev.trajCreated) this.take(ev); });
  }

  place() { const v = this.view; return JSON.stringify([v.fn.name, v.fp.get(), v.start]); }

  /** take keeps the Hessian at the start of the set the view asked for. */
  take(ev) {
    const set = this.view.set;
    if (!set || ev.req !== set.req || !ev.startHessian) return;
    const sh = ev.startHessian, rates = new Map();
    this.view.optimizers().forEach((o, i) => { const r = sh.stableRates && sh.stableRates[i]; if (r != null) rates.set(rowKey(o), r); });
    this.known = { place: this.place(), sh, rates };
    this.apply();
  }

  /** apply marks every row's rate control, and writes the rates at the start under the learning-rate mode's list. */
  apply() {
    const k = this.known && this.known.place === this.place() ? this.known : null;
    this.view.rows.forEach((row) => { if (row.lr) mark(row.lr, this.marksOf(row, k), STABLE.has(row.sel.value)); });
    const f = this.view.form;
    if (!f.rateMarks) { f.rateMarks = h("small", { class: "hint lr-caption" }); f.ratesField.append(f.rateMarks); }
    const sh = k && k.sh;
    f.rateMarks.textContent = !sh || !sh.maxRate ? "" : t(sh.constant && sh.bestRate ? "surfMarkRatesBest" : "surfMarkRates",
      { rate: fmtNum(sh.maxRate, 3), best: fmtNum(sh.bestRate, 3) });
  }

  /** marksOf are the marks of one row: its largest stable α, and gradient descent's best rate on a quadratic. */
  marksOf(row, k) {
    if (!k) return [];
    const o = row.value(), gd = o.method === "gd";
    const stable = k.rates.get(rowKey(o)) ?? (gd ? k.sh.maxRate : null);
    const out = stable ? [{ rate: stable, best: false, text: t(gd ? "surfMarkMax" : "surfMarkStable", { rate: fmtNum(stable, 3) }) }] : [];
    if (gd && k.sh.constant && k.sh.bestRate) out.push({ rate: k.sh.bestRate, best: true, text: t("surfMarkBest", { rate: fmtNum(k.sh.bestRate, 3) }) });
    return out;
  }
}

/** mark draws marks on a rate control's slider (wrapped once in a track that holds them) and writes them under it. */
function mark(lrc, marks, stable) {
  if (!lrc.marks) {
    const track = h("div", { class: "lr-track" });
    lrc.slider.replaceWith(track);
    lrc.marks = h("div", { class: "lr-marks", "aria-hidden": "true" });
    track.append(lrc.slider, lrc.marks);
    lrc.caption = h("small", { class: "hint lr-caption" });
    lrc.el.append(lrc.caption);
  }
  const at = (rate) => Math.min(1, Math.max(0, (Math.log10(rate) - LO) / (HI - LO)));
  lrc.marks.replaceChildren(...marks.map((m) => h("span", { class: m.best ? "lr-mark best" : "lr-mark",
    style: `left:calc(8px + ${at(m.rate).toFixed(4)} * (100% - 16px))`, title: m.text })));
  lrc.caption.replaceChildren(...(marks.length ? marks.map((m) => h("span", { class: m.best ? "best" : "" }, m.text)) : stable ? [t("surfMarkLater")] : []));
}
