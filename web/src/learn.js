// Learn this digit: a copy of the answering network (a run's weights after
// its last epoch, or a saved model: never the run that trains) takes
// θ ← θ − α∇J(θ) on this one drawing, J = −log p(y) for the label y the
// user picks, at the rate α the user sets. Each Step shows what it did
// (learnshow.js); Reset puts the copy back; Keep makes it a saved model that
// every page can pick and download. The copy lives on the server (learnStart,
// learnStep, learnReset, learnKeep in protocol/learn.go) and goes with the
// connection: after a reconnect the next Step makes a new one.
import { t } from "./i18n.js";
import { h, tx, field, lrControl, optimizerSelect, defaultRate, spec, live } from "./forms.js";
import { Cmd, Ev, ErrorCode } from "./protocol.js";
import { Change } from "./store.js";
import { pct } from "./format.js";
import { ErrorLine } from "./errors.js";
import { updateRule, withDefaults } from "./rules.js";
import { digitChoice, panel } from "./drawparts.js";
import { stepHead, changeTable, sizeLine, forgetLine, pairedBars, historyTable } from "./learnshow.js";

const COPY = "draw"; // the page's one copy
const HISTORY = 12; // steps listed

export class LearnPanel {
  /** view is the Draw view: picture(), network(), store, and useModel(name) to answer with a kept model. */
  constructor(view) {
    this.view = view;
    this.copy = null; // {source, info}: the copy on the server, info its latest learnCopy
    this.reqs = new Map(); // req → what it was: "start", "step", "reset", "keep"
    this.steps = [];
    this.el = panel("draw-learn", "lnTitle", "lnSummary");
    view.store.on((kind, ev) => this.onStore(kind, ev));
  }

  /** build makes the controls once hello has come (the rate and the optimizers are the server's). */
  build(hello) {
    this.choice = digitChoice("learn", "lnLabel", false);
    this.lr = lrControl(defaultRate(hello, "sgd"));
    this.optimizer = optimizerSelect(hello, "sgd");
    this.optimizer.addEventListener("change", () => this.switchOptimizer());
    this.rule = h("div", { class: "formula small ln-rule" });
    this.stepBtn = h("button", { type: "button", class: "primary", id: "ln-step", onclick: () => this.step() }, t("step"));
    this.resetBtn = tx("button", "surfReset", { type: "button", id: "ln-reset", onclick: () => this.reset() });
    this.name = h("input", { type: "text", name: "keepName", maxlength: 40, id: "ln-name" });
    this.keepBtn = tx("button", "lnKeep", { type: "button", id: "ln-keep", onclick: () => this.keep() });
    this.copyLine = h("p", { class: "hint ln-copy" });
    this.result = h("div", { class: "ln-result", "aria-live": "polite" });
    this.keptLine = h("div", { class: "ln-kept" });
    this.errorEl = h("p", { class: "error" });
    this.error = new ErrorLine(this.errorEl, () => this.view.store.hello);
    this.el.body.append(tx("p", "lnNote", { class: "hint" }), this.choice,
      h("div", { class: "ln-controls" }, this.lr.el, field("optimizer", this.optimizer)), this.rule,
      h("div", { class: "buttons" }, this.stepBtn, this.resetBtn), tx("p", "lnRateNote", { class: "hint" }), this.copyLine, this.errorEl,
      this.result, h("div", { class: "ln-keep" }, field("lnKeepName", this.name), this.keepBtn), this.keptLine);
    live(this.stepBtn, (el) => { el.textContent = t("step"); this.showRule(); this.showCopy(); this.render(); });
    this.enable(false);
  }

  showRule() {
    const sp = spec(this.view.store.hello, this.optimizer.value);
    this.rule.textContent = `${updateRule(sp, withDefaults(sp, {}))},  J = −log p(y)`;
  }

  /** enable turns the buttons on when a drawing can be learnt and the server is there. */
  enable(can) {
    if (!this.stepBtn) return;
    this.can = can;
    this.stepBtn.disabled = !can;
    this.resetBtn.disabled = !this.view.store.online || !this.copy || !this.steps.length;
    this.keepBtn.disabled = !this.view.store.online || !this.copy || !this.steps.length;
  }

  send(what, cmd) {
    this.error.attempt();
    const req = this.view.store.command(cmd);
    this.reqs.set(req, what);
    return req;
  }

  step() {
    const pic = this.view.picture(), label = this.choice.get(), lr = this.lr.get();
    if (!pic) return this.error.say(t("gcNeed"));
    if (label == null) return this.error.say(t("lnPick"));
    const source = this.view.network();
    if (!this.copy || JSON.stringify(this.copy.source) !== JSON.stringify(source)) this.start(source);
    this.send("step", { type: Cmd.learnStep, copy: COPY, ...pic, label, lr });
  }

