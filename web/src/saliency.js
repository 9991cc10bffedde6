// Which pixels matter: the saliency ∂ log p_C/∂u of an explanation (server
// protocol/explain.go) as a signed map on the weights' two colours, orange
// where more ink raises p_C and blue where it lowers it, drawn as the 28×28
// image the network was given and, on demand, laid over the drawing itself
// through the drawing's placement (where its ink went in the image).
import { decodeBase64 } from "./format.js";
import { signedRGB, NEG, POS } from "./pictures.js";

const SIDE = 28;
const INK = 0.25; // how dark the drawing's ink shows under the map, for orientation

/** saliencyValues returns the map's 784 values in [−1, 1] (times sal.scale: ∂ log p_C/∂u). */
export function saliencyValues(sal) {
  const px = decodeBase64(sal.pixels), v = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) v[i] = (px[i] - 128) / 127;
  return v;
}

/**
 * drawSaliency draws the 28×28 map on canvas (28 × 28 backing pixels) on
 * the weights' colours, over the image the network was given in light grey
 * (image: its 784 grey levels), so that the map can be read against the
 * digit; white where both are 0.
 */
export function drawSaliency(canvas, values, image) {
  const g = canvas.getContext("2d");
  const img = g.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const base = 255 - INK * (image ? image[i] : 0), v = values ? values[i] : 0;
    const a = Math.min(Math.abs(v), 1), end = v < 0 ? NEG : POS;
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = Math.round(base + a * (end[k] - base));
    img.data[4 * i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}

/**
 * imagePoint is where canvas point (x, y) of the sent drawing lands in the
 * 28×28 image: column dx + (x − x0)·ow/w, row dy + (y − y0)·oh/h.
 */
export function imagePoint(at, x, y) {
  return [at.dx + ((x - at.x0) * at.ow) / at.w, at.dy + ((y - at.y0) * at.oh) / at.h];
}

/**
 * drawOverlay lays the map over the drawing: canvas has the sent drawing's
 * side in backing pixels, and each of its pixels takes the colour of the
 * image pixel it went to, more opaque where the map is stronger; what lies
 * outside the 28×28 image stays clear.
 */
export function drawOverlay(canvas, values, at) {
  const n = canvas.width, g = canvas.getContext("2d");
  const img = g.createImageData(n, n);
  if (values && at && at.w > 0 && at.h > 0) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const [c, r] = imagePoint(at, x + 0.5, y + 0.5);
        if (c < 0 || r < 0 || c >= SIDE || r >= SIDE) continue;
        const v = values[Math.floor(r) * SIDE + Math.floor(c)], o = 4 * (y * n + x);
        signedRGB(v < 0 ? -1 : 1, img.data, o);
        img.data[o + 3] = Math.round(230 * Math.min(1, Math.abs(v)));
      }
    }
  }
  g.putImageData(img, 0, 0);
}

/** subscript writes a whole number with subscript digits: 12 → ₁₂. */
export function subscript(n) {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
}
