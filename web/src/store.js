// The page's copy of the runs: their info, their steps in columns, their
// epochs and latest weights. Views read it and redraw on change.

const MAX_POINTS = 20000; // per run in the browser; older points are merged in pairs

function emptySteps() {
  return { step: [], loss: [], lossMin: [], lossMax: [], gradNorm: [], updateRatio: [], lr: [], samplesPerSec: [] };
}

export class Store {
  constructor(socket) {
    this.socket = socket;
    this.hello = null;
    this.runs = new Map(); // id → run
    this.subs = new Map(); // id → {weights}
    this.listeners = new Set();
    this.pending = new Map(); // req → callback(event)
    this.histories = 0; // History events received, for the tests
  }

  on(f) { this.listeners.add(f); return () => this.listeners.delete(f); }
  emit(kind, id) { this.listeners.forEach((f) => f(kind, id)); }

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
    this.socket.send({ type: "subscribe", run: id, weights: this.subs.get(id).weights });
  }

  /** resubscribe asks, after a reconnect, only for the steps after those we hold. */
  resubscribe(id, weights) {
    const r = this.runs.get(id);
    const n = r ? r.steps.step.length : 0;
    this.subs.set(id, { weights });
    this.socket.send({ type: "subscribe", run: id, weights, from: n ? r.steps.step[n - 1] : 0 });
  }

  /** command sends a command; cb gets the answering error or runCreated events. */
  command(cmd, cb) {
    const req = this.socket.send(cmd);
    if (cb) this.pending.set(req, cb);
    return req;
  }

  handle(ev) {
    const h = this[`on_${ev.type}`];
    if (h) h.call(this, ev);
    if (ev.req && this.pending.has(ev.req)) this.pending.get(ev.req)(ev);
  }

  on_hello(ev) {
    if (this.hello && this.hello.instance !== ev.instance) { // the server restarted: ids mean other runs
      this.runs.clear();
      this.subs.clear();
    }
    this.hello = ev;
    const alive = new Set(ev.runs.map((r) => r.id));
    for (const id of [...this.runs.keys()]) if (!alive.has(id)) { this.runs.delete(id); this.subs.delete(id); }
    ev.runs.forEach((info) => this.ensure(info));
    // A reconnect: ask again for what we watched, from where our copy ends.
    const subs = [...this.subs.entries()];
    this.subs.clear();
    subs.forEach(([id, s]) => { if (alive.has(id)) this.resubscribe(id, s.weights); });
    this.emit("hello");
  }

  on_runs(ev) { ev.runs.forEach((info) => this.ensure(info)); this.emit("runs"); }
  on_runCreated(ev) { this.ensure(ev.run); this.emit("runs", ev.run.id); }
  on_status(ev) {
    const old = this.runs.get(ev.run.id), was = old && old.info.status;
    this.ensure(ev.run);
    // A restarted run is a new stream that starts over from its checkpoint: ask again.
    if ((was === "interrupted" || was === "stopped") && (ev.run.status === "queued" || ev.run.status === "running") && this.subs.has(ev.run.id)) {
      const s = this.subs.get(ev.run.id);
      this.subs.delete(ev.run.id);
      this.subscribe(ev.run.id, s.weights);
    }
    this.emit("status", ev.run.id);
  }
  on_deleted(ev) { this.runs.delete(ev.run); this.subs.delete(ev.run); this.emit("runs", ev.run); }

  on_history(ev) {
    const r = this.ensure(ev.run);
    this.histories++;
    const n = r.steps.step.length;
    if (!(ev.from > 0 && n && r.steps.step[n - 1] === ev.from)) r.steps = emptySteps();
    appendSteps(r.steps, ev.steps);
    if (r.steps.step.length > MAX_POINTS) halve(r.steps);
    r.epochs = ev.epochs.slice();
    this.emit("steps", r.id);
    this.emit("epoch", r.id);
  }

  on_steps(ev) {
    const r = this.runs.get(ev.run);
    if (!r) return;
    const last = r.steps.step.length ? r.steps.step[r.steps.step.length - 1] : 0;
    const n = ev.step.length;
    if (n && ev.step[0] <= last) return; // already have these
    appendSteps(r.steps, ev);
    r.info.progress = r.steps.step[r.steps.step.length - 1] || r.info.progress;
    if (r.steps.step.length > MAX_POINTS) halve(r.steps);
    this.emit("steps", r.id);
  }

  on_epoch(ev) {
    const r = this.runs.get(ev.run);
    if (!r) return;
    if (!r.epochs.some((e) => e.epoch === ev.epoch)) r.epochs.push(ev);
    this.emit("epoch", r.id);
  }

  on_weights(ev) {
    const r = this.runs.get(ev.run);
    if (!r) return;
    r.weights = { ...ev, bytes: decodeBase64(ev.pixels) };
    this.emit("weights", r.id);
  }

  on_error(ev) { this.emit("error", ev); }
  on_prediction(ev) { this.emit("prediction", ev); } // the Draw view's answers (draw.js)
}

function appendSteps(dst, src) {
  const n = src.step.length;
  for (let i = 0; i < n; i++) {
    dst.step.push(src.step[i]);
    dst.loss.push(src.loss[i]);
    dst.lossMin.push(src.lossMin ? src.lossMin[i] : src.loss[i]);
    dst.lossMax.push(src.lossMax ? src.lossMax[i] : src.loss[i]);
    dst.gradNorm.push(src.gradNorm[i]);
    dst.updateRatio.push(src.updateRatio[i]);
    dst.lr.push(src.lr[i]);
    dst.samplesPerSec.push(src.samplesPerSec[i]);
  }
}

/** halve merges neighbouring points, keeping the loss's extremes. */
function halve(s) {
  const out = emptySteps();
  for (let i = 0; i + 1 < s.step.length; i += 2) {
    const j = i + 1;
    out.step.push(s.step[j]);
    out.loss.push((s.loss[i] + s.loss[j]) / 2);
    out.lossMin.push(Math.min(s.lossMin[i], s.lossMin[j]));
    out.lossMax.push(Math.max(s.lossMax[i], s.lossMax[j]));
    out.gradNorm.push((s.gradNorm[i] + s.gradNorm[j]) / 2);
    out.updateRatio.push((s.updateRatio[i] + s.updateRatio[j]) / 2);
    out.lr.push(s.lr[j]);
    out.samplesPerSec.push(s.samplesPerSec[j]);
  }
  Object.assign(s, out);
}

export function decodeBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** ema is TensorBoard's smoothing: debiased exponential moving average. */
export function ema(values, weight) {
  const out = new Array(values.length);
  let last = 0, n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !isFinite(v)) { out[i] = null; continue; }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = weight === 0 ? v : last / (1 - Math.pow(weight, n));
  }
  return out;
}

/** fmtNum writes a number compactly. */
export function fmtNum(x, digits = 4) {
  if (x == null || !isFinite(x)) return "–";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}
