// A loss landscape as the page gathers it from the server's frames
// (server/protocol/landscape.go): the grid from landscapeStart, the rows of
// the preview and then of the full pass, which replace the preview's values
// in place, the paths that grow while the runs train, and landscapeDone.
// The page has one landscape at a time: a new one replaces the last, whose
// frames stop, so only the newest id is kept current.
import { Ev, Pass } from "./protocol.js";

export const METRICS = ["loss", "accuracy", "testLoss", "testAccuracy"];
const KEEP = 8; // slices kept on the page: the ones the panels still show
// OVERFLOW is what a value that is not finite (null in a frame) is kept as: a loss that overflowed is +∞;
// NaN means "not measured yet".
const OVERFLOW = { loss: Infinity, accuracy: 0, testLoss: Infinity, testAccuracy: 0 };

/** SliceState are the stages of a slice on the page. */
export const SliceState = Object.freeze({ queued: "queued", preview: "preview", full: "full", done: "done", cancelled: "cancelled", lost: "lost" });

/** Landscapes routes the landscape's frames to their slices, by id. */
export class Landscapes {
  constructor() { this.slices = new Map(); this.current = null; }

  /** handle takes a frame and returns the slice it changed, or null (a frame of a replaced slice). */
  handle(ev) {
    if (ev.type === Ev.landscapeQueued) {
      const s = new Slice(ev.id, ev.req);
      this.slices.set(ev.id, s);
      this.current = ev.id;
      while (this.slices.size > KEEP) this.slices.delete(this.slices.keys().next().value);
      return s;
    }
    const s = this.slices.get(ev.id);
    if (!s || ev.id !== this.current) return null;
    if (ev.type === Ev.landscapeStart) s.begin(ev);
    else if (ev.type === Ev.landscapeRows) s.addRows(ev);
    else if (ev.type === Ev.landscapePath) s.addPath(ev.tracks);
    else if (ev.type === Ev.landscapeDone) s.finish(ev);
    return s;
  }

  /** lost marks the current slice as cut off (the connection went, and the server's landscape with it). */
  lost() {
    const s = this.slices.get(this.current);
    this.current = null;
    if (s && s.state !== SliceState.done && s.state !== SliceState.cancelled) s.state = SliceState.lost;
    if (s) s.version++;
    return s || null;
  }
}

/**
 * Slice is one landscape: start (the landscapeStart frame), its values on
 * the n × m grid (point i + n·j at (a[i], b[j])) in two layers, the
 * preview's and the full pass's, its tracks by run, and done.
 */
export class Slice {
  constructor(id, req) {
    this.id = id;
    this.req = req;
    this.state = SliceState.queued;
    this.version = 0; // grows with every change, for the views' caches
    this.tracks = [];
    this.done = null;
  }

  begin(ev) {
    this.start = ev;
    this.a = ev.a;
    this.b = ev.b;
    this.n = ev.a.length;
    this.m = ev.b.length;
    this.preview = ev.preview || [];
    this.layers = { [Pass.preview]: layer(this.n * this.m), [Pass.full]: layer(this.n * this.m) };
    this.rowsDone = 0;
    this.rowsTotal = 0;
    this.tracks = [];
    this.addPath(ev.tracks || []);
    this.state = this.preview.length ? SliceState.preview : SliceState.full;
    this.version++;
  }

  /** addRows writes a frame's rows into its pass's layer: row j at the columns cols, or all. */
  addRows(ev) {
    const L = this.layers[ev.pass];
    if (!L) return;
    for (const row of ev.rows) {
      const base = row.j * this.n;
      row.loss.forEach((_, k) => {
        const p = base + (row.cols ? row.cols[k] : k);
        L.have[p] = 1;
        for (const key of METRICS) L[key][p] = !row[key] ? NaN : row[key][k] != null ? row[key][k] : OVERFLOW[key];
      });
    }
    this.rowsDone = ev.rowsDone;
    this.rowsTotal = ev.rowsTotal;
    this.examples = ev.examples;
    if (ev.pass === Pass.full) this.state = SliceState.full;
    this.version++;
  }

  /** addPath appends each track's new points to the track of the same run. */
  addPath(tracks) {
    for (const t of tracks) {
      let mine = this.tracks.find((x) => x.run === t.run);
      if (!mine) {
        mine = { run: t.run, label: t.label, explained: t.explained, step: [], a: [], b: [], dist: [], norm: [] };
        this.tracks.push(mine);
      }
      for (const key of ["step", "a", "b", "dist", "norm"]) mine[key].push(...t[key].map((v) => (v == null ? NaN : v)));
    }
    this.version++;
  }

