// The URL state of the Train, Compare and Draw views (urlstate.js): each
// view's link says only what differs from hello's defaults, and applying a
// link sets every setting, the absent ones to their defaults, so that a
// link sets the view up the same on every page. A run (run=r3) or a
// comparison (sweep=s2) on the same server is opened too.
//
// Train:   h a o hp lr b e seed p n sh sc scp run
// Compare: m o rs os bs lr b e seed p n sh sweep
// Draw:    net
import { spec, defaultRate, hyperFields } from "./forms.js";
import { num, pairList, parsePairs, readParams, changedParams } from "./urlstate.js";

const PACES = ["10", "1", "0"];
const MODES = { r: "rates", o: "optimizers", b: "batches" };
const MODE_KEY = { rates: "r", optimizers: "o", batches: "b" };
const CMP_OPTIMIZERS = ["sgd", "momentum", "adam"]; // compareform.js checks these first
const CMP_EPOCHS = 2;

/** batchText is a batch in a link: "all" for all the images trained on. */
const batchText = (b, all) => (b === all && b !== 1 && b !== 64 ? "all" : String(b));

/** readBatch reads b: one of allowed, or "all" for all (the images trained on). */
function readBatch(r, key, def, allowed, all) {
  if (!r.has(key)) return def;
  const s = r.raw(key), b = s === "all" ? all : Number(s);
  if (!allowed.includes(b)) { r.bad(key, s); return def; }
  return b;
}

/** common reads the settings the two run forms share: epochs, seed, pace, images, tracking. */
function readCommon(r, hello, epochsDef, trackDef) {
  const L = hello.limits;
  return {
    e: r.number("e", epochsDef, { min: 1, max: L.maxEpochs, int: true }),
    seed: r.number("seed", hello.defaults.seed, { min: 0, max: L.maxSeed, int: true }),
    p: r.pick("p", "10", PACES),
    n: r.number("n", 0, { min: 1, max: L.trainSize - 1, int: true }),
    sh: r.flag("sh", trackDef),
  };
}

function commonState(f, hello, epochsDef) {
  const out = [];
  if (Number(f.epochs.value) !== epochsDef) out.push(["e", f.epochs.value]);
  if (Number(f.seed.value) !== hello.defaults.seed) out.push(["seed", f.seed.value]);
  if (f.pace.value !== "10") out.push(["p", f.pace.value]);
  if (f.data.examples()) out.push(["n", f.data.examples()]);
  if (f.data.track.checked !== f.data.trackDefault) out.push(["sh", f.data.track.checked ? 1 : 0]);
  return out;
}

function setCommon(f, c) {
  f.data.set(c.n, c.sh);
  f.epochs.value = c.e;
  f.seed.value = c.seed;
  f.pace.value = c.p;
}

