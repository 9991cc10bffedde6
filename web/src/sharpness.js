// A tracked run's sharpness, as its steps carry it (series.js MARKS): λmax
// of the training loss's Hessian H = ∇²J on a fixed probe set, measured
// beside the run at the weights a step starts from, and the stability
// threshold of that step's α. On a quadratic, gradient descent
// θ ← θ − α∇J(θ) multiplies the error along an eigenvector of curvature λ by
// 1 − αλ, so it is stable only while λmax < 2/α; heavy-ball momentum μ moves
// the threshold to 2(1+μ)/α, and for Adam the sharpness is the
// preconditioned λmax(P⁻¹H) against (2+2β₁)/((1−β₁)α) (Cohen et al. 2021,
// 2022). Adagrad and RMSprop have none. These are the helpers of the Train
// view's chart (sharpchart.js) and of the Compare view's (sharpcompare.js).
import { t } from "./i18n.js";
import { fmtNum } from "./format.js";

/** tracks says whether the server tracks sharpness and answers the hessian command (hello.hessian). */
export function tracks(hello) { return !!(hello && hello.hessian && hello.hessian.sharpness); }

/** marksOf is a run's measurements at steps up to upTo: {step, value, threshold, lr} columns. */
export function marksOf(r, upTo = Infinity) {
  const s = r.steps;
  let n = s.sharpnessStep.length;
  while (n > 0 && s.sharpnessStep[n - 1] > upTo) n--;
  return { step: s.sharpnessStep.slice(0, n), value: s.sharpness.slice(0, n), threshold: s.threshold.slice(0, n), lr: s.sharpnessLR.slice(0, n) };
}

/** factor is c of threshold = c/α, read from the latest measurement that has a threshold, or null where none applies. */
export function factor(m) {
  for (let i = m.step.length - 1; i >= 0; i--) if (m.threshold[i] != null && m.lr[i] > 0) return m.threshold[i] * m.lr[i];
  return null;
}

/**
 * thresholdLine is the threshold c/α at the run's first n steps, following a
 * schedule's α: the points where α changes (and the first and the last), so
 * that a constant α is a flat line of two points. [steps, thresholds].
 */
export function thresholdLine(s, c, n = s.step.length) {
  const xs = [], ys = [];
  if (c == null) return [xs, ys];
  const lr = s.lr;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i < n - 1 && lr[i] === lr[i - 1] && lr[i] === lr[i + 1]) continue;
    xs.push(s.step[i]);
    ys.push(lr[i] > 0 ? c / lr[i] : null);
  }
  return [xs, ys];
}

/** crossing is the first measurement above its threshold ({step, value, threshold}), or null. */
export function crossing(m) {
  for (let i = 0; i < m.step.length; i++) {
    if (m.threshold[i] != null && m.value[i] > m.threshold[i]) return { step: m.step[i], value: m.value[i], threshold: m.threshold[i] };
  }
  return null;
}

/**
 * divergedNote is what a diverged run's measurements say ({text, at}): where
 * λmax was first above its threshold (at, for a mark), that it stayed below
 * it at every measurement, or that it diverged before the first one.
 */
export function divergedNote(m, info) {
  const k = info.divergedAt, c = crossing(m);
  if (c) return { at: c, text: t("sharpCrossDiverged", { k, s: c.step.toLocaleString(), v: fmtNum(c.value, 3), th: fmtNum(c.threshold, 3) }) };
  return { at: null, text: t(m.step.length ? "sharpDivergedBelow" : "sharpDivergedUnmeasured", { k }) };
}

/** nearest is the index of the last measurement at or before step (the first one before any), or −1 without one. */
export function nearest(m, step) {
  if (!m.step.length) return -1;
  let i = 0;
  while (i + 1 < m.step.length && m.step[i + 1] <= step) i++;
  return i;
}

const preconditioned = (o) => o === "adam" || o === "adamw";

/** hyperOf is a run's hyperparameters with the optimizer's defaults from hello filled in. */
function hyperOf(hello, cfg) {
  const sp = hello.optimizers.find((s) => s.name === cfg.optimizer) || { params: [] };
  return { ...Object.fromEntries(sp.params.map((p) => [p.name, p.default])), ...(cfg.hyper || {}) };
}

/** thresholdName is the formula of a run's threshold ("2/α", "2(1+μ)/α", …), or null where none applies. */
export function thresholdName(hello, cfg) {
  const o = cfg.optimizer, hp = hyperOf(hello, cfg);
  if (o === "adagrad" || o === "rmsprop") return null;
  if (preconditioned(o)) return "(2+2β₁)/((1−β₁)α)";
  if (!(hp.momentum > 0)) return "2/α";
  if (o === "nesterov" || hp.nesterov === 1) return "(2+2μ)/((1+2μ)α)";
  return hp.dampening > 0 ? "2(1+μ)/((1−τ)α)" : "2(1+μ)/α";
}

/** sharpName is what is measured: λmax, or λmax(P⁻¹H) for Adam and AdamW. */
export function sharpName(cfg) { return preconditioned(cfg.optimizer) ? "λmax(P⁻¹H)" : "λmax"; }

/** readout is one measurement in words: the step, λmax, the threshold and α·λmax/2. */
export function readout(hello, cfg, m, i) {
  if (i < 0) return "";
  const th = m.threshold[i];
  return t("sharpRead", {
    step: m.step[i].toLocaleString(), name: sharpName(cfg), v: fmtNum(m.value[i], 3),
    th: th == null ? t("sharpNoThreshold") : `${thresholdName(hello, cfg)} = ${fmtNum(th, 3)}`,
    half: fmtNum(m.lr[i] * m.value[i] / 2, 3),
  });
}

/** about is the line that says what the chart of a tracked run (its RunInfo) shows for its optimizer. */
export function about(hello, info) {
  const cfg = info.config, name = thresholdName(hello, cfg);
  const n = (info.sharpness ? info.sharpness.examples : 0).toLocaleString();
  if (!name) return t("sharpAboutNone", { n });
  return t(preconditioned(cfg.optimizer) ? "sharpAboutAdam" : "sharpAbout", { th: name, n });
}
