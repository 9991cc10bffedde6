// Drawing a loss landscape on a canvas, in the look of the surface
// explorer's figures: the heat map of J between the grid's points, white
// contour lines, the colour bar, the axes, each path as a line with a mark
// at every kept step (faded, then dashed, where it leaves the plane), and
// the current weights as white dots.
import { heatRGBAt, NAN_RGB, niceTicks } from "./landscapescale.js";
import { blend, offPlane } from "./landscapedata.js";
import { fade } from "./charts.js";

const RASTER = 360; // heat map pixels along the data area's longer side
const CONTOUR = "rgba(255,255,255,.6)"; // figures' contourStyle: white, 150/255 opaque
const HALO = "rgba(255,255,255,.9)";
const INK = "#111827";
const AXIS = "#475569";
const FONT = "11px system-ui, sans-serif";
// PAD is the room around the data area in CSS pixels, the colour bar's in the right one; a phone's is narrower.
const PAD = { l: 58, r: 70, t: 12, b: 44 }, PHONE_PAD = { l: 46, r: 58, t: 12, b: 44 };

/**
 * frame is the picture's geometry for a canvas width wide over the
 * slice's axes: the data area (l, t, r, bt) and the one mapping between
 * (a, b) and pixels, px = l + (a − aMin)/(aMax − aMin)·(r − l), py = bt −
 * (b − bMin)/(bMax − bMin)·(bt − t), as the server's figures map a domain.
 */
export function frame(width, slice) {
  const dom = { aMin: slice.a[0], aMax: slice.a[slice.n - 1], bMin: slice.b[0], bMax: slice.b[slice.m - 1] };
  const pad = width < 480 ? PHONE_PAD : PAD;
  const dw = Math.max(120, width - pad.l - pad.r), dh = Math.round(Math.min(Math.max(dw * 0.72, 200), 520));
  const f = { dom, pad, W: width, H: pad.t + dh + pad.b, l: pad.l, t: pad.t, r: pad.l + dw, bt: pad.t + dh, n: slice.n, m: slice.m };
  f.px = (a, b) => [f.l + ((a - dom.aMin) / (dom.aMax - dom.aMin)) * dw, f.bt - ((b - dom.bMin) / (dom.bMax - dom.bMin)) * dh];
  f.ab = (x, y) => [dom.aMin + ((x - f.l) / dw) * (dom.aMax - dom.aMin), dom.bMin + ((f.bt - y) / dh) * (dom.bMax - dom.bMin)];
  f.inside = (x, y) => x >= f.l && x <= f.r && y >= f.t && y <= f.bt;
  return f;
}

/** sampler returns J at fractional grid indices (fi, fj), bilinear between the grid's points. */
function sampler(grid, n, m) {
  return (fi, fj) => {
    const i = Math.min(Math.max(Math.floor(fi), 0), n - 2), j = Math.min(Math.max(Math.floor(fj), 0), m - 2);
    const s = Math.min(Math.max(fi - i, 0), 1), u = Math.min(Math.max(fj - j, 0), 1), p = i + n * j;
    return blend(grid[p], grid[p + 1], grid[p + n], grid[p + n + 1], s, u);
  };
}