  finish(ev) {
    this.done = ev;
    this.state = ev.cancelled ? SliceState.cancelled : SliceState.done;
    if (!ev.cancelled && ev.tracks) { this.tracks = []; this.addPath(ev.tracks); }
    this.version++;
  }

  get hasTest() { return !!(this.start && this.start.testExamples > 0); }

  /** at is what the slice holds at grid point (i, j): the full pass's values, else the preview's, else null. */
  at(i, j) {
    if (!this.layers) return null;
    const p = i + this.n * j;
    for (const pass of [Pass.full, Pass.preview]) {
      const L = this.layers[pass];
      if (L.have[p]) return { pass, ...Object.fromEntries(METRICS.map((k) => [k, L[k][p]])) };
    }
    return null;
  }

  /**
   * grid is the picture's values of metric at every point: the full pass's
   * where measured, else bilinear between the preview's points (NaN where
   * neither is known yet). Kept until the slice changes.
   */
  grid(metric = "loss") {
    if (this.cache && this.cache.version === this.version && this.cache.metric === metric) return this.cache.values;
    const { n, m } = this, F = this.layers[Pass.full], P = this.layers[Pass.preview];
    const best = (p) => (F.have[p] ? F[metric][p] : P.have[p] ? P[metric][p] : NaN);
    const out = new Float64Array(n * m);
    const ai = spans(this.preview, n), bj = spans(this.preview, m);
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) {
        const p = i + n * j;
        if (F.have[p] || !ai || !bj) { out[p] = best(p); continue; }
        const [i0, i1, s] = ai[i], [j0, j1, u] = bj[j];
        out[p] = blend(best(i0 + n * j0), best(i1 + n * j0), best(i0 + n * j1), best(i1 + n * j1), s, u);
      }
    }
    this.cache = { version: this.version, metric, values: out };
    return out;
  }

  /** counts are the points of the picture that the full pass measured, and those it takes from the preview. */
  counts() {
    const F = this.layers[Pass.full].have, g = this.grid("loss");
    let full = 0, preview = 0;
    for (let p = 0; p < F.length; p++) { full += F[p]; preview += !F[p] && !Number.isNaN(g[p]) ? 1 : 0; }
    return { state: this.state, full, preview };
  }

  /** current are the current weights: each track's last point, or the centre without tracks. */
  current() {
    const pts = this.tracks.filter((t) => t.a.length).map((t) => ({ run: t.run, a: t.a[t.a.length - 1], b: t.b[t.b.length - 1] }));
    return pts.length ? pts : [{ run: null, a: 0, b: 0 }];
  }
}

/** offPlane is each point's distance from the plane as a share of the track's reach, its largest ‖θ − c‖, in [0, 1]. */
export function offPlane(track) {
  const reach = Math.max(0, ...track.norm.filter(Number.isFinite));
  return track.dist.map((d) => (reach > 0 && Number.isFinite(d) ? Math.min(1, Math.max(0, d / reach)) : 0));
}

/**
 * blend is bilinear between four corners (c00 at s = u = 0, c10 at s = 1):
 * where a corner is not finite (an overflow, or not measured: NaN), the
 * nearest corner's value instead.
 */
export function blend(c00, c10, c01, c11, s, u) {
  if (Number.isFinite(c00) && Number.isFinite(c10) && Number.isFinite(c01) && Number.isFinite(c11)) {
    return (1 - u) * ((1 - s) * c00 + s * c10) + u * ((1 - s) * c01 + s * c11);
  }
  return u < 0.5 ? (s < 0.5 ? c00 : c10) : (s < 0.5 ? c01 : c11);
}

function layer(size) {
  const L = { have: new Uint8Array(size) };
  for (const k of METRICS) L[k] = new Float64Array(size).fill(NaN);
  return L;
}

/** spans gives each index of an axis of n points the preview's indices around it and its fraction between them. */
function spans(preview, n) {
  if (preview.length < 2) return null;
  const out = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k < preview.length - 2 && preview[k + 1] <= i) k++;
    const i0 = preview[k], i1 = preview[k + 1];
    out.push([i0, i1, Math.min(1, Math.max(0, (i - i0) / (i1 - i0)))]);
  }
  return out;
}
