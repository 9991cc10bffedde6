// The surface explorer's read-outs: one optimizer's form row, the results
// table, and the numbers of an inspected step.
import { h, tx, live, paramControl, hyperFields, lrControl } from "./forms.js";
import { t, tOr } from "./i18n.js";
import { TrajStatus } from "./protocol.js";
import { fmtNum } from "./format.js";
import { optimizerTitle } from "./labels.js";
import { updateRule, withDefaults } from "./rules.js";
import { DIVERGED } from "./charts.js";

const kindKeys = { firstOrder: "surfFirstOrder", secondOrder: "surfSecondOrder", lineSearch: "surfLineSearch" };

/** methodSelect groups every method by what it needs besides ∇J. */
export function methodSelect(hello, value) {
  const sel = h("select", { name: "method" });
  for (const kind of Object.keys(kindKeys)) {
    const g = h("optgroup", { label: t(kindKeys[kind]), "data-i18n-group": kindKeys[kind] });
    hello.optimizers.filter((s) => s.kind === kind).forEach((s) => g.append(live(h("option", { value: s.name }), (el) => { el.textContent = optimizerTitle(s); })));
    sel.append(g);
  }
  sel.value = value;
  return sel;
}

/**
 * OptimizerRow is one optimizer of the form: its method, its rate α on a log
 * slider (the method's own default unless the user set one), its other
 * hyperparameters folded under "Hyperparameters", and its update rule.
 */
export class OptimizerRow {
  constructor(hello, method, lr, onChange, onRemove) {
    this.hello = hello;
    this.sel = methodSelect(hello, method);
    this.lrBox = h("div");
    this.hyper = h("div", { class: "sub" });
    this.formula = h("div", { class: "formula small" });
    this.swatch = h("span", { class: "swatch" });
    const remove = h("button", { type: "button", class: "surf-remove", "aria-label": t("surfRemove"), "data-i18n-label": "surfRemove", title: t("surfRemove"), "data-i18n-title": "surfRemove" }, "×");
    remove.addEventListener("click", () => onRemove(this));
    this.more = h("details", { class: "more surf-more" }, h("summary", {}, tx("span", "hyper", { class: "more-title" })), this.hyper);
    this.el = h("div", { class: "surf-row" },
      h("div", { class: "surf-row-head" }, this.swatch, this.sel, remove), this.formula, this.lrBox, this.more);
    this.sel.addEventListener("change", () => { this.fill(); onChange(); });
    this.el.addEventListener("input", (e) => { if (e.target !== this.sel) { this.showRule(); onChange(); } });
    this.touched = false;
    this.fill(lr);
  }

  get spec() { return this.hello.optimizers.find((s) => s.name === this.sel.value); }

  /** fill shows the method's controls; α stays the user's own when they set it. */
  fill(lr, hyper = {}) {
    const sp = this.spec, p = sp.params.find((x) => x.name === "lr");
    const users = this.lr && this.lr.touched ? this.lr.get() : null;
    this.lr = p ? lrControl(lr ?? users ?? p.default) : null;
    if (this.lr) this.lr.touched = users != null;
    this.lrBox.replaceChildren(...(this.lr ? [this.lr.el] : []));
    this.hyperCtl = hyperFields(this.hyper, sp, hyper);
    this.more.hidden = !this.hyperCtl.count;
    this.showRule();
  }

  showRule() { this.formula.textContent = this.rule(); }

  /** rule is the update rule of the row's values. */
  rule() { return updateRule(this.spec, withDefaults(this.spec, { ...this.hyperCtl.all(), ...(this.lr ? { lr: this.lr.get() } : {}) })); }

  /** value is the optimizer as trajStart wants it, with its label for the legend. */
  value(lr) {
    const params = { ...this.hyperCtl.get() };
    const rate = lr ?? (this.lr ? this.lr.get() : undefined);
    if (rate !== undefined) params.lr = rate;
    const title = optimizerTitle(this.spec);
    return { method: this.sel.value, params, label: rate !== undefined ? `${title} α=${Number(rate.toPrecision(3))}` : title };
  }

  /** state and restore keep a row for Undo: its method, α and hyperparameters. */
  state() { return { method: this.sel.value, lr: this.lr ? this.lr.get() : null, hyper: this.hyperCtl.all(), touched: !!(this.lr && this.lr.touched) }; }
  restore(s) {
    this.sel.value = s.method;
    this.lr = null;
    this.fill(s.lr ?? undefined, s.hyper);
    if (this.lr) this.lr.touched = s.touched;
  }
}

