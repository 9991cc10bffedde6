// The Train view's form: the network, the optimizer with its live update
// rule, α, the batch, the epochs and the pace; the hyperparameters at their
// defaults, the schedule and the seed fold under "More". Start stays pinned
// at the bottom of the form, so that it is in the first screen.
import { t, onLanguage } from "./i18n.js";
import { h, tx, live, field, numberInput, optimizerSelect, spec, hyperFields, lrControl, batchControl,
  scheduleFields, paceSelect, more, defaultRate } from "./forms.js";
import { activationTitle, optimizerTitle, paramLabel } from "./labels.js";
import { updateRule, withDefaults } from "./rules.js";
import { ErrorLine } from "./errors.js";
import { DataFields, EDGE } from "./sharpform.js";
import { tracks } from "./sharpness.js";

export class TrainForm {
  /** onStart(cmd) sends a start command; the form calls it on submit. */
  constructor(hello, onStart) {
    this.hello = hello;
    this.onStart = onStart;
    const d = hello.defaults;
    this.hidden = numberInput(d.arch.hidden[0], { min: 1, max: hello.limits.maxHiddenUnits, step: 1, name: "hidden" });
    this.act = h("select", { name: "activation" }, hello.activations.map((a) => live(h("option", { value: a }), (el) => { el.textContent = activationTitle(a); })));
    this.act.value = d.arch.activation;
    this.opt = optimizerSelect(hello, d.optimizer);
    this.formula = h("div", { class: "formula", "aria-live": "polite" });
    this.values = h("div", { class: "formula-values muted small" });
    this.hyperBox = h("div", { class: "sub" });
    this.lr = lrControl(defaultRate(hello, d.optimizer));
    this.batch = batchControl(hello.limits.trainSize, d.batch, "tbatch");
    this.epochs = numberInput(d.epochs, { min: 1, max: hello.limits.maxEpochs, step: 1, name: "epochs" });
    this.seed = numberInput(d.seed, { min: 0, max: hello.limits.maxSeed, step: 1, name: "seed" });
    this.pace = paceSelect("pace");
    this.sched = scheduleFields(hello);
    this.data = new DataFields(hello, tracks(hello) && hello.hessian.sharpness.start, "train");
    this.data.el.hidden = !tracks(hello);
    this.data.n.addEventListener("input", () => this.batch.setAll(this.data.size()));
    this.error = new ErrorLine(h("div", { class: "error", role: "alert" }), () => this.hello);
    this.offline = tx("p", "offlineNote", { class: "offline-note small", hidden: true });
    this.startBtn = tx("button", "start", { type: "submit", class: "primary" });
    this.el = this.build();
    this.opt.addEventListener("change", () => this.pickOptimizer());
    this.el.addEventListener("input", () => this.showRule());
    this.el.addEventListener("change", () => this.showRule());
    this.el.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    onLanguage(() => this.showRule());
    this.pickOptimizer();
  }

  build() {
    this.more = more("hyper", h("div", { class: "stack" }, this.hyperBox, this.sched.el, field("seed", this.seed), this.data.el), () => this.moreNote());
    this.paceField = field("pace", this.pace, tx("small", "paceHint", { class: "hint" }));
    return h("form", { class: "card form", "aria-label": t("trainForm"), "data-i18n-label": "trainForm" },
      tx("h2", "network"),
      h("div", { class: "row2" }, field("hidden", this.hidden), field("activation", this.act)),
      tx("h2", "optimizer"),
      field("optimizer", this.opt),
      tx("div", "updateRule", { class: "label-small" }), this.formula, this.values,
      this.lr.el, this.batch,
      h("div", { class: "row2" }, field("epochs", this.epochs)), this.paceField,
      this.more,
      h("div", { class: "form-foot" }, this.error.el, this.offline, h("div", { class: "buttons" }, this.startBtn)));
  }

  /** pickOptimizer shows the method's hyperparameters and its own α, unless the user set one. */
  pickOptimizer() {
    const sp = spec(this.hello, this.opt.value);
    this.hyper = hyperFields(this.hyperBox, sp);
    if (!this.lr.touched) this.lr.set(defaultRate(this.hello, sp.name));
    this.showRule();
  }

  /** showRule writes the update rule of the values in the form, and the note of "More". */
  showRule() {
    const sp = spec(this.hello, this.opt.value);
    const v = withDefaults(sp, { ...this.hyper.all(), lr: this.lr.get() });
    this.formula.textContent = updateRule(sp, v);
    const shown = Object.entries(this.hyper.get()).map(([k, x]) => valueText(sp, k, x));
    this.values.textContent = [`α = ${this.lr.get()}`, ...shown].join(" · ");
    this.more.note();
  }

  moreNote() {
    if (!this.hyper) return "";
    const changed = Object.keys(this.hyper.get()).length + (this.sched.isDefault() ? 0 : 1) + (Number(this.seed.value) === this.hello.defaults.seed ? 0 : 1) + this.data.changed();
    return changed ? t("moreChanged", { n: changed }) : t("moreDefaults");
  }

  config() {
    return this.data.apply({
      arch: { hidden: [Number(this.hidden.value)], activation: this.act.value },
      optimizer: this.opt.value, hyper: this.hyper.get(), lr: this.lr.get(), batch: this.batch.get(),
      epochs: Number(this.epochs.value), seed: Number(this.seed.value), schedule: this.sched.get(),
    });
  }

  submit() {
    this.error.attempt();
    this.onStart({ config: this.config(), pace: Number(this.pace.value), sharpness: this.data.option() });
  }

  /** edge sets the form to the edge of stability's run (sharpform.js EDGE), its data settings shown. */
  edge() {
    this.opt.value = EDGE.optimizer;
    this.lr.set(EDGE.lr, true);
    this.pickOptimizer();
    this.data.set(EDGE.examples, true);
    this.batch.set(this.data.size());
    this.epochs.value = EDGE.epochs;
    this.pace.value = String(EDGE.pace);
    this.more.open = true;
    this.showRule();
  }

  /** useRate sets the optimizer and α (the LR range test's suggestion) as the user's choice. */
  useRate(optimizer, lr) {
    this.opt.value = optimizer;
    this.lr.set(lr, true);
    this.pickOptimizer();
  }

  /** online enables Start while the server is there, and says why it is not. */
  online(on, watchOnly) {
    this.startBtn.disabled = !on;
    this.offline.hidden = on || watchOnly;
  }

  /** showPace shows the pace control when the server can pace runs. */
  showPace(yes) { this.paceField.hidden = !yes; }

  title() { return optimizerTitle(spec(this.hello, this.opt.value)); }
}

/** valueText is a changed hyperparameter by its symbol ("μ = 0.9"), or a switch by its label. */
function valueText(sp, name, x) {
  const p = sp.params.find((q) => q.name === name);
  if (p.bool) return paramLabel(p);
  const m = /([α-ωΑ-Ω][₀-₉]?)/.exec(p.doc);
  return `${m ? m[1] : paramLabel(p)} = ${x}`;
}
