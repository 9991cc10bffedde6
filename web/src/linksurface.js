// The Surface view's part of the URL state (urlstate.js):
//
//	fn   the function                   fn=quadratic
//	fp   its parameters                 fp=cond:100,angle:30
//	s    the start                      s=-4,1.5
//	m    what is compared               m=r (one optimizer at several rates; o: optimizers)
//	o    the optimizers, each method, α and changed hyperparameters
//	                                    o=gd:0.001,adam:0.05:beta1=0.8,bfgs
//	rs   the rates of m=r               rs=0.0002,0.001,0.002
//	st   the step limit, tol the tolerance
//	d    the visible domain             d=-2,2,-1,3
//	go   start the paths at once (a lesson's Try it, a presented surface)
//
// Only what differs from the defaults is written: Rosenbrock, GD α = 0.001
// and Adam α = 0.05, the function's first start, its presets and domain.
import { language } from "./i18n.js";
import { num, parsePairs, readParams, changedParams } from "./urlstate.js";
import { ratePreset } from "./presets.js";

const DEFAULT_FN = "rosenbrock";
const DEFAULT_ROWS = [{ method: "gd", lr: 0.001, hyper: {} }, { method: "adam", lr: 0.05, hyper: {} }];
const DEFAULT_TOL = 1e-6;

/** rowText is one optimizer in o=: "adam:0.05:beta1=0.8". */
function rowText(row, hello) {
  const s = row.state(), sp = hello.optimizers.find((o) => o.name === s.method);
  const parts = [s.method];
  if (s.lr != null) parts.push(num(s.lr));
  for (const [k, v] of Object.entries(changedParams(s.hyper, sp.params))) parts.push(`${k}=${num(v)}`);
  return parts.join(":");
}

/** readRows reads o=: known methods, α in range, hyperparameters checked against hello. */
function readRows(r, hello) {
  const rows = [];
  for (const item of r.raw("o").split(",").filter(Boolean)) {
    const [method, ...fields] = item.split(":");
    const sp = hello.optimizers.find((o) => o.name === method);
    if (!sp) { r.bad("o", item); continue; }
    const lrp = sp.params.find((p) => p.name === "lr");
    let lr = null;
    const hyper = readParams(r, "o", fields.filter((x) => x.includes("=")).map((x) => x.split("=")), sp.params);
    for (const x of fields.filter((y) => !y.includes("="))) {
      const v = Number(x);
      if (lrp && x !== "" && v > 0 && v <= hello.surface.maxRate && lr == null) lr = v; else r.bad("o", `${method}:${x}`);
    }
    rows.push({ method, lr: lr ?? (lrp ? lrp.default : null), hyper, touched: lr != null });
  }
  if (rows.length > hello.surface.maxOptimizers) { r.bad("o", `${rows.length} > ${hello.surface.maxOptimizers}`); rows.length = hello.surface.maxOptimizers; }
  return rows.length ? rows : null;
}

/** readDomain reads d=xmin,xmax,ymin,ymax: increasing, each side within the server's widths. */
function readDomain(r, hello) {
  const d = r.numbers("d", null, 4, (x) => Math.abs(x) <= hello.surface.maxCoord);
  if (!d) return null;
  const ok = (a, b) => b - a >= hello.surface.minWidth && b - a <= hello.surface.maxWidth;
  if (!ok(d[0], d[1]) || !ok(d[2], d[3])) { r.bad("d", d.join(",")); return null; }
  return { xMin: d[0], xMax: d[1], yMin: d[2], yMax: d[3] };
}