/** trainLink is the Train view's part of the URL state. */
export function trainLink(view) {
  const hello = () => view.store.hello;
  let linked = null; // the run a link last opened
  return {
    state() {
      const f = view.form, H = hello(), d = H.defaults, out = [];
      if (!f) return out;
      if (Number(f.hidden.value) !== d.arch.hidden[0]) out.push(["h", f.hidden.value]);
      if (f.act.value !== d.arch.activation) out.push(["a", f.act.value]);
      if (f.opt.value !== d.optimizer) out.push(["o", f.opt.value]);
      const hp = f.hyper.get();
      if (Object.keys(hp).length) out.push(["hp", pairList(hp)]);
      if (f.lr.get() !== defaultRate(H, f.opt.value)) out.push(["lr", num(f.lr.get())]);
      if (f.batch.get() !== d.batch) out.push(["b", batchText(f.batch.get(), f.data.size())]);
      out.push(...commonState(f, H, d.epochs), ...scheduleState(f, H));
      if (view.current) out.push(["run", view.current]);
      return out;
    },

    apply(r) {
      const f = view.form, H = hello(), d = H.defaults, L = H.limits;
      const net = H.optimizers.filter((s) => s.network).map((s) => s.name);
      const hidden = r.number("h", d.arch.hidden[0], { min: 1, max: L.maxHiddenUnits, int: true });
      const act = r.pick("a", d.arch.activation, H.activations);
      const o = r.pick("o", d.optimizer, net), sp = spec(H, o);
      const hp = r.has("hp") ? readParams(r, "hp", parsePairs(r.raw("hp")), sp.params) : {};
      const lr = r.number("lr", null, { min: 0, max: L.maxLR, open: true });
      const c = readCommon(r, H, d.epochs, f.data.trackDefault);
      const all = c.n || L.trainSize;
      const b = readBatch(r, "b", d.batch, [1, 64, all], all);
      const sc = r.pick("sc", H.schedules[0].kind, H.schedules.map((s) => s.kind));
      const kind = H.schedules.find((s) => s.kind === sc);
      const scp = r.has("scp") ? readParams(r, "scp", parsePairs(r.raw("scp")), kind.params || []) : {};
      f.hidden.value = hidden;
      f.act.value = act;
      f.opt.value = o;
      f.hyper = hyperFields(f.hyperBox, sp, hp);
      f.lr.set(lr ?? defaultRate(H, o));
      f.lr.touched = lr != null;
      setCommon(f, c);
      f.batch.set(b);
      const sel = f.sched.el.querySelector("select");
      sel.value = kind.kind;
      sel.dispatchEvent(new Event("change"));
      for (const [k, v] of Object.entries(scp)) f.sched.el.querySelector(`input[name="${k}"]`).value = v;
      f.showRule();
      if (r.has("run")) linked = watchRun(view, r, linked);
    },
  };
}

/** scheduleState is the schedule's part of the Train form's state: its kind and the parameters changed. */
function scheduleState(f, H) {
  const sc = f.sched.get(), kind = H.schedules.find((s) => s.kind === sc.kind);
  if (kind === H.schedules[0]) return [];
  const { kind: _, ...ps } = sc;
  const changed = changedParams(ps, kind.params || []);
  return Object.keys(changed).length ? [["sc", sc.kind], ["scp", pairList(changed)]] : [["sc", sc.kind]];
}

/** watchRun watches the run of run=, or notes it when the server has no such run; it returns the run linked. */
function watchRun(view, r, linked) {
  const id = r.raw("run");
  if (!view.store.run(id)) {
    r.bad("run", id);
    return linked;
  }
  if (view.current !== id) view.watch(id);
  // On a phone the run is below the form: a link to a run, or the teacher's new run, scrolls to it once.
  if (linked !== id && window.innerWidth < 980) requestAnimationFrame(() => view.bar.el.scrollIntoView({ block: "start" }));
  return id;
}

