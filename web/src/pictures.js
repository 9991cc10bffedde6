// The pictures of the network learning: weights as images, the confusion
// matrix, the first test images with their predictions, and status lines.
import { t } from "./i18n.js";
import { h } from "./forms.js";
import { decodeBase64, fmtNum } from "./store.js";

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
      // white at 0, red for positive, blue for negative
      const a = Math.min(Math.abs(v), 1);
      img.data[o] = v > 0 ? 255 : 255 * (1 - a) + 37 * a;
      img.data[o + 1] = 255 * (1 - a) + (v > 0 ? 38 : 99) * a;
      img.data[o + 2] = v > 0 ? 255 * (1 - a) + 38 * a : 255 * (1 - a) + 235 * a;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** confusionTable draws counts[actual][predicted], shaded by row share. */
export function confusionTable(counts) {
  const head = h("tr", {}, h("th", { scope: "col", class: "corner" }, "↓ / →"), ...counts.map((_, j) => h("th", { scope: "col" }, String(j))));
  const rows = counts.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return h("tr", {}, h("th", { scope: "row" }, String(i)), ...row.map((n, j) => {
      const share = n / total;
      const color = i === j ? `rgba(22,163,74,${0.15 + 0.75 * share})` : `rgba(220,38,38,${Math.min(1, share * 6)})`;
      return h("td", { style: `background:${n ? color : "transparent"}`, title: `${t("actual")} ${i}, ${t("predicted")} ${j}: ${n}` }, n ? String(n) : "");
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
      ? h("div", { class: "sample-text" }, h("b", {}, `${t("predicted")} ${p.predicted}`), h("span", {}, ` ${(p.probability * 100).toFixed(0)}%`),
        h("br"), h("span", {}, `${t("actual")} ${label}`), wrong ? h("span", { class: "wrong-mark", "aria-label": t("wrong") }, " ✗") : null)
      : h("div", { class: "sample-text" }, h("span", {}, `${t("actual")} ${label}`));
    out.append(h("figure", { class: `sample${wrong ? " wrong" : ""}` }, c, text));
  });
  if (!predictions) out.append(h("p", { class: "muted small", text: t("samplesWait") }));
  return out;
}

/** statusText is the run's status in words, "diverged at step k" included. */
export function statusText(info) {
  if (info.status === "diverged") return t("divergedAt", { k: info.divergedAt });
  const s = t(`status_${info.status}`);
  return info.paused && info.status === "queued" ? `${s} (${t("status_paused")})` : s;
}

/** errorText writes an error event for people. */
export function errorText(ev) {
  let s = `${t("errorPrefix")}: `;
  if (ev.field) s += `${ev.field}: `;
  s += ev.message;
  if (ev.allowed) s += ` (${t("allowed")}: ${ev.allowed})`;
  return s;
}

/** progressLine is the fraction done and "step k / n · x steps/s · m:ss left". */
export function progressLine(r) {
  const s = r.steps, n = s.step.length;
  const step = n ? s.step[n - 1] : r.info.progress;
  const total = r.info.totalSteps || 1;
  const sps = n ? s.samplesPerSec[n - 1] / r.info.config.batch : 0;
  let text = `${t("step")} ${step.toLocaleString()} / ${total.toLocaleString()}`;
  const ep = Math.min(Math.ceil(step / (r.info.stepsPerEpoch || 1)), r.info.config.epochs);
  text += ` · ${t("epoch")} ${ep} / ${r.info.config.epochs}`;
  if (sps > 0 && (r.info.status === "running")) {
    const left = (total - step) / sps;
    text += ` · ${fmtNum(sps, 3)} ${t("stepsPerSec")} · ${fmtTime(left)} ${t("eta")}`;
  } else if (r.info.result) {
    text += ` · ${fmtTime(r.info.result.seconds)}`;
  }
  return { fraction: Math.min(step / total, 1), text };
}

export function fmtTime(sec) {
  if (!isFinite(sec)) return "–";
  sec = Math.max(0, Math.round(sec));
  const m = Math.floor(sec / 60), s = sec % 60;
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}