  /** start makes the copy (a copy of the same name is replaced): the steps so far are forgotten. */
  start(source) {
    this.copy = { source, info: null };
    this.steps = [];
    this.keptLine.replaceChildren();
    this.send("start", { type: Cmd.learnStart, copy: COPY, ...source, optimizer: this.optimizer.value });
  }

  reset() {
    if (!this.copy) return;
    this.steps = [];
    this.render();
    this.send("reset", { type: Cmd.learnReset, copy: COPY, optimizer: this.optimizer.value });
  }

  switchOptimizer() {
    this.showRule();
    const sp = spec(this.view.store.hello, this.optimizer.value);
    if (!this.lr.touched) this.lr.set(defaultRate(this.view.store.hello, sp.name));
    if (this.copy) this.reset();
  }

  keep() {
    const name = this.name.value.trim() || this.defaultName();
    if (this.copy) this.send("keep", { type: Cmd.learnKeep, copy: COPY, name });
  }

  /** defaultName is "learnt 5" in the page's language, with a number when the name is taken. */
  defaultName() {
    const last = this.steps[this.steps.length - 1];
    const base = t("lnKeepDefault", { d: last ? last.label : "" }).trim();
    const taken = new Set(((this.view.store.hello && this.view.store.hello.models) || []).map((m) => m.name));
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base} ${k}`;
    return name;
  }

  onStore(kind, ev) {
    if (kind === Change.hello && this.copy) { // a reconnect: the server forgot the copy
      this.copy = null;
      this.steps = [];
      this.render();
      if (this.copyLine) this.copyLine.textContent = t("lnGone");
      return;
    }
    if (!ev || !this.reqs.has(ev.req)) return;
    const what = this.reqs.get(ev.req);
    this.reqs.delete(ev.req);
    if (kind === Change.error) return this.refused(what, ev);
    if (ev.type === Ev.learnCopy && this.copy) { this.copy.info = ev; this.showCopy(); }
    if (ev.type === Ev.learned) { this.steps.push(ev); this.steps = this.steps.slice(-HISTORY); this.render(); }
    if (ev.type === Ev.kept) this.showKept(ev.model);
    this.enable(this.can);
  }

  /** refused says why a learn command was refused; a step that made the weights non-finite diverged. */
  refused(what, ev) {
    if (what === "start") this.copy = null;
    if (what === "step" && ev.code === ErrorCode.invalid && ev.field !== "pixels") {
      this.el.dataset.diverged = "1";
      return this.error.say(t("lnDiverged"));
    }
    if (what === "keep" && ev.code === ErrorCode.invalid && ev.field === "name") return this.error.say(t("lnNameBad"));
    if (what === "step" && ev.field === "copy" && !this.copy) return; // the start's refusal says it already
    this.error.show(ev);
  }

  showCopy() {
    const info = this.copy && this.copy.info;
    if (!info || !this.copyLine) return;
    const src = info.model ? t("lnFromModel", { name: info.model }) : t("lnFromRun", { run: info.run, e: info.epoch });
    this.copyLine.textContent = t("lnCopy", { src, acc: pct(info.accuracy, 1), n: info.evalImages.toLocaleString() });
  }

  render() {
    if (!this.result) return;
    delete this.el.dataset.diverged;
    const ev = this.steps[this.steps.length - 1];
    this.el.dataset.steps = String(ev ? ev.step : 0);
    this.el.dataset.top = ev ? String(ev.topAfter) : "";
    if (!ev) { this.result.replaceChildren(); return; }
    const forget = forgetLine(ev);
    const parts = [h("p", { class: "ln-head" }, stepHead(ev)), changeTable(ev), h("p", { class: "hint" }, sizeLine(ev)),
      forget ? h("p", { class: "ln-forget" }, forget) : null, pairedBars(ev), tx("h3", "lnHistory"), h("div", { class: "table-wrap" }, historyTable(this.steps))];
    this.result.replaceChildren(...parts.filter(Boolean));
    if (!this.name.value) this.name.placeholder = this.defaultName();
  }

  /** showKept says where the kept model is: in the picker, and as a file to download. */
  showKept(m) {
    this.name.value = "";
    const use = tx("button", "lnUse", { type: "button", id: "ln-use", onclick: () => this.view.useModel(m.name) });
    const link = h("a", { href: m.download, download: "", class: "ln-download", id: "ln-download" }, t("lnDownload"));
    this.keptLine.replaceChildren(h("p", {}, t("lnKept", { name: m.name })), h("div", { class: "buttons" }, use, link));
  }
}
