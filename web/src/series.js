// A run's steps in columns, as the server sends them (server/protocol.go's
// Steps), and the smoothing of a column that grows. A tracked run's
// sharpness measurements are four columns of their own (MARKS), at their
// own steps, not aligned with step.

/** MARKS are the sharpness columns: the step measured, λmax, the threshold (null where none applies) and that step's α. */
export const MARKS = ["sharpnessStep", "sharpness", "threshold", "sharpnessLR"];

/** emptySteps is a run's step columns before any step. */
export function emptySteps() {
  return { step: [], loss: [], lossMin: [], lossMax: [], gradNorm: [], updateRatio: [], lr: [], samplesPerSec: [],
    sharpnessStep: [], sharpness: [], threshold: [], sharpnessLR: [] };
}

/** appendMarks adds the measurements of src after the last one dst holds: each comes once, in step order. */
function appendMarks(dst, src) {
  const at = src.sharpnessStep;
  if (!at) return;
  const have = dst.sharpnessStep, last = have.length ? have[have.length - 1] : 0;
  for (let i = 0; i < at.length; i++) {
    if (at[i] <= last) continue;
    for (const k of MARKS) dst[k].push(src[k] ? src[k][i] ?? null : null);
  }
}

/** appendSteps adds the columns of a steps frame (or a history's steps) to dst. */
export function appendSteps(dst, src) {
  const n = src.step.length;
  for (let i = 0; i < n; i++) {
    dst.step.push(src.step[i]);
    dst.loss.push(src.loss[i]);
    dst.lossMin.push(src.lossMin ? src.lossMin[i] : src.loss[i]);
    dst.lossMax.push(src.lossMax ? src.lossMax[i] : src.loss[i]);
    dst.gradNorm.push(src.gradNorm[i]);
    dst.updateRatio.push(src.updateRatio[i]);
    dst.lr.push(src.lr[i]);
    dst.samplesPerSec.push(src.samplesPerSec[i]);
  }
  appendMarks(dst, src);
}

/**
 * halve merges neighbouring points in new arrays: the means of loss, gradNorm
 * and updateRatio, the loss's extremes, and the later point's step, lr and
 * samplesPerSec (the server's rule for merged points). The measurements
 * stay as they are.
 */
export function halve(s) {
  const out = emptySteps();
  for (let i = 0; i + 1 < s.step.length; i += 2) {
    const j = i + 1;
    out.step.push(s.step[j]);
    out.loss.push((s.loss[i] + s.loss[j]) / 2);
    out.lossMin.push(Math.min(s.lossMin[i], s.lossMin[j]));
    out.lossMax.push(Math.max(s.lossMax[i], s.lossMax[j]));
    out.gradNorm.push((s.gradNorm[i] + s.gradNorm[j]) / 2);
    out.updateRatio.push((s.updateRatio[i] + s.updateRatio[j]) / 2);
    out.lr.push(s.lr[j]);
    out.samplesPerSec.push(s.samplesPerSec[j]);
  }
  for (const k of MARKS) out[k] = s[k];
  Object.assign(s, out);
}

/**
 * Ema is TensorBoard's smoothing, the debiased exponential moving average
 * aₜ = w·aₜ₋₁ + (1 − w)·yₜ, sₜ = aₜ/(1 − wⁿ) over the n finite values so far,
 * kept for one column that grows: of(values) smooths only the values added
 * since the last call, and starts over when the column was replaced (a
 * history, merged points) or the weight changed.
 */
export class Ema {
  constructor(weight) { this.setWeight(weight); }

  setWeight(w) {
    if (w === this.weight) return;
    this.weight = w;
    this.src = null;
  }

  of(values) {
    if (values !== this.src || values.length < this.out.length) {
      this.src = values;
      this.out = [];
      this.a = 0;
      this.n = 0;
    }
    const w = this.weight;
    for (let i = this.out.length; i < values.length; i++) {
      const v = values[i];
      if (v == null || !isFinite(v)) { this.out.push(null); continue; }
      this.a = this.a * w + (1 - w) * v;
      this.n++;
      this.out.push(w === 0 ? v : this.a / (1 - Math.pow(w, this.n)));
    }
    return this.out;
  }
}

/** ema smooths values once (see Ema). */
export function ema(values, weight) { return new Ema(weight).of(values).slice(); }
