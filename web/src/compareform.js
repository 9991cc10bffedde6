// The Compare view's form: what differs between the runs (learning rates,
// optimizers each at its own α, or batch sizes) and what they share.
import { t } from "./i18n.js";
import { h, tx, live, field, numberInput, optimizerSelect, spec, paceSelect, defaultRate } from "./forms.js";
import { optimizerTitle } from "./labels.js";
import { ErrorLine } from "./errors.js";
import { DataFields } from "./sharpform.js";
import { tracks } from "./sharpness.js";

const PRESET = [0.001, 0.01, 0.1, 0.5, 1, 5];
const MODES = [["rates", "cmpRates"], ["optimizers", "cmpOptimizers"], ["batches", "cmpBatches"]];

export class CompareForm {
  /** onSweep(cmd) sends the sweep command. */
  constructor(hello, onSweep) {
    this.hello = hello;
    this.onSweep = onSweep;
    this.mode = "rates";
    this.opt = optimizerSelect(hello, hello.defaults.optimizer);
    this.preset = h("select", { name: "preset" }, h("option", { value: "preset" }, PRESET.join(", ")), tx("option", "ownList", { value: "own" }));
    this.rates = h("input", { type: "text", inputmode: "decimal", value: PRESET.join(", "), name: "rates" });
    this.preset.addEventListener("change", () => { if (this.preset.value === "preset") this.rates.value = PRESET.join(", "); else this.rates.focus(); });
    this.rates.addEventListener("input", () => { this.preset.value = "own"; });
    this.lr = numberInput(hello.defaults.lr, { min: 0, max: hello.limits.maxLR, name: "lr" });
    this.batch = h("select", { name: "batch" }, [1, 16, 64, 256, hello.limits.trainSize].map((b) => h("option", { value: b }, String(b))));
    this.batch.value = String(hello.defaults.batch);
    this.epochs = numberInput(2, { min: 1, max: hello.limits.maxEpochs, step: 1, name: "epochs" });
    this.seed = numberInput(hello.defaults.seed, { min: 0, max: hello.limits.maxSeed, step: 1, name: "seed" });
    this.pace = paceSelect("cmpPace");
    this.data = new DataFields(hello, tracks(hello) && hello.hessian.sharpness.sweep, "cmp");
    this.data.el.hidden = !tracks(hello);
    const all = this.batch.options[this.batch.options.length - 1]; // the full batch: all the images trained on
    this.data.n.addEventListener("input", () => { all.textContent = String(this.data.size()); });
    this.error = new ErrorLine(h("div", { class: "error", role: "alert" }), () => this.hello);
    this.offline = tx("p", "offlineNote", { class: "offline-note small", hidden: true });
    this.startBtn = tx("button", "startSweep", { type: "submit", class: "primary" });
    this.el = this.build();
    this.el.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    this.showMode("rates");
  }

  build() {
    const mode = h("fieldset", { class: "radios" }, tx("legend", "compareWhat"));
    for (const [v, key] of MODES) {
      const input = h("input", { type: "radio", name: "cmpmode", value: v, id: `mode-${v}`, checked: v === "rates" });
      input.addEventListener("change", () => this.showMode(v));
      mode.append(h("label", { class: "radio", for: input.id }, input, tx("span", key)));
    }
    this.parts = {
      rates: h("div", { class: "stack" }, field("optimizer", this.opt), field("preset", this.preset), field("rates", this.rates, tx("small", "ratesHint", { class: "hint" }))),
      optimizers: this.optimizerList(),
      batches: h("div", { class: "stack" }, this.batchList(), field("lr", this.lr)),
      batchSel: field("batch", this.batch),
    };
    this.paceField = field("pace", this.pace);
    return h("form", { class: "card form", "aria-label": t("compareForm"), "data-i18n-label": "compareForm" },
      tx("h2", "tabCompare"), mode, this.parts.rates, this.parts.optimizers, this.parts.batches, this.parts.batchSel,
      h("div", { class: "row2" }, field("epochs", this.epochs), field("seed", this.seed)), this.data.el, this.paceField,
      tx("p", "cmpNote", { class: "muted small" }),
      h("div", { class: "form-foot" }, this.error.el, this.offline, h("div", { class: "buttons" }, this.startBtn)));
  }

