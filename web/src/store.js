// The page's copy of the runs: their info, their steps in columns, their
// epochs and latest weights. Every event of the socket comes through here,
// the surface explorer's and the drawing panel's too, and the views listen:
// store.on((kind, arg) => …) with kind one of Change.
import { Cmd, Status } from "./protocol.js";
import { emptySteps, appendSteps, halve } from "./series.js";
import { decodeBase64 } from "./format.js";
import { Landscapes } from "./landscapedata.js";

/** Change are the kinds of change the Store tells its listeners. */
export const Change = Object.freeze({
  hello: "hello", runs: "runs", status: "status", steps: "steps", epoch: "epoch", weights: "weights",
  error: "error", prediction: "prediction", traj: "traj", online: "online", landscape: "landscape",
  explanation: "explanation", learn: "learn", models: "models", presented: "presented",
});

const MAX_POINTS = 20000; // per run in the browser; older points are merged in pairs
const MAX_SNAPSHOTS = 64; // weights kept per run, by step, for a replay

export class Store {
  constructor(socket) {
    this.socket = socket;
    this.hello = null;
    this.online = false;
    this.runs = new Map(); // id → run
    this.subs = new Map(); // id → {weights}
    this.listeners = new Set();
    this.pending = new Map(); // req → callback(event)
    this.histories = 0; // History events received, for the tests
    this.landscapes = new Landscapes(); // the loss landscape's slices (landscapedata.js)
  }

  on(f) { this.listeners.add(f); return () => this.listeners.delete(f); }
  emit(kind, arg) { this.listeners.forEach((f) => f(kind, arg)); }

  run(id) { return this.runs.get(id); }

  ensure(info) {
    let r = this.runs.get(info.id);
    if (!r) {
      r = { id: info.id, info, steps: emptySteps(), epochs: [], weights: null };
      this.runs.set(info.id, r);
    }
    r.info = info;
    return r;
  }

  /** subscribe asks for a run's history and live stream (idempotent). */
  subscribe(id, weights = false) {
    const cur = this.subs.get(id);
    if (cur && (cur.weights || !weights)) return;
    this.subs.set(id, { weights: weights || (cur && cur.weights) });
    this.socket.send({ type: Cmd.subscribe, run: id, weights: this.subs.get(id).weights });
  }

  /** resubscribe asks, after a reconnect, only for the steps after those we hold. */
  resubscribe(id, weights) {
    const r = this.runs.get(id);
    const n = r ? r.steps.step.length : 0;
    this.subs.set(id, { weights });
    this.socket.send({ type: Cmd.subscribe, run: id, weights, from: n ? r.steps.step[n - 1] : 0 });
  }

  /** command sends a command; cb gets the answering error or runCreated events. */
  command(cmd, cb) {
    const req = this.socket.send(cmd);
    if (cb) this.pending.set(req, cb);
    return req;
  }

  /** setOnline records the socket's state: views disable what needs the server. */
  setOnline(on) {
    if (on === this.online) return;
    this.online = on;
    this.emit(Change.online, on);
  }

  handle(ev) {
    const h = this[`on_${ev.type}`];
    if (h) h.call(this, ev);
    if (ev.req && this.pending.has(ev.req)) this.pending.get(ev.req)(ev);
  }

  on_hello(ev) {
    const restarted = this.hello && this.hello.instance !== ev.instance;
    const subs = [...this.subs.entries()];
    if (restarted) this.runs.clear(); // the server restarted: our copies are stale, even of the same ids
    this.subs.clear();
    this.hello = ev;
    const alive = new Set(ev.runs.map((r) => r.id));
    for (const id of [...this.runs.keys()]) if (!alive.has(id)) this.runs.delete(id);
    ev.runs.forEach((info) => this.ensure(info));
    // Ask again for what we watched: after a reconnect from where our copy ends,
    // after a restart from the start (an interrupted run's curve comes back).
    subs.forEach(([id, s]) => { if (alive.has(id)) this.resubscribe(id, s.weights); });
    const lost = this.landscapes.lost(); // the server's landscape went with the connection
    this.emit(Change.hello, { restarted });
    if (lost) this.emit(Change.landscape, lost);
  }

