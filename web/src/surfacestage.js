// The surface's stage: the server's image of J (heat map, contours and its
// colour bar) with a canvas over it that draws the trajectories, the start
// and the inspected step. The gestures are in surfacegestures.js.
import { h } from "./forms.js";
import { t } from "./i18n.js";
import { DIVERGED } from "./charts.js";
import { TrajStatus } from "./protocol.js";
import { toPixel, parseArea, scaleArea, imageTransform } from "./surfacemap.js";
import { Gestures } from "./surfacegestures.js";

const LOAD_DELAY = 180; // ms of quiet before a zoomed view is re-rendered
const INK = "#111827"; // the arrows': not the colour of any path
const HALO = "rgba(255,255,255,.9)";

export class SurfaceStage {
  /** hooks: {onStart(x, y), describe(traj, it) → Element} */
  constructor(hooks) {
    this.hooks = hooks;
    this.img = h("img", { class: "surf-img", alt: "", draggable: "false" });
    this.canvas = h("canvas", { class: "surf-canvas", tabindex: 0, "data-i18n-label": "surfCanvas", "aria-label": t("surfCanvas") });
    this.tip = h("div", { class: "surf-tip", hidden: true, role: "status" });
    this.el = h("div", { class: "surf-stage" }, this.img, this.canvas, this.tip);
    this.trajs = [];
    this.start = null;
    this.hover = null; // {ti, k, pinned}
    this.dragStart = null; // the start while its marker is dragged
    this.seq = 0;
    this.gestures = new Gestures(this);
    new ResizeObserver(() => { if (this.el.clientWidth !== this.width) this.load(0); }).observe(this.el);
  }

  /** setFunction shows fn (with its parameters) over its own domain. */
  setFunction(fn, params, lang) {
    this.fn = fn;
    this.params = params || {};
    this.lang = lang;
    this.view = { xMin: fn.domain[0], xMax: fn.domain[1], yMin: fn.domain[2], yMax: fn.domain[3] };
    this.load(0);
  }

  resetView() { if (this.fn) this.setFunction(this.fn, this.params, this.lang); }
  setLang(lang) { this.lang = lang; this.load(0); }

