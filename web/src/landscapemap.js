// The landscape's picture: a canvas with the heat map, contours, axes and
// colour bar (redrawn when the slice's values change), a canvas over it
// with the paths, the current weights and the inspected point (redrawn on
// every move), and the tip that says (a, b) and the loss there. Hover with
// a mouse, tap with a finger, or move over the grid's points with the arrow
// keys.
import { h } from "./forms.js";
import { t } from "./i18n.js";
import { fmtNum, pct } from "./format.js";
import { Scale, heatHex } from "./landscapescale.js";
import { offPlane } from "./landscapedata.js";
import { frame, paintHeat, paintContours, paintAxes, paintBar, paintTracks, paintCurrent, paintPoint } from "./landscapedraw.js";

const NEAR_PATH = 12; // CSS pixels within which a tap or the cursor picks a path's point
const STAGE = "#e8edf3"; // the data area where nothing is measured yet

export class LandscapeMap {
  /** hooks: {colorOf(run), nameOf(run), titles(slice) → {x, y}} */
  constructor(hooks) {
    this.hooks = hooks;
    this.base = h("canvas", { class: "land-base", "aria-hidden": "true" });
    this.over = h("canvas", { class: "land-over", tabindex: 0, role: "img", "aria-label": t("landCanvas"), "data-i18n-label": "landCanvas" });
    this.tip = h("div", { class: "land-tip", hidden: true, role: "status" });
    this.el = h("div", { class: "land-stage" }, this.base, this.over, this.tip);
    this.slice = null;
    this.hover = null; // {i, j} of the grid or {tr, k} of a path, and whether a tap pinned it
    this.painted = []; // what each picture held, for the browser tests: {state, full, preview} points
    this.palette = heatHex; // the heat map's colours, for the browser test that compares them with the figures'
    this.listen();
    new ResizeObserver(() => { if (this.el.clientWidth !== this.width) this.draw(); }).observe(this.el);
  }

  listen() {
    const o = this.over;
    o.addEventListener("pointermove", (e) => { if (e.pointerType === "mouse" && !(this.hover && this.hover.pinned)) this.inspectAt(e, false); });
    o.addEventListener("pointerleave", (e) => { if (e.pointerType === "mouse" && !(this.hover && this.hover.pinned)) this.inspect(null); });
    o.addEventListener("pointerdown", (e) => { this.down = [e.clientX, e.clientY]; });
    o.addEventListener("pointerup", (e) => {
      if (!this.down || Math.hypot(e.clientX - this.down[0], e.clientY - this.down[1]) > 8) return;
      this.down = null;
      const was = this.hover && this.hover.pinned;
      this.inspectAt(e, true);
      if (was && this.hover && !this.hover.moved) this.inspect(null); // a second tap on the same point lets go
    });
    o.addEventListener("keydown", (e) => this.key(e));
  }

  /** show draws slice (or nothing); a new slice lets go of the inspected point. */
  show(slice) {
    if (slice !== this.slice) this.hover = null;
    this.slice = slice;
    this.draw();
  }