  /** optimizerList has a box per method that can train the network, each with its own α from hello. */
  optimizerList() {
    return h("div", { class: "opt-list" }, this.hello.optimizers.filter((s) => s.network).map((s) => {
      const cb = h("input", { type: "checkbox", id: `cmp-${s.name}`, value: s.name, checked: ["sgd", "momentum", "adam"].includes(s.name) });
      const r = numberInput(defaultRate(this.hello, s.name), { min: 0, max: this.hello.limits.maxLR, name: `lr-${s.name}` });
      live(r, (el) => el.setAttribute("aria-label", `${optimizerTitle(s)} α`));
      return h("label", { class: "opt-item", for: cb.id }, cb, live(h("span"), (el) => { el.textContent = optimizerTitle(s); }), r);
    }));
  }

  batchList() {
    const n = this.hello.limits.trainSize;
    return h("div", { class: "opt-list" }, [[1, "batchSGD"], [64, "batchMini"], [n, "batchFull"]].map(([b, key]) => {
      const cb = h("input", { type: "checkbox", id: `cmpb-${b}`, value: b, checked: true });
      return h("label", { class: "opt-item opt-item-2", for: cb.id }, cb, live(h("span"), (el) => { el.textContent = t(key, { n }); }));
    }));
  }

  showMode(m) {
    this.mode = m;
    this.parts.rates.hidden = m !== "rates";
    this.parts.optimizers.hidden = m !== "optimizers";
    this.parts.batches.hidden = m !== "batches";
    this.parts.batchSel.hidden = m === "batches";
  }

  /** variants are the runs of the sweep; the rates ascending, so that colours run with α as in the figure. */
  variants() {
    if (this.mode === "rates") {
      const rates = this.rates.value.split(/[,\s]+/).filter(Boolean).map(Number);
      if (!rates.length || rates.some((x) => !(x > 0))) throw new Error(`${t("rates")}: ${t("ratesHint")}`);
      return [...new Set(rates)].sort((a, b) => a - b).map((lr) => ({ lr, label: `α=${lr}` }));
    }
    if (this.mode === "optimizers") {
      return [...this.el.querySelectorAll(".opt-list input[type=checkbox]:checked")].filter((cb) => spec(this.hello, cb.value)).map((cb) => {
        const lr = Number(this.el.querySelector(`[name=lr-${cb.value}]`).value);
        return { optimizer: cb.value, lr, label: `${optimizerTitle(spec(this.hello, cb.value))} α=${lr}` };
      });
    }
    return [...this.parts.batches.querySelectorAll("input:checked")].map((cb) => ({ batch: Number(cb.value), label: `b=${cb.value}` }));
  }

  submit() {
    this.error.attempt();
    const base = { optimizer: this.opt.value, batch: Number(this.batch.value), epochs: Number(this.epochs.value), seed: Number(this.seed.value) };
    if (this.mode === "batches") base.lr = Number(this.lr.value);
    let variants;
    try { variants = this.variants(); } catch (e) { this.error.say(`${t("errorPrefix")}: ${e.message}`); return; }
    this.data.apply(base);
    const n = this.data.size(); // a batch above the images trained on is all of them
    variants.forEach((v) => { if (v.batch > n) Object.assign(v, { batch: n, label: `b=${n}` }); });
    this.onSweep({ base, variants, sharpness: this.data.option() }, Number(this.pace.value));
  }

  online(on, watchOnly) {
    this.startBtn.disabled = !on;
    this.offline.hidden = on || watchOnly;
  }

  showPace(yes) { this.paceField.hidden = !yes; }
}
