// What one step of learning did (a "learned" event, server protocol/learn.go):
// the loss on the drawing, the probability of its label and the accuracy on
// the test images before and after, ‖Δθ‖ beside ‖∇J(θ)‖, the ten
// probabilities before and after as paired bars, and the steps so far.
import { t } from "./i18n.js";
import { h } from "./forms.js";
import { fmtNum, pct } from "./format.js";
import { subscript as s } from "./saliency.js";

const FORGET = 0.02; // an accuracy drop on the test images this large gets a sentence

/** stepHead is the headline of a step: what the copy says now and said before. */
export function stepHead(ev) {
  const key = ev.topAfter === ev.label ? "lnNowRight" : "lnNowWrong";
  return t(key, { k: ev.step, after: ev.topAfter, before: ev.topBefore, y: ev.label });
}

/** changeTable is the before and after of the drawing's loss, its label's probability and the test images'. */
export function changeTable(ev) {
  const n = ev.evalImages.toLocaleString();
  const rows = [
    [t("lnLoss", { sub: s(ev.label) }), ev.lossBefore, ev.lossAfter, (x) => fmtNum(x, 4)],
    [t("lnProb", { y: ev.label, sub: s(ev.label) }), ev.probsBefore[ev.label], ev.probsAfter[ev.label], (x) => pct(x, 1)],
    [t("lnAcc", { n }), ev.accuracyBefore, ev.accuracyAfter, (x) => pct(x, 1)],
    [t("lnTestLoss", { n }), ev.testLossBefore, ev.testLossAfter, (x) => fmtNum(x, 4)],
  ];
  const head = h("tr", {}, h("th", { scope: "col" }, ""), h("th", { scope: "col", class: "num" }, t("lnBefore")), h("th", { scope: "col", class: "num" }, t("lnAfter")));
  const body = rows.map(([name, b, a, f]) => h("tr", {}, h("th", { scope: "row" }, name), h("td", { class: "num" }, f(b)),
    h("td", { class: "num" }, `${f(a)} ${a > b ? "↑" : a < b ? "↓" : ""}`)));
  return h("table", { class: "results ln-table" }, h("thead", {}, head), h("tbody", {}, body));
}

/** sizeLine says how large the step was: ‖Δθ‖ = α‖∇J(θ)‖ for SGD, and ‖Δθ‖/‖θ‖. */
export function sizeLine(ev) {
  return t("lnSize", { d: fmtNum(ev.deltaNorm, 3), g: fmtNum(ev.gradNorm, 3), r: fmtNum(ev.updateRatio, 2), a: fmtNum(ev.lr) });
}

/** forgetLine warns when the test accuracy fell: the step changed what the network does on the other digits. */
export function forgetLine(ev) {
  const drop = ev.accuracyBefore - ev.accuracyAfter;
  return drop >= FORGET ? t("lnForget", { d: (100 * drop).toFixed(1) }) : "";
}

/** pairedBars draws the ten probabilities before (grey) and after (blue) the step. */
export function pairedBars(ev) {
  const cols = ev.probsAfter.map((p, d) => {
    const b = ev.probsBefore[d];
    return h("div", { class: `ln-pair${d === ev.label ? " label" : ""}`, role: "img", "aria-label": `${d}: ${pct(b)} → ${pct(p)}` },
      h("span", { class: "draw-val" }, pct(p)),
      h("div", { class: "ln-tracks" }, h("div", { class: "ln-before", style: `height:${(100 * b).toFixed(1)}%` }),
        h("div", { class: "ln-after", style: `height:${(100 * p).toFixed(1)}%` })),
      h("span", { class: "draw-label" }, String(d)));
  });
  const key = h("p", { class: "hint ln-key" }, h("i", { class: "ln-swatch before" }), t("lnBefore"), " ", h("i", { class: "ln-swatch after" }), t("lnAfter"));
  return h("div", {}, h("div", { class: "ln-bars" }, cols), key);
}

/** historyTable lists the steps of the copy since it was made or reset, the latest first. */
export function historyTable(steps) {
  const head = h("tr", {}, ...["lnColStep", "lnColRate", "lnColLoss", "lnColSays", "lnColAcc"].map((k) => h("th", { scope: "col" }, t(k))));
  const body = steps.slice().reverse().map((ev) => h("tr", {},
    h("td", { class: "num" }, String(ev.step)), h("td", { class: "num" }, fmtNum(ev.lr)),
    h("td", { class: "num" }, `${fmtNum(ev.lossBefore, 3)} → ${fmtNum(ev.lossAfter, 3)}`),
    h("td", { class: "num" }, `${ev.topBefore} → ${ev.topAfter}`), h("td", { class: "num" }, pct(ev.accuracyAfter, 1))));
  return h("table", { class: "results ln-history" }, h("thead", {}, head), h("tbody", {}, body));
}
