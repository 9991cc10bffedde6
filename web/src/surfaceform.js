// The surface explorer's form: the function and its parameters, the start,
// what is compared (optimizers, or one optimizer at several rates, with the
// function's presets), the optimizer rows, the step limit and tolerance. On
// a phone it folds away behind a compact bar above the map
// ("Rosenbrock · Adam, GD") that opens it.
import { t } from "./i18n.js";
import { h, tx, live, field, numberInput } from "./forms.js";
import { functionTitle, functionFormula, optimizerTitle } from "./labels.js";
import { fmtNum } from "./format.js";
import { ErrorLine } from "./errors.js";
import { functionParams } from "./surfaceparts.js";
import { ratePreset } from "./presets.js";

export class SurfaceForm {
  /** hooks: {changed(), pickFunction(), setStart(p)} */
  constructor(hello, hooks) {
    this.hello = hello;
    this.hooks = hooks;
    this.fnSel = h("select", { name: "fn" }, hello.functions.map((f) => live(h("option", { value: f.name }), (el) => { el.textContent = functionTitle(f); })));
    this.fnFormula = h("div", { class: "formula small" });
    this.fnParams = h("div");
    this.startSel = h("select", { name: "startPreset" });
    this.sx = numberInput(0, { name: "sx" });
    this.sy = numberInput(0, { name: "sy" });
    this.rowBox = h("div", { class: "stack" });
    this.addBtn = tx("button", "surfAdd", { type: "button", "data-act": "surfAdd" });
    this.modeSel = h("select", { name: "surfMode" }, tx("option", "cmpOptimizers", { value: "optimizers" }), tx("option", "cmpRates", { value: "rates" }));
    this.rates = h("input", { type: "text", name: "surfRates", value: "" });
    this.presetNote = h("small", { class: "hint" });
    this.ratesField = field("rates", this.rates, this.presetNote);
    this.steps = numberInput(2000, { min: 1, max: hello.surface.maxSteps, name: "surfSteps" });
    this.tol = numberInput(1e-6, { min: 0, name: "surfTol" });
    this.error = new ErrorLine(h("p", { class: "error", role: "alert" }), () => this.hello);
    this.el = h("form", { class: "card form", "aria-label": t("surfForm"), "data-i18n-label": "surfForm" },
      tx("h2", "tabSurface"),
      field("surfFunction", this.fnSel), this.fnFormula, this.fnParams,
      field("surfStart", this.startSel, tx("small", "surfStartHint", { class: "hint" })),
      h("div", { class: "row2" }, field(() => "x₀", this.sx), field(() => "y₀", this.sy)),
      field("compareWhat", this.modeSel), this.ratesField,
      this.rowBox, this.addBtn,
      h("div", { class: "row2" }, field("surfSteps", this.steps), field("surfTol", this.tol)), this.error.el);
    this.summary = h("button", { type: "button", class: "surf-summary", "aria-expanded": "false", "data-act": "surfSettings" });
    this.bind();
  }

  bind() {
    const hk = this.hooks;
    this.el.addEventListener("submit", (e) => e.preventDefault());
    this.fnSel.addEventListener("change", () => hk.pickFunction());
    this.startSel.addEventListener("change", () => hk.setStart(this.fn.starts[Number(this.startSel.value)].x));
    for (const el of [this.sx, this.sy]) el.addEventListener("change", () => hk.setStart([Number(this.sx.value), Number(this.sy.value)]));
    for (const el of [this.rates, this.steps, this.tol]) el.addEventListener("change", () => hk.changed());
    this.summary.addEventListener("click", () => this.open(this.summary.getAttribute("aria-expanded") !== "true"));
  }

  get fn() { return this.hello.functions.find((f) => f.name === this.fnSel.value); }
  get rateMode() { return this.modeSel.value === "rates"; }

  /** showFunction shows fn's formula, parameters and starts; onParams is called when a parameter changes. */
  showFunction(onParams) {
    const fn = this.fn;
    live(this.fnFormula, (el) => { el.textContent = functionFormula(fn); });
    this.fp = functionParams(fn, () => { this.showPreset(true); onParams(); });
    this.fnParams.replaceChildren(this.fp.el);
    this.startSel.replaceChildren(...fn.starts.map((s, i) => h("option", { value: i, title: s.source }, `(${s.x[0]}, ${s.x[1]})`)),
      tx("option", "surfOwnStart", { value: "", disabled: true }));
    this.showPreset(true);
  }

  /** showPreset fills the rates with the function's presets (unless the user wrote their own) and says 2/λmax. */
  showPreset(fill) {
    const p = ratePreset(this.fn, this.fp.get());
    if (fill) { this.rates.value = p.rates.join(", "); this.steps.value = p.steps; }
    this.presetNote.textContent = p.lmax ? t("presetNote", { edge: fmtNum(2 / p.lmax, 2) }) : t("ratesHint");
  }

  /** showStart writes the start in the boxes and picks its preset, if it is one. */
  showStart(start) {
    this.sx.value = start[0];
    this.sy.value = start[1];
    const i = this.fn.starts.findIndex((s) => s.x[0] === start[0] && s.x[1] === start[1]);
    this.startSel.value = i < 0 ? "" : String(i);
  }

  /** rateList is the learning-rate mode's rates, or an error. */
  rateList() {
    const rates = this.rates.value.split(/[,\s]+/).filter(Boolean).map(Number);
    if (!rates.length || rates.some((x) => !(x > 0))) throw new Error(`${t("rates")}: ${t("ratesHint")}`);
    return rates;
  }

  /** describe is the compact bar's text: "Rosenbrock · Adam, GD" (optimizers) or "Rosenbrock · GD at 4 rates". */
  describe(rows) {
    const fn = functionTitle(this.fn), names = rows.map((r) => optimizerTitle(r.spec));
    if (this.rateMode) return `${fn} · ${t("atRates", { m: names[0], n: this.rates.value.split(/[,\s]+/).filter(Boolean).length })}`;
    return `${fn} · ${names.join(", ")}`;
  }

  /** open shows or hides the settings on a phone (the compact bar's toggle). */
  open(on) {
    this.summary.setAttribute("aria-expanded", String(on));
    this.el.closest(".surf").classList.toggle("settings-open", on);
    if (on) this.el.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  /** state and restore keep the form for Undo. */
  state(rows) {
    return { fn: this.fnSel.value, fp: this.fp.get(), mode: this.modeSel.value, rates: this.rates.value,
      steps: this.steps.value, tol: this.tol.value, rows: rows.map((r) => r.state()) };
  }
}