/** compareLink is the Compare view's part of the URL state. */
export function compareLink(view) {
  const hello = () => view.store.hello;
  const boxes = (f) => [...f.parts.optimizers.querySelectorAll("input[type=checkbox]")];
  const batchBoxes = (f) => [...f.parts.batches.querySelectorAll("input[type=checkbox]")];
  return {
    state() {
      const f = view.form, H = hello(), d = H.defaults, out = [];
      if (!f) return out;
      const all = H.limits.trainSize;
      if (f.mode !== "rates") out.push(["m", MODE_KEY[f.mode]]);
      if (f.mode === "rates") {
        if (f.opt.value !== d.optimizer) out.push(["o", f.opt.value]);
        if (f.preset.value === "own") out.push(["rs", f.rates.value.split(/[,\s]+/).filter(Boolean).join(",")]);
      }
      if (f.mode === "optimizers") {
        const os = boxes(f).filter((cb) => cb.checked).map((cb) => `${cb.value}:${num(f.el.querySelector(`[name=lr-${cb.value}]`).value)}`).join(",");
        const def = CMP_OPTIMIZERS.map((n) => `${n}:${num(defaultRate(H, n))}`).join(",");
        if (os !== def) out.push(["os", os]);
      }
      if (f.mode === "batches") {
        const bs = batchBoxes(f).filter((cb) => cb.checked).map((cb) => batchText(Number(cb.value), all));
        if (bs.length !== 3) out.push(["bs", bs.join(",")]);
        if (Number(f.lr.value) !== d.lr) out.push(["lr", num(f.lr.value)]);
      } else if (Number(f.batch.value) !== d.batch) out.push(["b", batchText(Number(f.batch.value), all)]);
      out.push(...commonState(f, H, CMP_EPOCHS));
      if (view.sweep) out.push(["sweep", view.sweep]);
      return out;
    },

    apply(r) {
      const f = view.form, H = hello(), d = H.defaults, L = H.limits, all = L.trainSize;
      const mode = MODES[r.pick("m", "r", Object.keys(MODES))];
      const net = H.optimizers.filter((s) => s.network).map((s) => s.name);
      const o = r.pick("o", d.optimizer, net);
      const rs = r.numbers("rs", null, 0, (x) => x > 0 && x <= L.maxLR);
      if (rs && rs.length > L.maxSweep) { r.bad("rs", rs.join(",")); }
      const os = r.has("os") ? readOptimizers(r, H, net) : null;
      const bs = r.has("bs") ? readBatches(r, all) : null;
      const lr = r.number("lr", d.lr, { min: 0, max: L.maxLR, open: true });
      const b = readBatch(r, "b", d.batch, [1, 16, 64, 256, all], all);
      const c = readCommon(r, H, CMP_EPOCHS, f.data.trackDefault);
      f.el.querySelector(`#mode-${mode}`).checked = true;
      f.showMode(mode);
      f.opt.value = o;
      f.preset.value = "preset";
      f.preset.dispatchEvent(new Event("change"));
      if (rs && rs.length <= L.maxSweep) { f.rates.value = rs.join(", "); f.preset.value = "own"; }
      setBoxes(f, H, boxes(f), batchBoxes(f), os, bs);
      f.lr.value = lr;
      f.batch.value = String(b);
      setCommon(f, c);
      if (r.has("sweep")) {
        const id = r.raw("sweep");
        if (view.groups().has(id)) view.show(id); else r.bad("sweep", id);
      }
    },
  };
}

/** setBoxes ticks the optimizers of os with their α (or the defaults) and the batch sizes of bs (or all). */
function setBoxes(f, H, opts, batches, os, bs) {
  for (const cb of opts) {
    const given = os && os.find(([n]) => n === cb.value);
    cb.checked = os ? !!given : CMP_OPTIMIZERS.includes(cb.value);
    f.el.querySelector(`[name=lr-${cb.value}]`).value = given ? given[1] : defaultRate(H, cb.value);
  }
  for (const cb of batches) cb.checked = bs ? bs.includes(Number(cb.value)) : true;
}

/** readOptimizers reads os=sgd:0.1,adam:0.001: methods that train the network, each with its α. */
function readOptimizers(r, H, net) {
  const out = [];
  for (const [name, s] of parsePairs(r.raw("os"))) {
    const x = s === "" ? defaultRate(H, name) : Number(s);
    if (net.includes(name) && x > 0 && x <= H.limits.maxLR && !out.some(([n]) => n === name)) out.push([name, x]);
    else r.bad("os", `${name}:${s}`);
  }
  return out;
}

/** readBatches reads bs=1,64,all. */
function readBatches(r, all) {
  const out = [];
  for (const s of r.raw("bs").split(",")) {
    const b = s === "all" ? all : Number(s);
    if ([1, 64, all].includes(b)) out.push(b); else r.bad("bs", s);
  }
  return out;
}

/** drawLink is the Draw view's part: the network that answers (a run's id, or model:name). */
export function drawLink(view) {
  return {
    state() { return view.select && view.select.value ? [["net", view.select.value]] : []; },
    apply(r) {
      if (!view.select) return;
      const want = r.has("net") ? r.raw("net") : "";
      const ok = [...view.select.options].some((o) => o.value === want);
      if (!ok) r.bad("net", want);
      const v = ok ? want : "";
      if (view.select.value !== v) {
        view.select.value = v;
        view.select.dispatchEvent(new Event("change"));
      }
    },
  };
}
