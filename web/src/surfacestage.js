// The surface's stage: the server's image of J (heat map and contours) with
// a canvas over it that draws the trajectories, and the gestures: click or
// tap to set the start, hover or tap a point to inspect it, drag to pan,
// wheel or pinch to zoom (the image is re-rendered for the new domain).
import { h } from "./forms.js";
import { t } from "./i18n.js";
import { toPixel, fromPixel, parseArea, scaleArea, zoomAbout, pan, imageTransform } from "./surfacemap.js";

const DRAG_PX = 5; // a pointer that moves less than this clicks
const HIT_PX = 12; // how near a point must be to inspect it
const LOAD_DELAY = 180; // ms of quiet before a zoomed view is re-rendered

export class SurfaceStage {
  /** hooks: {onStart(x, y), describe(traj, it) → Element, onView()} */
  constructor(hooks) {
    this.hooks = hooks;
    this.img = h("img", { class: "surf-img", alt: "", draggable: "false" });
    this.canvas = h("canvas", { class: "surf-canvas", tabindex: 0, "data-i18n-label": "surfCanvas", "aria-label": t("surfCanvas") });
    this.tip = h("div", { class: "surf-tip", hidden: true, role: "status" });
    this.el = h("div", { class: "surf-stage" }, this.img, this.canvas, this.tip);
    this.trajs = [];
    this.start = null;
    this.hover = null; // {ti, k, pinned}
    this.pointers = new Map();
    this.seq = 0;
    this.bind();
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
    this.trajs.forEach((tr) => this.paintTraj(ctx, tr));
    if (this.start) paintStart(ctx, ...this.px(this.start[0], this.start[1]));
    if (this.hover) this.paintHover(ctx);
    ctx.restore();
    this.trajs.forEach((tr) => this.paintDiverged(ctx, tr, a));
  }

