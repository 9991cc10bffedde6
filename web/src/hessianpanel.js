// The Hessian panel: the Hessian H = ∇²J of the training loss of the run
// the view watches (live: at its weights now, taken between two steps, or
// after its last epoch) or of a saved model, on the first N training
// images. The server never forms H: everything comes from exact
// Hessian-vector products (Pearlmutter 1994), the top eigenvalues from
// Lanczos, the trace from Hutchinson's estimator, the density from
// stochastic Lanczos quadrature (as PyHessian, Yao et al. 2020). The page
// sends "hessian" and shows the "hessianProgress" frames that answer it
// until its "hessianResult" (hessianshow.js draws it); a new request cancels
// the one before, which gets no answer.
import { t, onLanguage } from "./i18n.js";
import { h, tx, field, numberInput, nextId } from "./forms.js";
import { Cmd, Ev, HessianAt, isTraining } from "./protocol.js";
import { fmtNum } from "./format.js";
import { optimizerTitle, activationTitle } from "./labels.js";
import { ErrorLine } from "./errors.js";
import { Change } from "./store.js";
import { HessianResult, paramsOf } from "./hessianshow.js";

const MODEL = "model:"; // the picker's value of a saved model, before its name

export class HessianPanel {
  /** source: {run()}, the run the view watches. */
  constructor(store, source) {
    this.store = store;
    this.source = source;
    this.req = 0;
    const lim = store.hello.hessian;
    this.pick = h("select", { name: "hessNet", id: nextId("hess") });
    this.at = h("select", { name: "hessAt" }, tx("option", "hessAtCurrent", { value: HessianAt.current }), tx("option", "hessAtEpoch", { value: HessianAt.epoch }));
    this.top = numberInput(lim.defaultTop, { min: 1, max: lim.maxTop, step: 1, name: "hessTop" });
    this.examples = numberInput(lim.defaultExamples, { min: 1, max: lim.maxExamples, step: 1, name: "hessExamples" });
    this.density = h("input", { type: "checkbox", name: "hessDensity", id: nextId("hess"), checked: true });
    this.go = tx("button", "hessCompute", { type: "button", class: "primary", "data-act": "hessCompute", onclick: () => this.compute() });
    this.intro = h("p", { class: "muted small" });
    this.status = h("p", { class: "hess-status", role: "status", "aria-live": "polite" });
    this.error = new ErrorLine(h("p", { class: "error", role: "alert" }), () => this.store.hello);
    this.offline = tx("p", "offlineNote", { class: "offline-note small", hidden: true });
    this.result = new HessianResult();
    this.el = this.build();
    this.pick.addEventListener("change", () => this.refresh());
    store.on((kind) => this.onStore(kind));
    onLanguage(() => { this.refresh(); this.result.relabel(); });
    this.refresh();
  }

  build() {
    const hint = (key) => tx("small", key, { class: "hint" });
    this.atField = field("hessAt", this.at);
    const density = h("div", { class: "field check" }, this.density, h("label", { for: this.density.id, "data-i18n": "hessDensityAsk" }, t("hessDensityAsk")),
      hint("hessDensityHint"));
    return h("section", { class: "card hess-card", "data-panel": "hessian" },
      h("div", { class: "dl-head" }, tx("h3", "hessTitle"), this.result.menu), this.intro,
      h("div", { class: "hess-controls" }, field("hessNet", this.pick), this.atField,
        field("hessTop", this.top, hint("hessTopHint")), field("hessExamples", this.examples, hint("hessExamplesHint")), density),
      h("div", { class: "buttons" }, this.go), this.offline, this.status, this.error.el, this.result.el);
  }

  /** target is what the picker names: {which: {run} or {model}, name, arch, lr, live, trainN}, or null. */
  target() {
    const v = this.pick.value, hello = this.store.hello;
    if (v.startsWith(MODEL)) {
      const m = (hello.models || []).find((x) => x.name === v.slice(MODEL.length));
      return m ? { which: { model: m.name }, name: m.name, arch: m.arch, trainN: hello.limits.trainSize } : null;
    }
    const r = this.source.run();
    if (!r) return null;
    const c = r.info.config;
    return { which: { run: r.id }, name: r.id, arch: c.arch, lr: c.lr, optimizer: c.optimizer, live: isTraining(r.info.status),
      trainN: c.trainExamples || hello.limits.trainSize };
  }

  /** watch follows the view's run: the picker and the limits change with it, or with its status. */
  watch(r) {
    const key = r ? `${r.id}/${r.info.status}` : "";
    if (key !== this.watched) { this.watched = key; this.refresh(); }
  }

  /** refresh fills the picker and says what the chosen network allows. */
  refresh() {
    this.fillPicker();
    const tg = this.target(), lim = this.store.hello.hessian;
    this.atField.hidden = !(tg && tg.live);
    const n = tg ? paramsOf(tg.arch) : 0, big = n > lim.maxParams;
    this.examples.max = tg ? Math.min(lim.maxExamples, tg.trainN) : lim.maxExamples;
    this.intro.textContent = !tg ? t("hessNone") : big ? t("hessTooBig", { n: n.toLocaleString(), max: lim.maxParams.toLocaleString() })
      : t("hessIntro", { n: n.toLocaleString() });
    this.go.disabled = !tg || big || !this.store.online;
    this.offline.hidden = this.store.online;
  }

  fillPicker() {
    const keep = this.pick.value, r = this.source.run(), hello = this.store.hello;
    const sp = r && hello.optimizers.find((s) => s.name === r.info.config.optimizer);
    const opts = [h("option", { value: "" }, r ? t("hessWatched", { run: `${r.id} · ${optimizerTitle(sp)} α=${r.info.config.lr}` }) : t("hessNoWatched"))];
    const models = hello.models || [];
    if (models.length) {
      opts.push(h("optgroup", { label: t("drawSaved") }, models.map((m) =>
        h("option", { value: MODEL + m.name }, `${m.name} · ${m.arch.hidden.join("-")} ${activationTitle(m.arch.activation)}`))));
    }
    this.pick.replaceChildren(...opts);
    this.pick.value = [...this.pick.options].some((o) => o.value === keep) ? keep : "";
  }

  /** compute asks for the Hessian of the chosen network; its progress and answer come back by req. */
  compute() {
    const tg = this.target();
    if (!tg) return;
    this.error.attempt();
    const cmd = { type: Cmd.hessian, ...tg.which, top: Number(this.top.value), examples: Number(this.examples.value) };
    if (tg.live) cmd.at = this.at.value;
    if (this.density.checked) cmd.density = true;
    this.asked = tg;
    this.status.textContent = t("hessAsked");
    const req = this.store.command(cmd, (ev) => this.answer(req, ev));
    this.req = req;
  }

  answer(req, ev) {
    if (req !== this.req) return; // a request that a newer one cancelled
    if (ev.type === Ev.hessianProgress) {
      this.status.textContent = t("hessProgress", { stage: t(`hessStage_${ev.stage}`), n: ev.hvps, s: fmtNum(ev.seconds, 2) });
    } else if (ev.type === Ev.hessianResult) {
      this.req = 0;
      this.status.textContent = "";
      this.result.show(ev, this.asked, this.store.hello);
    } else if (ev.type === Ev.error) {
      this.req = 0;
      this.status.textContent = "";
      this.error.show(ev);
    }
  }

  onStore(kind) {
    if (kind === Change.hello && this.req) { this.req = 0; this.status.textContent = t("hessLost"); } // the server forgot it with the connection
    if (kind === Change.hello || kind === Change.runs || kind === Change.online || kind === Change.models) this.refresh();
  }
}
