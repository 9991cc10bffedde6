// The surface stage's gestures. Before any path is drawn a click or tap sets
// the start; once paths exist a tap inspects the nearest point (it never
// moves the start), and the start moves by dragging its marker or, after
// "Move the start", by the next tap. Drag elsewhere to pan; the wheel, two
// fingers or + and − zoom. On touch every target is at least 44 px across.
import { fromPixel, zoomAbout, pan } from "./surfacemap.js";

const DRAG_PX = 5; // a pointer that moves less than this clicks
const HIT = { mouse: 12, touch: 22 }; // radius of a point or the start marker that a pointer hits (44 px across on touch)

export class Gestures {
  constructor(stage) {
    this.stage = stage;
    this.pointers = new Map();
    this.gesture = null;
    this.placing = false; // the next tap sets the start
    const c = stage.canvas;
    c.addEventListener("pointerdown", (e) => this.down(e));
    c.addEventListener("pointermove", (e) => this.move(e));
    c.addEventListener("pointerup", (e) => this.up(e));
    c.addEventListener("pointercancel", (e) => { this.pointers.delete(e.pointerId); this.gesture = null; stage.dragStart = null; });
    c.addEventListener("pointerleave", (e) => { if (e.pointerType === "mouse" && stage.hover && !stage.hover.pinned) stage.inspect(null); });
    c.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    c.addEventListener("keydown", (e) => this.key(e));
  }

  /** place asks the next tap to set the start (or stops asking). */
  place(on) { this.placing = on; this.stage.canvas.classList.toggle("placing", on); this.stage.draw(); }

  local(e) {
    const r = this.stage.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  hit(e) { return e.pointerType === "touch" || e.pointerType === "pen" ? HIT.touch : HIT.mouse; }

  wheel(e) {
    const s = this.stage;
    if (!s.area) return;
    e.preventDefault();
    const [x, y] = fromPixel(s.view, s.cssArea(), ...this.local(e));
    s.moveView(zoomAbout(s.view, Math.exp(Math.max(-200, Math.min(200, e.deltaY)) * 0.002), x, y));
  }

  /** key pans with the arrows and zooms with + and −, around the centre. */
  key(e) {
    const s = this.stage;
    if (!s.area) return;
    const v = s.view, w = v.xMax - v.xMin, hgt = v.yMax - v.yMin;
    const moves = { ArrowLeft: [-w / 10, 0], ArrowRight: [w / 10, 0], ArrowUp: [0, hgt / 10], ArrowDown: [0, -hgt / 10] };
    const zooms = { "+": 0.8, "=": 0.8, "-": 1.25, _: 1.25 };
    if (moves[e.key]) s.moveView(pan(v, ...moves[e.key]));
    else if (zooms[e.key]) s.moveView(zoomAbout(v, zooms[e.key], (v.xMin + v.xMax) / 2, (v.yMin + v.yMax) / 2));
    else if (e.key === "Escape" && this.placing) this.place(false);
    else return;
    e.preventDefault();
  }

  /** onStartMarker says whether p is on the start's marker. */
  onStartMarker(p, e) {
    const s = this.stage;
    if (!s.start) return false;
    const [x, y] = s.px(s.start[0], s.start[1]);
    return Math.hypot(x - p[0], y - p[1]) <= this.hit(e);
  }

  down(e) {
    if (!this.stage.area) return;
    try { this.stage.canvas.setPointerCapture(e.pointerId); } catch { /* a synthetic pointer */ }
    const p = this.local(e);
    this.pointers.set(e.pointerId, p);
    const ps = [...this.pointers.values()];
    if (ps.length === 1) this.gesture = { kind: this.onStartMarker(p, e) ? "start" : "drag", at: ps[0], view: this.stage.view, moved: false };
    else if (ps.length === 2) { this.gesture = { kind: "pinch", at: ps, view: this.stage.view, moved: true }; this.stage.dragStart = null; }
  }

  move(e) {
    const s = this.stage, p = this.local(e);
    if (!this.pointers.has(e.pointerId)) {
      if (e.pointerType === "mouse" && !(s.hover && s.hover.pinned)) s.inspect(s.nearest(...p, HIT.mouse), ...p);
      s.canvas.classList.toggle("on-start", e.pointerType === "mouse" && this.onStartMarker(p, e));
      return;
    }
    this.pointers.set(e.pointerId, p);
    const g = this.gesture;
    if (!g) return;
    const dx = p[0] - g.at[0], dy = p[1] - g.at[1];
    if (g.kind !== "pinch" && !g.moved && Math.hypot(dx, dy) < DRAG_PX) return;
    g.moved = true;
    if (g.kind === "start") { s.dragStart = fromPixel(s.view, s.cssArea(), ...p); s.draw(); return; }
    const a = s.cssArea(), sx = (g.view.xMax - g.view.xMin) / (a.r - a.l), sy = (g.view.yMax - g.view.yMin) / (a.b - a.t);
    if (g.kind === "drag") s.moveView(pan(g.view, -dx * sx, dy * sy));
    else if (this.pointers.size === 2) this.pinch(g, a, sx, sy);
  }

  pinch(g, a, sx, sy) {
    const s = this.stage, [p1, p2] = [...this.pointers.values()];
    const d0 = Math.hypot(g.at[0][0] - g.at[1][0], g.at[0][1] - g.at[1][1]), d1 = Math.hypot(p1[0] - p2[0], p1[1] - p2[1]);
    const m0 = [(g.at[0][0] + g.at[1][0]) / 2, (g.at[0][1] + g.at[1][1]) / 2], m1 = [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2];
    const [x, y] = fromPixel(g.view, a, ...m0);
    const z = zoomAbout(g.view, d0 / Math.max(d1, 1), x, y);
    const k = (z.xMax - z.xMin) / (g.view.xMax - g.view.xMin);
    s.moveView(pan(z, -(m1[0] - m0[0]) * sx * k, (m1[1] - m0[1]) * sy * k));
  }

  up(e) {
    const s = this.stage, g = this.gesture, p = this.local(e);
    this.pointers.delete(e.pointerId);
    if (this.pointers.size === 0) this.gesture = null;
    if (!g || g.kind === "pinch") return;
    if (g.kind === "start" && g.moved) { const q = s.dragStart; s.dragStart = null; s.hooks.onStart(...q); return; }
    if (g.moved) return;
    this.tap(p, e);
  }

  /** tap sets the start where it may, and otherwise inspects the nearest point. */
  tap(p, e) {
    const s = this.stage, a = s.cssArea();
    const inside = p[0] >= a.l && p[0] <= a.r && p[1] >= a.t && p[1] <= a.b;
    if (this.placing) { this.place(false); if (inside) s.hooks.onStart(...fromPixel(s.view, a, ...p)); return; }
    if (s.hasPaths) { // a tap inspects, however far from a path: it never wipes the paths
      const hit = s.nearest(...p, Infinity);
      if (s.hover && s.hover.pinned && hit && s.hover.ti === hit.ti && s.hover.k === hit.k) s.inspect(null);
      else s.inspect(hit, ...p, true);
      return;
    }
    const hit = s.nearest(...p, this.hit(e));
    if (hit) { s.inspect(hit, ...p, true); return; }
    if (s.hover) { const pinned = s.hover.pinned; s.inspect(null); if (pinned) return; } // the first tap away closes the read-out
    if (inside) s.hooks.onStart(...fromPixel(s.view, a, ...p));
  }
}