/** surfaceLink is the Surface view's part of the URL state. */
export function surfaceLink(view) {
  return {
    state() {
      const v = view, f = v.form, out = [];
      if (!f || !v.stage.view) return out;
      const fn = v.fn, hello = v.hello;
      if (fn.name !== DEFAULT_FN) out.push(["fn", fn.name]);
      const fp = changedParams(f.fp.get(), fn.params || []);
      if (Object.keys(fp).length) out.push(["fp", Object.entries(fp).map(([k, x]) => `${k}:${num(x)}`).join(",")]);
      const s0 = fn.starts[0].x;
      if (v.start && (v.start[0] !== s0[0] || v.start[1] !== s0[1])) out.push(["s", v.start.map(num).join(",")]);
      if (f.rateMode) out.push(["m", "r"]);
      const rows = (f.rateMode ? v.rows.slice(0, 1) : v.rows).map((row) => rowText(row, hello)).join(",");
      const def = DEFAULT_ROWS.map((x) => `${x.method}:${x.lr}`);
      if (rows !== (f.rateMode ? def[0] : def.join(","))) out.push(["o", rows]);
      const p = ratePreset(fn, f.fp.get());
      const rates = f.rates.value.split(/[,\s]+/).filter(Boolean).map(Number);
      if (f.rateMode && rates.join(",") !== p.rates.join(",")) out.push(["rs", rates.map(num).join(",")]);
      if (Number(f.steps.value) !== p.steps) out.push(["st", f.steps.value]);
      if (Number(f.tol.value) !== DEFAULT_TOL) out.push(["tol", f.tol.value]);
      const w = v.stage.view, [a, b, c, d] = fn.domain;
      if (w.xMin !== a || w.xMax !== b || w.yMin !== c || w.yMax !== d) {
        const prec = (x) => String(Number(x.toPrecision(4)));
        out.push(["d", [w.xMin, w.xMax, w.yMin, w.yMax].map(prec).join(",")]);
      }
      return out;
    },

    /** presenting adds go=1 while a set of paths is drawn, so that the class draws it too. */
    extra() { return view.set && view.set.id ? [["go", 1]] : []; },

    apply(r, same) {
      const v = view, f = v.form, hello = v.hello;
      if (!same) set(v, f, hello, r);
      const go = r.flag("go", false);
      if (go && !v.set && v.store.online) v.play();
    },
  };
}

/** set sets the surface from the link, the absent settings to their defaults, then forgets the drawn set. */
function set(v, f, hello, r) {
  const name = r.pick("fn", DEFAULT_FN, hello.functions.map((x) => x.name));
  const fn = hello.functions.find((x) => x.name === name);
  const fp = r.has("fp") ? readParams(r, "fp", parsePairs(r.raw("fp")), fn.params || []) : {};
  const start = r.numbers("s", null, 2, (x) => Math.abs(x) <= hello.surface.maxCoord);
  const mode = r.pick("m", "o", ["o", "r"]);
  const rows = r.has("o") ? readRows(r, hello) : null;
  let rates = r.numbers("rs", null, 0, (x) => x > 0 && x <= hello.surface.maxRate);
  if (rates && rates.length > hello.surface.maxOptimizers) { r.bad("rs", rates.join(",")); rates = null; }
  const steps = r.number("st", null, { min: 1, max: hello.surface.maxSteps, int: true });
  const tol = r.number("tol", DEFAULT_TOL, { min: 0, max: 1 });
  const domain = readDomain(r, hello);
  v.restoring = true;
  try {
    if (f.fnSel.value !== fn.name) v.pickFunction(fn.name);
    f.fp.set({ ...Object.fromEntries((fn.params || []).map((p) => [p.name, p.default])), ...fp });
    f.showPreset(true);
    v.stage.setFunction(fn, f.fp.get(), language());
    f.modeSel.value = mode === "r" ? "rates" : "optimizers";
    if (rates) f.rates.value = rates.join(", ");
    if (steps) f.steps.value = steps;
    f.tol.value = tol;
    v.rows.forEach((row) => row.el.remove());
    v.rows = [];
    (rows || DEFAULT_ROWS).forEach((s) => v.addRow(s.method).restore({ touched: true, ...s }));
    v.showMode(true);
    v.setStart(start || fn.starts[0].x);
  } finally {
    v.restoring = false;
  }
  v.changed();
  if (domain) v.stage.moveView(domain);
}
