// The surface explorer's read-outs: one optimizer's form row, the results
// table, and the numbers of an inspected step.
import { h, field, hyperFields, lrControl } from "./forms.js";
import { t, tOr } from "./i18n.js";
import { fmtNum } from "./store.js";

const kindKeys = { firstOrder: "surfFirstOrder", secondOrder: "surfSecondOrder", lineSearch: "surfLineSearch" };

/** methodSelect groups every method by what it needs besides ∇J. */
export function methodSelect(hello, value) {
  const sel = h("select", { name: "method" });
  for (const kind of Object.keys(kindKeys)) {
    const g = h("optgroup", { label: t(kindKeys[kind]), "data-i18n-group": kindKeys[kind] });
    hello.optimizers.filter((s) => s.kind === kind).forEach((s) => g.append(h("option", { value: s.name, title: s.formula }, s.title)));
    sel.append(g);
  }
  sel.value = value;
  return sel;
}

/**
 * OptimizerRow is one optimizer of the form: its method, its rate α on a log
 * slider, its other hyperparameters and its update rule.
 */
export class OptimizerRow {
  constructor(hello, method, lr, onChange, onRemove) {
    this.hello = hello;
    this.sel = methodSelect(hello, method);
    this.lrBox = h("div");
    this.hyper = h("div", { class: "sub" });
    this.formula = h("div", { class: "formula small" });
    this.swatch = h("span", { class: "swatch" });
    const remove = h("button", { type: "button", class: "surf-remove", "aria-label": t("surfRemove"), "data-i18n-label": "surfRemove", title: t("surfRemove") }, "×");
    remove.addEventListener("click", () => onRemove(this));
    this.more = h("details", { class: "surf-more" }, h("summary", { "data-i18n": "hyper" }, t("hyper")), this.hyper);
    this.el = h("div", { class: "surf-row" },
      h("div", { class: "surf-row-head" }, this.swatch, this.sel, remove), this.formula, this.lrBox, this.more);
    this.sel.addEventListener("change", () => { this.fill(); onChange(); });
    this.el.addEventListener("input", (e) => { if (e.target !== this.sel) onChange(); });
    this.fill(lr);
  }

  get spec() { return this.hello.optimizers.find((s) => s.name === this.sel.value); }

  fill(lr) {
    const sp = this.spec, p = sp.params.find((x) => x.name === "lr");
    this.formula.textContent = sp.formula;
    this.lr = p ? lrControl(lr ?? p.default) : null;
    this.lrBox.replaceChildren(...(this.lr ? [this.lr.el] : []));
    this.getHyper = hyperFields(this.hyper, sp);
    this.more.hidden = !this.hyper.children.length;
  }

  /** value is the optimizer as trajStart wants it. */
  value(lr) {
    const params = { ...this.getHyper() };
    const rate = lr ?? (this.lr ? this.lr.get() : undefined);
    if (rate !== undefined) params.lr = rate;
    const label = rate !== undefined ? `${this.spec.title} α=${Number(rate.toPrecision(3))}` : this.spec.title;
    return { method: this.sel.value, params, label };
  }
}

/** statusLabel is a trajectory's status in words. */
export function statusLabel(it) {
  if (!it) return "–";
  if (it.status === "diverged") return t("divergedAt", { k: it.step });
  return tOr(`surfStatus_${it.status}`, it.status);
}

/** resultsTable lists each trajectory's status, steps, evaluations and final point. */
export function resultsTable(trajs) {
  const head = ["colRun", "colStatus", "step", "surfFEvals", "surfGEvals", "surfHEvals", "surfFinal", "surfF"]
    .map((k, i) => h("th", { class: i >= 2 && i <= 5 ? "num" : null, "data-i18n": k }, t(k)));
  const rows = trajs.map((tr) => {
    const it = tr.points[tr.points.length - 1];
    const cls = it && it.status === "diverged" ? "diverged" : null;
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

/** describe is the read-out of one step: x, f, ∇f, Δ, α, the internals and, for Newton, H. */
export function describe(tr, it, params) {
  const vec = (v) => `(${fmtNum(v[0])}, ${fmtNum(v[1])})`;
  const rows = [
    ["θ", vec(it.x)], ["f(θ)", fmtNum(it.f)], ["∇f", `${vec(it.grad)}  ‖∇f‖ = ${fmtNum(Math.hypot(...it.grad))}`],
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
  if (it.lambda) rows.push(["λ (damping)", fmtNum(it.lambda)]);
  rows.push([t("surfEvals"), `${it.fEvals} / ${it.gEvals} / ${it.hEvals}`]);
  return h("div", {},
    h("div", { class: "surf-tip-head" }, h("span", { class: "swatch", style: `background:${tr.color}` }), `${tr.label} · ${t("step")} ${it.step}`),
    h("table", {}, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))))),
    it.curvature === "not positive definite" ? h("p", { class: "diverged small" }, t("surfNotPD")) : null,
    it.reason ? h("p", { class: "small muted" }, it.reason) : null,
    h("p", { class: "small muted" }, t("surfArrows")));
}

/** functionParams are the sliders of a function's own parameters (the quadratic's κ and φ). */
export function functionParams(fn, onChange) {
  const inputs = (fn.params || []).map((p) => {
    const input = h("input", { type: "number", inputmode: "decimal", value: p.default, min: p.min, max: p.max, step: "any", name: `fp-${p.name}` });
    input.addEventListener("change", onChange);
    return [p, input, field(`=${p.name}`, input, p.doc)];
  });
  return { el: h("div", { class: "sub" }, inputs.map((x) => x[2])), get: () => Object.fromEntries(inputs.map(([p, i]) => [p.name, Number(i.value)])) };
}