  /** load asks the server for the image of the current view, after delay ms of quiet. */
  load(delay = LOAD_DELAY) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetchImage(), delay);
  }

  async fetchImage() {
    if (!this.fn || !this.el.clientWidth) return; // a hidden tab: drawn when shown
    const w = Math.max(this.el.clientWidth, 160);
    const hgt = Math.round(Math.min(w * 0.85, 620));
    this.width = w;
    this.el.style.height = `${hgt}px`;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const W = Math.min(Math.round(w * dpr), 4096), H = Math.min(Math.round(hgt * dpr), 4096);
    const v = this.view, seq = ++this.seq;
    const q = new URLSearchParams({ fn: this.fn.name, xmin: v.xMin, xmax: v.xMax, ymin: v.yMin, ymax: v.yMax,
      w: W, h: H, lang: this.lang, dpi: Math.round(96 * dpr) });
    for (const [k, x] of Object.entries(this.params)) q.set(`p.${k}`, x);
    try {
      const res = await fetch(`/api/surface?${q}`);
      if (!res.ok) throw new Error(await res.text());
      const blob = await res.blob();
      if (seq !== this.seq) return;
      const url = URL.createObjectURL(blob);
      await new Promise((ok) => { this.img.onload = ok; this.img.src = url; });
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = url;
      this.area = parseArea(res.headers.get("X-Plot-Area"));
      this.shown = { ...v };
      this.scale = w / W;
      this.img.style.width = `${w}px`;
      this.img.style.transform = imageTransform(this.shown, this.view, this.cssArea());
      this.el.dataset.loaded = String(seq);
      this.draw();
    } catch (e) {
      if (seq === this.seq) this.el.dataset.error = String(e.message || e);
    }
  }

  /** cssArea is the data area in CSS pixels. */
  cssArea() { return scaleArea(this.area, this.scale); }

  /** px maps a point of the current view to CSS pixels. */
  px(x, y) { return toPixel(this.view, this.cssArea(), x, y); }

  setTrajs(trajs) { this.trajs = trajs; this.draw(); }
  setStart(p) { this.start = p; this.draw(); }
  get hasPaths() { return this.trajs.some((tr) => tr.points.length > 1); }

  draw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.paint(); });
  }

  paint() {
    if (!this.area) return;
    const dpr = window.devicePixelRatio || 1, c = this.canvas;
    const w = this.el.clientWidth, hgt = this.el.clientHeight;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(hgt * dpr)) {
      c.width = Math.round(w * dpr); c.height = Math.round(hgt * dpr);
    }
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const a = this.cssArea();
    ctx.save();
    ctx.beginPath();
    ctx.rect(a.l, a.t, a.r - a.l, a.b - a.t);
    ctx.clip();
    this.trajs.forEach((tr) => paintTraj(ctx, tr, (x, y) => this.px(x, y)));
    const s = this.dragStart || this.start;
    if (s) paintStart(ctx, ...this.px(s[0], s[1]), !!this.dragStart || this.gestures.placing);
    if (this.hover) this.paintHover(ctx);
    ctx.restore();
    this.paintLabels(ctx, a);
  }

  /** paintLabels writes "diverged at step k" beside each diverged end, moving a label down until it overlaps none. */
  paintLabels(ctx, a) {
    ctx.save();
    ctx.font = "600 13px system-ui, sans-serif";
    const placed = [];
    for (const tr of this.trajs) {
      const last = tr.points[tr.points.length - 1];
      if (!last || last.status !== TrajStatus.diverged) continue;
      let [x, y] = this.px(last.x[0], last.x[1]);
      x = Math.min(Math.max(x, a.l + 8), a.r - 8);
      y = Math.min(Math.max(y, a.t + 8), a.b - 8);
      cross(ctx, x, y, tr.color);
      const label = t("divergedAt", { k: last.step }), tw = ctx.measureText(label).width + 14; // a dot of the path's colour, then the words
      const box = { x: x + 10 + tw > a.r ? x - 10 - tw : x + 10, y: y < a.t + 20 ? y + 18 : y - 8, w: tw, h: 16 };
      while (placed.some((p) => overlaps(p, box)) && box.y + 18 < a.b) box.y += 18;
      placed.push(box);
      ctx.fillStyle = tr.color;
      ctx.strokeStyle = HALO;
      ctx.lineWidth = 2;
      dot(ctx, box.x + 5, box.y - 4.5, 5, true);
      ctx.lineWidth = 4;
      ctx.strokeText(label, box.x + 14, box.y);
      ctx.fillStyle = DIVERGED;
      ctx.fillText(label, box.x + 14, box.y);
    }
    ctx.restore();
    this.labels = placed; // for the browser test: the labels' boxes
  }

  /** paintHover draws the inspected point, −∇J from it (solid) and the step Δθ that led to it (dashed). */
  paintHover(ctx) {
    const tr = this.trajs[this.hover.ti], it = tr && tr.points[this.hover.k];
    if (!it) return;
    const [x, y] = this.px(it.x[0], it.x[1]);
    const [px0, py0] = this.px(it.x[0] - it.delta[0], it.x[1] - it.delta[1]);
    if (Math.hypot(x - px0, y - py0) > 2) arrow(ctx, px0, py0, x, y, [4, 3]);
    const [gx, gy] = this.px(it.x[0] - it.grad[0], it.x[1] - it.grad[1]);
    const len = Math.hypot(gx - x, gy - y);
    if (len > 0) arrow(ctx, x, y, x + ((gx - x) / len) * 48, y + ((gy - y) / len) * 48);
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.fillStyle = tr.color;
    dot(ctx, x, y, 6, true);
  }

  /** nearest finds the trajectory point nearest (cx, cy), within limit pixels. */
  nearest(cx, cy, limit) {
    let best = null, bd = limit;
    this.trajs.forEach((tr, ti) => tr.points.forEach((it, k) => {
      const [x, y] = this.px(it.x[0], it.x[1]);
      const d = Math.hypot(x - cx, y - cy);
      if (d < bd) { bd = d; best = { ti, k }; }
    }));
    return best;
  }

  inspect(hit, cx, cy, pinned = false) {
    this.hover = hit ? { ...hit, pinned } : null;
    if (!hit) { this.tip.hidden = true; this.draw(); return; }
    this.tip.replaceChildren(this.hooks.describe(this.trajs[hit.ti], this.trajs[hit.ti].points[hit.k]));
    this.tip.hidden = false;
    const w = this.el.clientWidth, tw = this.tip.offsetWidth, th = this.tip.offsetHeight;
    this.tip.style.left = `${Math.max(4, Math.min(cx + 16, w - tw - 4))}px`;
    this.tip.style.top = `${Math.max(4, cy + 16 + th > this.el.clientHeight ? cy - th - 16 : cy + 16)}px`;
    this.draw();
  }

  /** moveView shows a new domain at once (the old image transformed) and re-renders it later. */
  moveView(view) {
    this.view = view;
    if (this.area) this.img.style.transform = imageTransform(this.shown, view, this.cssArea());
    this.draw();
    this.load();
  }
}