  draw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.paint(); });
  }

  get ready() { return !!(this.slice && this.slice.layers); }

  paint() {
    const w = this.el.clientWidth;
    this.width = w;
    if (!w || !this.ready) { this.el.hidden = !this.ready; this.tip.hidden = true; return; }
    this.el.hidden = false;
    const s = this.slice, f = frame(w, s), dpr = window.devicePixelRatio || 1;
    this.f = f;
    this.el.style.height = `${f.H}px`;
    for (const c of [this.base, this.over]) {
      if (c.width !== Math.round(f.W * dpr) || c.height !== Math.round(f.H * dpr)) { c.width = Math.round(f.W * dpr); c.height = Math.round(f.H * dpr); this.key0 = null; }
    }
    const key = `${s.id}:${s.version}:${w}`;
    if (key !== this.key0) { this.key0 = key; this.paintBase(f, dpr); }
    this.paintOver(f, dpr);
    if (this.hover) this.describe();
  }

  /** paintBase draws what only the values change: the heat map, the contours, the axes and the colour bar. */
  paintBase(f, dpr) {
    const s = this.slice, ctx = this.base.getContext("2d"), grid = s.grid("loss");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, f.W, f.H);
    ctx.fillStyle = STAGE;
    ctx.fillRect(f.l, f.t, f.r - f.l, f.bt - f.t);
    this.scale = new Scale(Array.from(grid));
    paintHeat(ctx, f, grid, this.scale);
    paintContours(ctx, f, grid, this.scale);
    const titles = this.hooks.titles(s);
    paintAxes(ctx, f, titles.x, titles.y);
    if (!this.scale.empty) paintBar(ctx, f, this.scale, this.scale.log ? t("landBarLog") : t("landBar"));
    this.painted.push(s.counts());
    if (this.painted.length > 200) this.painted.shift();
    this.el.dataset.state = s.state;
  }

  paintOver(f, dpr) {
    const s = this.slice, ctx = this.over.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, f.W, f.H);
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.l, f.t, f.r - f.l, f.bt - f.t);
    ctx.clip();
    paintTracks(ctx, f, s.tracks, (run) => this.hooks.colorOf(run));
    paintCurrent(ctx, f, s.current());
    const p = this.hoverPoint();
    if (p) paintPoint(ctx, f.px(p[0], p[1]));
    ctx.restore();
  }

  /** hoverPoint is (a, b) of the inspected point. */
  hoverPoint() {
    const hv = this.hover, s = this.slice;
    if (!hv || !this.ready) return null;
    if (hv.tr) return [hv.tr.a[hv.k], hv.tr.b[hv.k]];
    return [s.a[hv.i], s.b[hv.j]];
  }

  inspectAt(e, pinned) {
    if (!this.f) return;
    const r = this.over.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    const hit = this.nearPath(x, y) || this.nearGrid(x, y);
    const same = hit && this.hover && hit.tr === this.hover.tr && hit.k === this.hover.k && hit.i === this.hover.i && hit.j === this.hover.j;
    this.inspect(hit ? { ...hit, pinned, moved: !same } : null);
  }

  /** nearPath is the path point nearest (x, y) within NEAR_PATH pixels. */
  nearPath(x, y) {
    let best = null, bd = NEAR_PATH;
    for (const tr of this.slice.tracks) {
      tr.a.forEach((a, k) => {
        const [px, py] = this.f.px(a, tr.b[k]), d = Math.hypot(px - x, py - y);
        if (d < bd && this.f.inside(px, py)) { bd = d; best = { tr, k }; }
      });
    }
    return best;
  }

  /** nearGrid is the grid point nearest (x, y) inside the data area, or a preview's point while only the preview holds values there. */
  nearGrid(x, y) {
    const f = this.f, s = this.slice;
    if (!f.inside(x, y)) return null;
    const [a, b] = f.ab(x, y);
    let i = Math.round(((a - f.dom.aMin) / (f.dom.aMax - f.dom.aMin)) * (s.n - 1));
    let j = Math.round(((b - f.dom.bMin) / (f.dom.bMax - f.dom.bMin)) * (s.m - 1));
    if (!s.at(i, j) && s.preview.length) [i, j] = [nearest(s.preview, i), nearest(s.preview, j)];
    return { i, j };
  }

  /** key moves the inspected grid point with the arrow keys; Escape lets it go. */
  key(e) {
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (e.key === "Escape") { this.inspect(null); return; }
    if (!d || !this.ready) return;
    e.preventDefault();
    const s = this.slice, hv = this.hover && this.hover.i != null ? this.hover : { i: (s.n - 1) >> 1, j: (s.m - 1) >> 1 };
    const i = Math.min(Math.max(hv.i + d[0], 0), s.n - 1), j = Math.min(Math.max(hv.j + d[1], 0), s.m - 1);
    this.inspect({ i, j, pinned: true });
  }

  inspect(hit) {
    this.hover = hit;
    if (!hit) this.tip.hidden = true;
    else this.describe();
    this.draw();
  }

  /** describe fills the tip: a grid point's (a, b) and values, or a path point's run, step and distance from the plane. */
  describe() {
    const hv = this.hover, s = this.slice;
    const rows = hv.tr ? pathRows(hv.tr, hv.k, this.hooks.nameOf(hv.tr.run)) : gridRows(s, hv.i, hv.j);
    this.tip.replaceChildren(h("table", {}, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))))));
    this.tip.hidden = false;
    const [x, y] = this.f.px(...this.hoverPoint()), w = this.el.clientWidth, tw = this.tip.offsetWidth, th = this.tip.offsetHeight;
    this.tip.style.left = `${Math.max(4, Math.min(x + 14, w - tw - 4))}px`;
    this.tip.style.top = `${Math.max(4, y + 14 + th > this.el.clientHeight ? y - th - 14 : y + 14)}px`;
  }
}

/** gridRows are a grid point's lines in the tip. */
function gridRows(s, i, j) {
  const v = s.at(i, j), rows = [["(a, b)", `(${fmtNum(s.a[i], 3)}, ${fmtNum(s.b[j], 3)})`]];
  if (!v) return [...rows, [t("landLoss"), t("landNotYet")]];
  rows.push([t("landLoss"), fmtNum(v.loss)], [t("landAcc"), Number.isFinite(v.accuracy) ? pct(v.accuracy, 1) : "–"]);
  if (s.hasTest) rows.push([t("landTestLoss"), fmtNum(v.testLoss)], [t("landTestAcc"), Number.isFinite(v.testAccuracy) ? pct(v.testAccuracy, 1) : "–"]);
  if (v.pass === "preview") rows.push(["", t("landFromPreview")]);
  return rows;
}

/** pathRows are a path point's lines in the tip. */
function pathRows(tr, k, name) {
  return [[t("run"), name], [t("step"), String(tr.step[k])], ["(a, b)", `(${fmtNum(tr.a[k], 3)}, ${fmtNum(tr.b[k], 3)})`],
    [t("landOff"), pct(offPlane(tr)[k], 0)]];
}

function nearest(list, i) {
  return list.reduce((best, x) => (Math.abs(x - i) < Math.abs(best - i) ? x : best), list[0]);
}