/** paintHeat draws the heat map of grid on scale: unmeasured points left clear, losses that overflowed grey. */
export function paintHeat(ctx, f, grid, scale) {
  const dw = f.r - f.l, dh = f.bt - f.t, k = RASTER / Math.max(dw, dh);
  const rw = Math.max(2, Math.round(dw * k)), rh = Math.max(2, Math.round(dh * k));
  const img = new ImageData(rw, rh), at = sampler(grid, f.n, f.m);
  for (let y = 0; y < rh; y++) {
    const fj = (1 - (y + 0.5) / rh) * (f.m - 1);
    for (let x = 0; x < rw; x++) {
      const v = at(((x + 0.5) / rw) * (f.n - 1), fj), o = 4 * (x + rw * y);
      if (Number.isNaN(v)) continue;
      const c = Number.isFinite(v) ? heatRGBAt(scale.frac(v)) : NAN_RGB;
      img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(rw, rh);
  off.getContext("2d").putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(off, f.l, f.t, dw, dh);
  ctx.restore();
}

/** paintContours traces the scale's levels through the grid (marching squares on the transformed values). */
export function paintContours(ctx, f, grid, scale) {
  const levels = scale.levels();
  if (!levels.length) return;
  const { n, m } = f, v = Float64Array.from(grid, (z) => (Number.isFinite(z) ? scale.apply(z) : NaN));
  const X = (gi) => f.l + (gi / (n - 1)) * (f.r - f.l), Y = (gj) => f.bt - (gj / (m - 1)) * (f.bt - f.t);
  ctx.save();
  ctx.strokeStyle = CONTOUR;
  ctx.lineWidth = 0.9;
  ctx.beginPath();
  for (let j = 0; j < m - 1; j++) {
    for (let i = 0; i < n - 1; i++) {
      const c = [v[i + n * j], v[i + 1 + n * j], v[i + 1 + n * (j + 1)], v[i + n * (j + 1)]]; // 00, 10, 11, 01
      if (!c.every(Number.isFinite)) continue;
      for (const L of levels) cellSegments(c, L).forEach(([p, q]) => { ctx.moveTo(X(i + p[0]), Y(j + p[1])); ctx.lineTo(X(i + q[0]), Y(j + q[1])); });
    }
  }
  ctx.stroke();
  ctx.restore();
}

// EDGES are a cell's sides as pairs of its corners (00, 10, 11, 01): bottom, right, top, left.
const EDGES = [[0, 1], [1, 2], [3, 2], [0, 3]];
const CORNER = [[0, 0], [1, 0], [1, 1], [0, 1]];

/** cellSegments are the pieces of level L's line in a cell with corner values c, in the cell's unit square. */
function cellSegments(c, L) {
  const cross = [];
  EDGES.forEach(([p, q], e) => {
    if ((c[p] > L) === (c[q] > L)) return;
    const s = (L - c[p]) / (c[q] - c[p]), P = CORNER[p], Q = CORNER[q];
    cross.push({ e, at: [P[0] + s * (Q[0] - P[0]), P[1] + s * (Q[1] - P[1])] });
  });
  if (cross.length === 2) return [[cross[0].at, cross[1].at]];
  if (cross.length !== 4) return [];
  // A saddle: the centre's side decides which corners the lines cut off.
  const centre = (c[0] + c[1] + c[2] + c[3]) / 4, at = cross.map((x) => x.at);
  return (centre > L) === (c[0] > L) ? [[at[0], at[1]], [at[2], at[3]]] : [[at[0], at[3]], [at[1], at[2]]];
}

/** paintAxes draws the data area's frame, round ticks on a and b, and the axes' titles. */
export function paintAxes(ctx, f, xTitle, yTitle) {
  ctx.save();
  ctx.strokeStyle = AXIS;
  ctx.fillStyle = AXIS;
  ctx.lineWidth = 1;
  ctx.font = FONT;
  ctx.strokeRect(f.l + 0.5, f.t + 0.5, f.r - f.l - 1, f.bt - f.t - 1);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const [v, label] of niceTicks(f.dom.aMin, f.dom.aMax)) {
    const x = f.px(v, 0)[0];
    ctx.beginPath(); ctx.moveTo(x, f.bt); ctx.lineTo(x, f.bt + 4); ctx.stroke();
    ctx.fillText(label, x, f.bt + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const [v, label] of niceTicks(f.dom.bMin, f.dom.bMax)) {
    const y = f.px(0, v)[1];
    ctx.beginPath(); ctx.moveTo(f.l - 4, y); ctx.lineTo(f.l, y); ctx.stroke();
    ctx.fillText(label, f.l - 6, y);
  }
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillStyle = INK;
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(xTitle, (f.l + f.r) / 2, f.H - 6, f.r - f.l);
  ctx.translate(12, (f.t + f.bt) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yTitle, 0, 0, f.bt - f.t);
  ctx.restore();
}

/** paintBar draws the colour bar right of the map: the lowest J at the bottom, round ticks, its title on top. */
export function paintBar(ctx, f, scale, title) {
  const x0 = f.r + 10, w = 10, y0 = f.bt, y1 = f.t + 18, slabs = 128;
  ctx.save();
  for (let i = 0; i < slabs; i++) {
    const c = heatRGBAt(i / (slabs - 1));
    ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    const lo = y0 + ((y1 - y0) * i) / slabs, hi = y0 + ((y1 - y0) * (i + 1)) / slabs;
    ctx.fillRect(x0, hi, w, lo - hi + 0.5);
  }
  ctx.strokeStyle = AXIS;
  ctx.fillStyle = AXIS;
  ctx.lineWidth = 0.75;
  ctx.strokeRect(x0, y1, w, y0 - y1);
  ctx.font = FONT;
  ctx.textBaseline = "middle";
  for (const { f: p, label } of scale.ticks()) {
    const y = y0 + (y1 - y0) * p;
    ctx.beginPath(); ctx.moveTo(x0 + w, y); ctx.lineTo(x0 + w + 3, y); ctx.stroke();
    ctx.fillText(label, x0 + w + 5, y);
  }
  ctx.fillStyle = INK;
  ctx.textBaseline = "alphabetic";
  ctx.fillText(title, f.r + 4, f.t + 10, f.pad.r - 6);
  ctx.restore();
}

/**
 * paintTracks draws each path in its colour over a light outline: a
 * segment's opacity is 1 − 0.85·o, o its points' larger share off the plane
 * (offPlane), dashed beyond a quarter off, as the exported figure draws it;
 * a mark at every kept step, a larger one at the first, and the steps of
 * the first, the last and three between written beside them.
 */
export function paintTracks(ctx, f, tracks, colorOf) {
  ctx.save();
  ctx.lineJoin = ctx.lineCap = "round";
  const placed = []; // the step labels' boxes: a label that would overlap one is left out
  for (const tr of tracks) {
    const c = colorOf(tr.run), off = offPlane(tr), pts = tr.a.map((a, k) => f.px(a, tr.b[k]));
    for (let k = 0; k + 1 < pts.length; k++) {
      const o = Math.max(off[k], off[k + 1]), dashed = o > 0.25; // a dashed piece has no outline, which would fill its gaps
      ctx.setLineDash(dashed ? [5, 4] : []);
      ctx.lineCap = dashed ? "butt" : "round";
      const strokes = [[`rgba(255,255,255,${0.9 * (1 - 0.85 * o)})`, 4.5], [fade(c, 1 - 0.85 * o), 2]];
      for (const [style, w] of dashed ? strokes.slice(1) : strokes) {
        ctx.strokeStyle = style;
        ctx.lineWidth = w;
        ctx.beginPath(); ctx.moveTo(...pts[k]); ctx.lineTo(...pts[k + 1]); ctx.stroke();
      }
    }
    ctx.setLineDash([]);
    pts.forEach((p, k) => { ctx.fillStyle = fade(c, 1 - 0.85 * off[k]); dot(ctx, p, k === 0 ? 3.5 : 2.2); });
    stepLabels(ctx, tr, pts, placed);
  }
  ctx.restore();
}

/**
 * stepLabels writes the steps of five points of a path (the first, the last
 * and three between), unless the path is a speck (a random plane's) or the
 * label would overlap one already placed.
 */
function stepLabels(ctx, tr, pts, placed) {
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  if (pts.length < 2 || Math.max(...xs) - Math.min(...xs) + Math.max(...ys) - Math.min(...ys) < 24) return;
  ctx.font = "10px system-ui, sans-serif";
  ctx.textBaseline = "bottom";
  for (const k of new Set([0, 1, 2, 3, 4].map((q) => Math.floor((q * (pts.length - 1)) / 4)))) {
    const [x, y] = pts[k], label = String(tr.step[k]);
    const box = { x: x + 4, y: y - 14, w: ctx.measureText(label).width + 2, h: 12 };
    if (placed.some((p) => p.x < box.x + box.w && box.x < p.x + p.w && p.y < box.y + box.h && box.y < p.y + p.h)) continue;
    placed.push(box);
    ctx.strokeStyle = HALO;
    ctx.lineWidth = 3;
    ctx.strokeText(label, x + 5, y - 3);
    ctx.fillStyle = INK;
    ctx.fillText(label, x + 5, y - 3);
  }
}

/**
 * paintCurrent marks the current weights: white dots edged in ink, or, for
 * weights that a live run has taken beyond the slice, a white arrowhead at
 * the edge that points where they went.
 */
export function paintCurrent(ctx, f, pts) {
  ctx.save();
  ctx.fillStyle = "#fff";
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1.5;
  for (const p of pts) {
    const [x, y] = f.px(p.a, p.b);
    if (f.inside(x, y)) { dot(ctx, [x, y], 5, true); continue; }
    const cx = Math.min(Math.max(x, f.l + 7), f.r - 7), cy = Math.min(Math.max(y, f.t + 7), f.bt - 7);
    const ang = Math.atan2(y - cy, x - cx);
    ctx.beginPath();
    ctx.moveTo(cx + 7 * Math.cos(ang), cy + 7 * Math.sin(ang));
    ctx.lineTo(cx + 7 * Math.cos(ang + 2.4), cy + 7 * Math.sin(ang + 2.4));
    ctx.lineTo(cx + 7 * Math.cos(ang - 2.4), cy + 7 * Math.sin(ang - 2.4));
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

/** paintPoint rings a point under the cursor. */
export function paintPoint(ctx, [x, y]) {
  ctx.save();
  ctx.strokeStyle = HALO;
  ctx.lineWidth = 4;
  ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1.8;
  ctx.stroke();
  ctx.restore();
}

function dot(ctx, [x, y], r, ring = false) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
  if (ring) ctx.stroke();
}