/** paintTraj draws a path in its colour over a light outline, so that it reads on the dark end of the map too. */
function paintTraj(ctx, tr, px) {
  const pts = tr.points;
  if (!pts.length) return;
  const line = () => { ctx.beginPath(); pts.forEach((it, i) => { const [x, y] = px(it.x[0], it.x[1]); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); }); ctx.stroke(); };
  ctx.lineJoin = ctx.lineCap = "round";
  ctx.strokeStyle = HALO;
  ctx.lineWidth = 4.5;
  line();
  ctx.strokeStyle = tr.color;
  ctx.lineWidth = 2;
  line();
  const every = Math.max(1, Math.ceil(pts.length / 300));
  ctx.fillStyle = tr.color;
  for (let i = 0; i < pts.length; i += every) dot(ctx, ...px(pts[i].x[0], pts[i].x[1]), 2.2);
  const last = pts[pts.length - 1];
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 1.5;
  dot(ctx, ...px(last.x[0], last.x[1]), 4.5, true);
}

function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y - a.h < b.y && b.y - b.h < a.y; }

function dot(ctx, x, y, r, ring = false) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
  if (ring) ctx.stroke();
}

function cross(ctx, x, y, color) {
  for (const [c, w] of [[HALO, 6], [DIVERGED, 3]]) {
    ctx.strokeStyle = c;
    ctx.lineWidth = w;
    ctx.beginPath();
    ctx.moveTo(x - 7, y - 7); ctx.lineTo(x + 7, y + 7);
    ctx.moveTo(x + 7, y - 7); ctx.lineTo(x - 7, y + 7);
    ctx.stroke();
  }
  ctx.fillStyle = color;
  dot(ctx, x, y, 2.5);
}

/** paintStart draws the start: a white ring, larger while it moves or waits for a tap. */
function paintStart(ctx, x, y, active) {
  ctx.fillStyle = "#fff";
  ctx.strokeStyle = INK;
  ctx.lineWidth = 2.5;
  dot(ctx, x, y, active ? 9 : 6, true);
  if (active) { ctx.beginPath(); ctx.arc(x, y, 14, 0, 2 * Math.PI); ctx.setLineDash([3, 3]); ctx.stroke(); ctx.setLineDash([]); }
}

/** arrow draws an ink arrow on a light halo, solid or dashed. */
function arrow(ctx, x0, y0, x1, y1, dash = []) {
  const ang = Math.atan2(y1 - y0, x1 - x0), hd = 9;
  ctx.save();
  for (const [color, w] of [[HALO, 5], [INK, 2.5]]) {
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.lineWidth = w;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - hd * Math.cos(ang - 0.4), y1 - hd * Math.sin(ang - 0.4));
    ctx.lineTo(x1 - hd * Math.cos(ang + 0.4), y1 - hd * Math.sin(ang + 0.4));
    ctx.closePath();
    if (color === HALO) ctx.stroke(); else ctx.fill();
  }
  ctx.restore();
}
