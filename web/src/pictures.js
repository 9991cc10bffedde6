// The pictures of the network learning: weights as images, the confusion
// matrix, the first test images with their predictions, and the lines that
// say where a run stands and how it ended.
import { t } from "./i18n.js";
import { h } from "./forms.js";
import { Status } from "./protocol.js";
import { decodeBase64, fmtNum, fmtTime } from "./format.js";

// The weights' diverging map, the same as figures.WeightsFigure's: white
// at 0, blue for negative weights, orange for positive (red is kept for divergence).
export const NEG = [0x21, 0x66, 0xac], POS = [0xb3, 0x58, 0x06];

/** signedRGB writes the colour of v in [−1, 1] on the weights' map into out at o (r, g, b). */
export function signedRGB(v, out, o) {
  const a = Math.min(Math.abs(v), 1), end = v < 0 ? NEG : POS;
  for (let k = 0; k < 3; k++) out[o + k] = Math.round(255 + a * (end[k] - 255));
}

/** drawWeights draws each hidden unit's 784 weights as a 28×28 tile, 10 per row. */
export function drawWeights(canvas, w) {
  const cols = 10, rows = Math.ceil(w.units / cols), gap = 1;
  const W = cols * (28 + gap) - gap, H = rows * (28 + gap) - gap;
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(W, H);
  img.data.fill(255);
  for (let u = 0; u < w.units; u++) {
    const ox = (u % cols) * (28 + gap), oy = Math.floor(u / cols) * (28 + gap);
    for (let i = 0; i < 784; i++) {
      const v = (w.bytes[u * 784 + i] - 128) / 127; // −1 … 1
      const o = ((oy + Math.floor(i / 28)) * W + ox + (i % 28)) * 4;
      signedRGB(v, img.data, o);
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * cellShade is a confusion cell's colour in one hue, white to dark blue by
 * √share of the actual digit's row, and whether its text is white: the same
 * ramp as figures.ConfusionFigure, so that the page and the export agree.
 */
export function cellShade(share) {
  const k = Math.sqrt(Math.max(0, Math.min(1, share)));
  const mix = (lo, hi) => Math.round(lo + k * (hi - lo));
  return { color: `rgb(${mix(255, 0x08)},${mix(255, 0x30)},${mix(255, 0x6b)})`, light: k > 0.6 };
}

/** confusionTable draws counts[actual][predicted], shaded by row share. */
export function confusionTable(counts) {
  const head = h("tr", {}, h("th", { scope: "col", class: "corner" }, "↓ / →"), ...counts.map((_, j) => h("th", { scope: "col" }, String(j))));
  const rows = counts.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return h("tr", {}, h("th", { scope: "row" }, String(i)), ...row.map((n, j) => {
      const s = cellShade(n / total);
      return h("td", { style: `background:${s.color};color:${s.light ? "#fff" : "inherit"}`, title: `${t("actual")} ${i}, ${t("predicted")} ${j}: ${n}` }, n ? String(n) : "");
    }));
  });
  return h("table", { class: "cm" }, h("thead", {}, head), h("tbody", {}, rows));
}

let samplePixels = null;

/** samplesRow draws the first test images with predicted and actual labels. */
export function samplesRow(samples, predictions) {
  if (!samplePixels) samplePixels = decodeBase64(samples.pixels);
  const out = h("div", { class: "sample-row" });
  samples.labels.forEach((label, i) => {
    const c = h("canvas", { width: 28, height: 28, role: "img", "aria-label": `${t("actual")} ${label}` });
    const ctx = c.getContext("2d");
    const img = ctx.createImageData(28, 28);
    for (let k = 0; k < 784; k++) {
      const v = 255 - samplePixels[i * 784 + k];
      img.data.set([v, v, v, 255], k * 4);
    }
    ctx.putImageData(img, 0, 0);
    const p = predictions && predictions[i];
    const wrong = p && p.predicted !== label;
    const text = p
      ? h("div", { class: "sample-text" }, h("b", {}, `${t("predicted")} ${p.predicted}`), h("span", {}, ` ${(p.probability * 100).toFixed(0)} %`),
        h("br"), h("span", {}, `${t("actual")} ${label}`), wrong ? h("span", { class: "wrong-mark", "aria-label": t("wrong") }, " ✗") : null)
      : h("div", { class: "sample-text" }, h("span", {}, `${t("actual")} ${label}`));
    out.append(h("figure", { class: `sample${wrong ? " wrong" : ""}` }, c, text));
  });
  if (!predictions) out.append(h("p", { class: "muted small", text: t("samplesWait") }));
  return out;
}

/** statusText is the run's status in words, "diverged at step k" included. */
export function statusText(info) {
  if (info.status === Status.diverged) return t("divergedAt", { k: info.divergedAt });
  const s = t(`status_${info.status}`);
  return info.paused && info.status === Status.queued ? `${s} (${t("status_paused")})` : s;
}

/**
 * summaryLine is the headline of an ended run: "Test accuracy 96.87 % · test
 * loss 0.105 · 10 epochs in 2 s", or "" before its first evaluated epoch.
 */
export function summaryLine(info) {
  const r = info.result;
  if (!r || !(r.epochs > 0) || info.status === Status.diverged) return "";
  const secs = r.seconds < 60 ? t("seconds", { s: Math.max(1, Math.round(r.seconds)) }) : fmtTime(r.seconds);
  return t("summary", { acc: (100 * r.testAccuracy).toFixed(2), loss: fmtNum(r.testLoss, 3), n: r.epochs, time: secs,
    epochs: r.epochs === 1 ? t("epochOne") : t("epochMany") });
}

/** progressLine is the fraction done and "step k / n · epoch e / E · x steps/s · m:ss left". */
export function progressLine(r) {
  const s = r.steps, n = s.step.length;
  const step = n ? s.step[n - 1] : r.info.progress;
  const total = r.info.totalSteps || 1;
  // A paced run goes no faster than its pace, whatever its compute allows.
  const pace = r.info.pace && r.info.pace.epochSeconds > 0 ? (r.info.stepsPerEpoch || 1) / r.info.pace.epochSeconds : Infinity;
  const sps = n ? Math.min(s.samplesPerSec[n - 1] / r.info.config.batch, pace) : 0;
  let text = `${t("step")} ${step.toLocaleString()} / ${total.toLocaleString()}`;
  const ep = Math.min(Math.ceil(step / (r.info.stepsPerEpoch || 1)), r.info.config.epochs);
  text += ` · ${t("epoch")} ${ep} / ${r.info.config.epochs}`;
  if (sps > 0 && r.info.status === Status.running) {
    text += ` · ${fmtNum(sps, 3)} ${t("stepsPerSec")} · ${fmtTime((total - step) / sps)} ${t("eta")}`;
  } else if (r.info.result) {
    text += ` · ${fmtTime(r.info.result.seconds)}`;
  }
  return { fraction: Math.min(step / total, 1), text };
}

/** resumeFrom is the epoch an interrupted run continues from: the one after its last checkpoint. */
export function resumeFrom(info) {
  return Math.min(Math.floor((info.progress || 0) / (info.stepsPerEpoch || 1)) + 1, info.config.epochs);
}