/** statusLabel is a trajectory's status in words. */
export function statusLabel(it) {
  if (!it) return "–";
  if (it.status === TrajStatus.diverged) return t("divergedAt", { k: it.step });
  return tOr(`surfStatus_${it.status}`, it.status);
}

/** resultsTable lists each trajectory's status, steps, evaluations and final point. */
export function resultsTable(trajs) {
  const head = ["colRun", "colStatus", "step", "surfFEvals", "surfGEvals", "surfHEvals", "surfFinal", "surfF"]
    .map((k, i) => tx("th", k, { class: i >= 2 && i <= 5 ? "num" : null }));
  const rows = trajs.map((tr) => {
    const it = tr.points[tr.points.length - 1];
    const cls = it && it.status === TrajStatus.diverged ? "diverged" : null;
    return h("tr", {},
      h("td", {}, h("span", { class: "swatch", style: `background:${tr.color}` }), tr.label),
      h("td", { class: cls, title: it ? it.reason || "" : "" }, statusLabel(it)),
      ...(it ? [it.step, it.fEvals, it.gEvals, it.hEvals] : ["–", "–", "–", "–"]).map((v) => h("td", { class: "num" }, String(v))),
      h("td", { class: "num" }, it ? `(${fmtNum(it.x[0])}, ${fmtNum(it.x[1])})` : "–"),
      h("td", { class: "num" }, it ? fmtNum(it.f) : "–"));
  });
  return h("table", { class: "results surf-results" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, rows));
}

const internalNames = { m: "m", v: "v", vMax: "v_max", sum: "s = Σg²", buf: "b", squareAvg: "v", gradAvg: "ḡ" };

/** describe is the read-out of one step: θ, J, ∇J, Δθ, α, the internals and, for Newton, H. */
export function describe(tr, it, params) {
  const vec = (v) => `(${fmtNum(v[0])}, ${fmtNum(v[1])})`;
  const rows = [
    ["θ", vec(it.x)], ["J(θ)", fmtNum(it.f)], ["∇J(θ)", `${vec(it.grad)}  ‖∇J‖ = ${fmtNum(Math.hypot(...it.grad))}`],
    ["Δθ", vec(it.delta)],
  ];
  if (it.lr) rows.push(["α", fmtNum(it.lr)]);
  const ins = it.internals || {};
  for (const [k, v] of Object.entries(ins)) rows.push([internalNames[k] || k, vec(v)]);
  if (ins.m && ins.v && it.step > 0) { // Adam's bias-corrected moments
    const b1 = params.beta1 ?? 0.9, b2 = params.beta2 ?? 0.999;
    rows.push(["m̂", vec(ins.m.map((x) => x / (1 - b1 ** it.step)))], ["v̂", vec(ins.v.map((x) => x / (1 - b2 ** it.step)))]);
  }
  if (it.hessian) {
    const [a, b, c] = it.hessian;
    rows.push([t("surfHBefore"), `[[${fmtNum(a)}, ${fmtNum(b)}], [${fmtNum(b)}, ${fmtNum(c)}]]`]);
  }
  if (it.eigen) rows.push(["λ₁, λ₂", `${fmtNum(it.eigen[0])}, ${fmtNum(it.eigen[1])}`]);
  if (it.curvature) rows.push([t("surfCurvature"), tOr(`surfCurv_${it.curvature}`, it.curvature)]);
  if (it.lambda) rows.push([t("surfDamping"), fmtNum(it.lambda)]);
  rows.push([t("surfEvals"), `${it.fEvals} / ${it.gEvals} / ${it.hEvals}`]);
  return h("div", {},
    h("div", { class: "surf-tip-head" }, h("span", { class: "swatch", style: `background:${tr.color}` }), `${tr.label} · ${t("step")} ${it.step}`),
    h("table", {}, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))))),
    it.curvature === "not positive definite" ? h("p", { class: "small", style: `color:${DIVERGED}` }, t("surfNotPD")) : null,
    it.reason ? h("p", { class: "small muted" }, it.reason) : null,
    h("p", { class: "small muted" }, t("surfArrows")));
}

/** functionParams are the controls of a function's own parameters (the quadratic's κ and φ), labelled in words. */
export function functionParams(fn, onChange) {
  const ctl = (fn.params || []).map((p) => {
    const c = paramControl(p, p.default);
    c.input.name = `fp-${p.name}`;
    c.input.addEventListener("change", onChange);
    return [p, c];
  });
  return {
    el: h("div", { class: "sub" }, ctl.map(([, c]) => c.el)),
    get: () => Object.fromEntries(ctl.map(([p, c]) => [p.name, c.get()])),
    set: (v) => ctl.forEach(([p, c]) => { if (p.name in v) c.input.value = v[p.name]; }),
  };
}