  on_runs(ev) { ev.runs.forEach((info) => this.ensure(info)); this.emit(Change.runs); }
  on_runCreated(ev) { this.ensure(ev.run); this.emit(Change.runs, ev.run.id); }
  on_status(ev) {
    const old = this.runs.get(ev.run.id), was = old && old.info.status;
    this.ensure(ev.run);
    // A restarted run is a new stream that starts over from its checkpoint: ask again.
    const again = (was === Status.interrupted || was === Status.stopped) && (ev.run.status === Status.queued || ev.run.status === Status.running);
    if (again && this.subs.has(ev.run.id)) {
      const s = this.subs.get(ev.run.id);
      this.subs.delete(ev.run.id);
      this.subscribe(ev.run.id, s.weights);
    }
    this.emit(Change.status, ev.run.id);
  }
  on_deleted(ev) { this.runs.delete(ev.run); this.subs.delete(ev.run); this.emit(Change.runs, ev.run); }

  on_history(ev) {
    const r = this.ensure(ev.run);
    this.histories++;
    const n = r.steps.step.length;
    if (!(ev.from > 0 && n && r.steps.step[n - 1] === ev.from)) r.steps = emptySteps();
    appendSteps(r.steps, ev.steps);
    if (r.steps.step.length > MAX_POINTS) halve(r.steps);
    r.epochs = ev.epochs.slice();
    this.emit(Change.steps, r.id);
    this.emit(Change.epoch, r.id);
  }

  on_steps(ev) {
    const r = this.runs.get(ev.run);
    if (!r) return;
    const last = r.steps.step.length ? r.steps.step[r.steps.step.length - 1] : 0;
    if (ev.step.length && ev.step[0] <= last) return; // already have these
    appendSteps(r.steps, ev);
    r.info.progress = r.steps.step[r.steps.step.length - 1] || r.info.progress;
    if (r.steps.step.length > MAX_POINTS) halve(r.steps);
    this.emit(Change.steps, r.id);
  }

  on_epoch(ev) {
    const r = this.runs.get(ev.run);
    if (!r) return;
    if (!r.epochs.some((e) => e.epoch === ev.epoch)) r.epochs.push(ev);
    this.emit(Change.epoch, r.id);
  }

  on_weights(ev) {
    const r = this.runs.get(ev.run);
    if (!r) return;
    const w = { ...ev, bytes: decodeBase64(ev.pixels) };
    // Live weights and the answers to weightsAt (a replay) are kept by step; the latest is r.weights.
    r.snapshots = r.snapshots || new Map();
    r.snapshots.set(w.step, w);
    if (r.snapshots.size > MAX_SNAPSHOTS) r.snapshots.delete(r.snapshots.keys().next().value);
    if (!r.weights || w.step >= r.weights.step) r.weights = w;
    this.emit(Change.weights, r.id);
  }

  on_error(ev) { this.emit(Change.error, ev); }
  /** on_presented: what the teacher presents now (protocol present.go); links.js follows it on a watch page. */
  on_presented(ev) { this.presented = ev; this.emit(Change.presented, ev); }
  on_prediction(ev) { this.emit(Change.prediction, ev); } // the Draw view's answers

  // The derivatives of a drawing and its learn copies (protocol explain.go, learn.go): the Draw view's.
  on_explanation(ev) { this.emit(Change.explanation, ev); }
  on_gradChecked(ev) { this.emit(Change.learn, ev); }
  on_learnCopy(ev) { this.emit(Change.learn, ev); }
  on_learned(ev) { this.emit(Change.learn, ev); }
  on_kept(ev) { this.emit(Change.learn, ev); }
  on_learnDropped(ev) { this.emit(Change.learn, ev); }
  /** on_models: the saved models changed (a copy was kept or deleted), sent to every page. */
  on_models(ev) {
    if (this.hello) this.hello.models = ev.models;
    this.emit(Change.models, ev);
  }

  // The surface explorer's events (protocol_surface.go) go to the Surface view as "traj".
  on_trajCreated(ev) { this.emit(Change.traj, ev); }
  on_trajPoints(ev) { this.emit(Change.traj, ev); }
  on_trajStatus(ev) { this.emit(Change.traj, ev); }

  // The loss landscape's frames go to their slice (landscapedata.js) and to the panels as "landscape",
  // with the slice they changed; the 1-D chart's answer comes to its panel by req.
  on_landscapeQueued(ev) { this.landscapeFrame(ev); }
  on_landscapeStart(ev) { this.landscapeFrame(ev); }
  on_landscapeRows(ev) { this.landscapeFrame(ev); }
  on_landscapePath(ev) { this.landscapeFrame(ev); }
  on_landscapeDone(ev) { this.landscapeFrame(ev); }
  landscapeFrame(ev) {
    const s = this.landscapes.handle(ev);
    if (s) this.emit(Change.landscape, s);
  }
}