  paintTraj(ctx, tr) {
    const pts = tr.points;
    if (!pts.length) return;
    ctx.strokeStyle = tr.color;
    ctx.lineWidth = 2;
    ctx.lineJoin = "round";
    ctx.beginPath();
    pts.forEach((it, i) => { const [x, y] = this.px(it.x[0], it.x[1]); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
    ctx.stroke();
    ctx.fillStyle = tr.color;
    const every = Math.max(1, Math.ceil(pts.length / 300));
    for (let i = 0; i < pts.length; i += every) dot(ctx, ...this.px(pts[i].x[0], pts[i].x[1]), 2.2);
    const last = pts[pts.length - 1];
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1.5;
    dot(ctx, ...this.px(last.x[0], last.x[1]), 4.5, true);
  }

  paintDiverged(ctx, tr, a) {
    const last = tr.points[tr.points.length - 1];
    if (!last || last.status !== "diverged") return;
    let [x, y] = this.px(last.x[0], last.x[1]);
    x = Math.min(Math.max(x, a.l + 8), a.r - 8);
    y = Math.min(Math.max(y, a.t + 8), a.b - 8);
    ctx.save();
    ctx.strokeStyle = tr.color;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(x - 7, y - 7); ctx.lineTo(x + 7, y + 7);
    ctx.moveTo(x + 7, y - 7); ctx.lineTo(x - 7, y + 7);
    ctx.stroke();
    const label = t("divergedAt", { k: last.step });
    ctx.font = "600 13px system-ui, sans-serif";
    const tw = ctx.measureText(label).width;
    const tx = x + 10 + tw > a.r ? x - 10 - tw : x + 10, ty = y < a.t + 20 ? y + 18 : y - 8;
    ctx.lineWidth = 4;
    ctx.strokeStyle = "rgba(255,255,255,.9)";
    ctx.strokeText(label, tx, ty);
    ctx.fillStyle = tr.color;
    ctx.fillText(label, tx, ty);
    ctx.restore();
  }

  /** paintHover draws the inspected point, −∇J from it and the step that led to it. */
  paintHover(ctx) {
    const tr = this.trajs[this.hover.ti], it = tr && tr.points[this.hover.k];
    if (!it) return;
    const [x, y] = this.px(it.x[0], it.x[1]);
    const [px0, py0] = this.px(it.x[0] - it.delta[0], it.x[1] - it.delta[1]);
    if (Math.hypot(x - px0, y - py0) > 2) arrow(ctx, px0, py0, x, y, "#111827", [4, 3]);
    const [gx, gy] = this.px(it.x[0] - it.grad[0], it.x[1] - it.grad[1]);
    const len = Math.hypot(gx - x, gy - y);
    if (len > 0) arrow(ctx, x, y, x + ((gx - x) / len) * 48, y + ((gy - y) / len) * 48, "#dc2626");
    ctx.strokeStyle = "#111827";
    ctx.lineWidth = 2;
    ctx.fillStyle = tr.color;
    dot(ctx, x, y, 6, true);
  }

  /** nearest finds the trajectory point within HIT_PX of (cx, cy). */
  nearest(cx, cy) {
    let best = null, bd = HIT_PX;
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

  local(e) {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  bind() {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => this.down(e));
    c.addEventListener("pointermove", (e) => this.move(e));
    c.addEventListener("pointerup", (e) => this.up(e));
    c.addEventListener("pointercancel", (e) => { this.pointers.delete(e.pointerId); this.gesture = null; });
    c.addEventListener("pointerleave", (e) => { if (e.pointerType === "mouse" && this.hover && !this.hover.pinned) this.inspect(null); });
    c.addEventListener("wheel", (e) => {
      if (!this.area) return;
      e.preventDefault();
      const [x, y] = fromPixel(this.view, this.cssArea(), ...this.local(e));
      this.moveView(zoomAbout(this.view, Math.exp(Math.max(-200, Math.min(200, e.deltaY)) * 0.002), x, y));
    }, { passive: false });
    c.addEventListener("keydown", (e) => this.key(e));
  }

  /** key pans with the arrows and zooms with + and −, around the centre. */
  key(e) {
    if (!this.area) return;
    const v = this.view, w = v.xMax - v.xMin, hgt = v.yMax - v.yMin;
    const moves = { ArrowLeft: [-w / 10, 0], ArrowRight: [w / 10, 0], ArrowUp: [0, hgt / 10], ArrowDown: [0, -hgt / 10] };
    const zooms = { "+": 0.8, "=": 0.8, "-": 1.25, _: 1.25 };
    if (moves[e.key]) this.moveView(pan(v, ...moves[e.key]));
    else if (zooms[e.key]) this.moveView(zoomAbout(v, zooms[e.key], (v.xMin + v.xMax) / 2, (v.yMin + v.yMax) / 2));
    else return;
    e.preventDefault();
  }

  down(e) {
    if (!this.area) return;
    try { this.canvas.setPointerCapture(e.pointerId); } catch { /* a synthetic pointer */ }
    this.pointers.set(e.pointerId, this.local(e));
    const ps = [...this.pointers.values()];
    if (ps.length === 1) this.gesture = { kind: "drag", at: ps[0], view: this.view, moved: false };
    else if (ps.length === 2) this.gesture = { kind: "pinch", at: ps, view: this.view, moved: true };
  }

  move(e) {
    const p = this.local(e);
    if (!this.pointers.has(e.pointerId)) {
      if (e.pointerType === "mouse" && !(this.hover && this.hover.pinned)) this.inspect(this.nearest(...p), ...p);
      return;
    }
    this.pointers.set(e.pointerId, p);
    const g = this.gesture, a = this.cssArea();
    if (!g) return;
    const sx = (g.view.xMax - g.view.xMin) / (a.r - a.l), sy = (g.view.yMax - g.view.yMin) / (a.b - a.t);
    if (g.kind === "drag") {
      const dx = p[0] - g.at[0], dy = p[1] - g.at[1];
      if (!g.moved && Math.hypot(dx, dy) < DRAG_PX) return;
      g.moved = true;
      this.moveView(pan(g.view, -dx * sx, dy * sy));
    } else if (this.pointers.size === 2) {
      const [p1, p2] = [...this.pointers.values()];
      const d0 = Math.hypot(g.at[0][0] - g.at[1][0], g.at[0][1] - g.at[1][1]), d1 = Math.hypot(p1[0] - p2[0], p1[1] - p2[1]);
      const m0 = [(g.at[0][0] + g.at[1][0]) / 2, (g.at[0][1] + g.at[1][1]) / 2], m1 = [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2];
      const [x, y] = fromPixel(g.view, a, ...m0);
      const z = zoomAbout(g.view, d0 / Math.max(d1, 1), x, y);
      const k = (z.xMax - z.xMin) / (g.view.xMax - g.view.xMin);
      this.moveView(pan(z, -(m1[0] - m0[0]) * sx * k, (m1[1] - m0[1]) * sy * k));
    }
  }

  up(e) {
    const g = this.gesture, p = this.local(e);
    this.pointers.delete(e.pointerId);
    if (this.pointers.size === 0) this.gesture = null;
    if (!g || g.moved || g.kind !== "drag") return;
    const hit = this.nearest(...p);
    if (hit) { this.inspect(hit, ...p, true); return; }
    if (this.hover) { // the first tap away only closes the read-out
      const pinned = this.hover.pinned;
      this.inspect(null);
      if (pinned) return;
    }
    const a = this.cssArea();
    if (p[0] < a.l || p[0] > a.r || p[1] < a.t || p[1] > a.b) return;
    this.hooks.onStart(...fromPixel(this.view, a, ...p));
  }
}

function dot(ctx, x, y, r, ring = false) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
  if (ring) ctx.stroke();
}

function paintStart(ctx, x, y) {
  ctx.fillStyle = "#fff";
  ctx.strokeStyle = "#111827";
  ctx.lineWidth = 2.5;
  dot(ctx, x, y, 6, true);
}

function arrow(ctx, x0, y0, x1, y1, color, dash = []) {
  const ang = Math.atan2(y1 - y0, x1 - x0), hd = 9;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 2.5;
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
  ctx.fill();
  ctx.restore();
}
