// The chain-rule panel's pictures: a layer's values as a strip of cells (a
// hidden unit per cell, in rows on a narrow screen), ten outputs as cells
// with their numbers, ∂J/∂W = δaᵀ as a matrix on one colour scale, and
// ∂J/∂W₁ as the first-layer weights view's 28×28 tiles. Signed values use
// the weights' orange and blue; values that are never negative (σ(z) of a
// sigmoid, σ′(z), p) one blue from white.
import { h } from "./forms.js";
import { signedRGB, drawWeights } from "./pictures.js";

// MNIST's mean and standard deviation, the normalisation of training (mnist.Mean, mnist.Std).
const Mean = 0.1307, Std = 0.3081;
const DARK = [0x08, 0x30, 0x6b]; // the one-hue end, as the confusion matrix's

/** colour writes v's colour into out at o: signed on [−scale, scale], else 0 to scale in one hue. */
export function colour(v, signed, scale, out, o) {
  const s = scale > 0 ? v / scale : 0;
  if (signed) return signedRGB(s, out, o);
  const a = Math.max(0, Math.min(1, s));
  for (let k = 0; k < 3; k++) out[o + k] = Math.round(255 + a * (DARK[k] - 255));
}

/** css is colour as a CSS colour, and whether text on it should be white. */
export function css(v, signed, scale) {
  const c = [0, 0, 0];
  colour(v, signed, scale, c, 0);
  return { bg: `rgb(${c[0]},${c[1]},${c[2]})`, light: c[0] * 0.3 + c[1] * 0.59 + c[2] * 0.11 < 130 };
}

/** maxAbs is the largest |v|. */
export function maxAbs(v) {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

/** stripLayout puts n cells in as few rows as keep each about 10 CSS pixels wide at width. */
export function stripLayout(n, width) {
  const rows = Math.max(1, Math.ceil((n * 10) / Math.max(width, 100)));
  return { rows, perRow: Math.ceil(n / rows) };
}

const CW = 6; // backing pixels of a strip's cell, across (and 1 of gap)
const MAX_CELL = 24; // CSS pixels of a cell, at most

/**
 * drawStrip draws values as cells, perRow a row, mark outlined; taller
 * cells when the strip has one row. A cell is at most MAX_CELL CSS pixels
 * wide, so that a narrow layer stays a strip.
 */
export function drawStrip(canvas, values, signed, scale, perRow, mark) {
  const rows = Math.ceil(values.length / perRow), ch = rows === 1 ? 3 * CW : Math.round(1.6 * CW);
  const W = perRow * (CW + 1) + 1, H = rows * (ch + 1) + 1;
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  canvas.style.width = `${perRow * MAX_CELL}px`;
  const g = canvas.getContext("2d"), c = [0, 0, 0];
  g.fillStyle = "#fff";
  g.fillRect(0, 0, W, H);
  values.forEach((v, i) => {
    colour(v, signed, scale, c, 0);
    g.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    g.fillRect(1 + (i % perRow) * (CW + 1), 1 + Math.floor(i / perRow) * (ch + 1), CW, ch);
  });
  if (mark >= 0 && mark < values.length) {
    g.strokeStyle = "#0f172a";
    g.lineWidth = 1.5;
    g.strokeRect(0.75 + (mark % perRow) * (CW + 1), 0.75 + Math.floor(mark / perRow) * (ch + 1), CW + 0.5, ch + 0.5);
  }
}

/** stripIndex is the cell of a strip under a pointer event, or −1. */
export function stripIndex(canvas, n, perRow, e) {
  const r = canvas.getBoundingClientRect();
  const col = Math.floor(((e.clientX - r.left) / r.width) * perRow);
  const row = Math.floor(((e.clientY - r.top) / r.height) * Math.ceil(n / perRow));
  const i = row * perRow + col;
  return col >= 0 && col < perRow && i >= 0 && i < n ? i : -1;
}

/** cellNum writes a cell's value in at most five characters: 0.0057 → "0.006", 2.2e-5 → "0". The read-out has them all. */
function cellNum(v) {
  const a = Math.abs(v);
  if (a < 0.0005) return "0";
  return String(Number(v.toFixed(a < 0.1 ? 3 : a < 10 ? 2 : 0)));
}

/** cells shows a few values (the ten outputs) as labelled cells with their numbers. */
export function fillCells(box, values, signed, scale, mark) {
  if (box.children.length !== values.length) {
    box.replaceChildren(...values.map((_, k) => h("div", { class: "cc" }, h("span", { class: "cc-k" }, String(k)), h("span", { class: "cc-v" }))));
  }
  values.forEach((v, k) => {
    const cell = box.children[k], s = css(v, signed, scale);
    cell.style.background = s.bg;
    cell.classList.toggle("light", s.light);
    cell.classList.toggle("mark", k === mark);
    cell.lastChild.textContent = cellNum(v);
  });
}

/**
 * drawOuter draws the rank-one ∂J/∂W = δaᵀ, (δ.length, a.length), a
 * backing pixel per weight on one colour scale for the whole matrix, with
 * column mark (a unit of a) outlined.
 */
export function drawOuter(canvas, d, a, mark) {
  const W = a.length, H = d.length;
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  canvas.style.height = `${Math.min(Math.max(6 * H, 40), 400)}px`; // a row of weights at least 6 CSS pixels tall
  const g = canvas.getContext("2d"), img = g.createImageData(W, H), scale = maxAbs(d) * maxAbs(a);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const o = 4 * (r * W + c);
      colour(d[r] * a[c], true, scale, img.data, o);
      img.data[o + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
  if (mark >= 0 && mark < W) {
    g.fillStyle = "rgba(15,23,42,.35)";
    g.fillRect(mark, 0, 1, H);
  }
  return scale;
}

/** inputX is the first layer's input x = (u − 0.1307)/0.3081 for the 784 grey levels u·255 of image. */
export function inputX(image) {
  const x = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) x[i] = (image[i] / 255 - Mean) / Std;
  return x;
}

/**
 * drawTiles draws ∂J/∂W₁ = δ₁xᵀ as one 28×28 tile per hidden unit, the
 * first-layer weights view's layout, on ONE scale for the whole matrix:
 * δ₁xᵀ has rank one, and a scale per tile would draw every tile the same up
 * to its sign. Tile mark is outlined. Returns the scale, max|∂J/∂W₁|.
 */
export function drawTiles(canvas, delta, x, mark) {
  const scale = maxAbs(delta) * maxAbs(x), bytes = new Uint8Array(delta.length * 784);
  for (let j = 0; j < delta.length; j++) {
    for (let i = 0; i < 784; i++) bytes[j * 784 + i] = scale > 0 ? Math.round(128 + (127 * delta[j] * x[i]) / scale) : 128;
  }
  drawWeights(canvas, { units: delta.length, bytes });
  if (mark >= 0 && mark < delta.length) {
    const g = canvas.getContext("2d");
    g.strokeStyle = "#0f172a";
    g.lineWidth = 2;
    g.strokeRect((mark % 10) * 29 - 0.5, Math.floor(mark / 10) * 29 - 0.5, 29, 29);
  }
  return scale;
}

/** tileIndex is the tile under a pointer event, or −1. */
export function tileIndex(canvas, n, e) {
  const r = canvas.getBoundingClientRect();
  const col = Math.floor(((e.clientX - r.left) / r.width) * canvas.width / 29);
  const row = Math.floor(((e.clientY - r.top) / r.height) * canvas.height / 29);
  const j = row * 10 + col;
  return col >= 0 && col < 10 && j >= 0 && j < n ? j : -1;
}
