// The Draw view: draw a digit and watch a network's ten probabilities change
// while drawing, even while that network is still training, with the pixels
// that matter for the top class (or a digit the user taps). The server
// answers "explain" with "explanation": the probabilities, the exact 28×28
// image that the network was given, the saliency ∂ log p_C/∂u and, while the
// chain-rule panel is open, every layer's values (server protocol/explain.go);
// a server without it answers "predict" with "prediction". A drawing too
// small or too sparse to be a digit is not sent: the page asks to draw
// bigger. Below the answer: the chain rule (chain.js), the derivative
// checked (gradcheck.js) and one step of learning (learn.js).
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Cmd, Status, Detail, isTraining, features } from "./protocol.js";
import { pct, runNumber } from "./format.js";
import { optimizerTitle, runLabel } from "./labels.js";
import { errorText } from "./errors.js";
import { DrawPad, SEND } from "./drawpad.js";
import { Change } from "./store.js";
import { AnswerCard } from "./drawanswer.js";
import { drawOverlay } from "./saliency.js";
import { jumpLine, TOP } from "./drawparts.js";
import { ChainPanel } from "./chain.js";
import { GradCheckPanel } from "./gradcheck.js";
import { LearnPanel } from "./learn.js";

const GAP = 50; // ms between two drawings sent: at most 20 a second
const QUICK = { optimizer: "sgd", lr: 0.1, batch: 64, epochs: 1, evalLimit: 1000 };

/** usable says whether a run can answer a drawing: training, or ended after an epoch that learned. */
export function usable(info) {
  if (info.status === Status.diverged || info.status === Status.interrupted) return false;
  if (isTraining(info.status)) return true;
  return !!(info.result && info.result.epochs > 0 && info.result.testAccuracy > 0.1);
}

export class DrawView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.answer = null; // the latest prediction or explanation event
    this.pinned = null; // the digit the user chose for the map, or null for the top class
    this.overlaid = false; // the map is laid over the drawing
    this.sentAt = 0;
    this.timer = 0;
    this.shownReq = 0;
    this.quickReq = 0;
    this.small = false; // the finished drawing is too small or sparse
  }

  build() {
    this.select = h("select", { name: "model", id: "draw-model" });
    this.quick = tx("button", "drawQuick", { type: "button", class: "primary", id: "draw-quick" });
    this.chain = new ChainPanel(() => this.send());
    this.check = new GradCheckPanel(this);
    this.learn = new LearnPanel(this);
    this.learn.build(this.store.hello);
    this.card = new AnswerCard((d) => { this.pinned = d; this.show(); this.send(); });
    const jump = jumpLine([["jumpChain", this.chain.el], ["jumpCheck", this.check.el], ["jumpLearn", this.learn.el]]);
    const head = h("div", { class: "card draw-head" },
      h("label", { class: "inline", for: "draw-model" }, tx("span", "drawModel"), this.select), this.quick, jump);
    const body = h("div", { class: "draw-body" }, this.padCard(), this.card.el);
    this.root.replaceChildren(h("div", { class: "draw" }, head, body, h("div", { class: "draw-panels" }, this.chain.el, this.check.el, this.learn.el)));
    this.select.addEventListener("change", () => { this.answer = null; this.send(); });
    this.quick.addEventListener("click", () => this.trainQuick());
    this.store.on((kind, arg) => this.onStore(kind, arg));
    onLanguage(() => this.redraw());
    this.redraw();
  }

  padCard() {
    this.canvas = h("canvas", { class: "draw-canvas", id: "draw-canvas", role: "img", "data-i18n-label": "drawHint", "aria-label": t("drawHint") });
    this.overlay = h("canvas", { class: "draw-overlay", width: SEND, height: SEND, hidden: true, "aria-hidden": "true" });
    this.pad = new DrawPad(this.canvas, (done) => this.changed(done));
    const undo = tx("button", "undo", { type: "button", id: "draw-undo", onclick: () => this.pad.undo() });
    const clear = tx("button", "clear", { type: "button", id: "draw-clear", onclick: () => this.pad.clear() });
    this.overBtn = tx("button", "salOver", { type: "button", id: "draw-over", "aria-pressed": "false", onclick: () => this.toggleOverlay() });
    return h("div", { class: "card draw-pad" }, tx("h2", "drawTitle"), tx("p", "drawHint", { class: "hint" }),
      h("div", { class: "draw-stack" }, this.canvas, this.overlay), h("div", { class: "buttons" }, undo, clear, this.overBtn));
  }

  toggleOverlay() {
    this.overlaid = !this.overlaid;
    this.overBtn.setAttribute("aria-pressed", String(this.overlaid));
    this.show();
  }

  redraw() {
    if (!this.select) return; // not built yet: hello has not come
    applyStatic(this.root);
    this.renderPicker();
    this.show();
  }

  onStore(kind, arg) {
    if (kind === Change.prediction || kind === Change.explanation) return this.onAnswer(arg);
    if (kind === Change.error && arg && (arg.command === Cmd.predict || arg.command === Cmd.explain)) { this.card.error.textContent = errorText(arg, this.store.hello); return; }
    if (kind === Change.error && arg && arg.req === this.quickReq) { this.quick.disabled = false; this.card.error.textContent = errorText(arg, this.store.hello); return; }
    if (kind === Change.online) { this.quick.disabled = !this.store.online; this.enablePanels(); return; }
    if (kind === Change.models) { this.renderPicker(); return; }
    if (kind === Change.hello || kind === Change.runs || kind === Change.status) {
      this.renderPicker();
      if (kind === Change.hello || !this.answer || arg === this.answer.run || !this.select.value) this.send();
    }
    // A new epoch of the run that answers: ask again, to show the new weights' answer.
    if (kind === Change.epoch && this.answer && arg === this.answer.run) this.send();
  }

  /** renderPicker lists the networks that can answer, newest first; "" is the server's default. */
  renderPicker() {
    const runs = [...this.store.runs.values()].filter((r) => usable(r.info)).sort((a, b) => runNumber(b.id) - runNumber(a.id));
    const keep = this.select.value;
    const opts = [h("option", { value: "" }, t("drawAuto"))];
    for (const r of runs) {
      const i = r.info, acc = i.result && i.result.epochs > 0 ? ` · ${pct(i.result.testAccuracy)}` : "";
      const name = i.label ? `${i.id} ${runLabel(r, this.store.hello)}` : i.id;
      const sp = this.store.hello.optimizers.find((s) => s.name === i.config.optimizer);
      opts.push(h("option", { value: i.id }, `${name} · ${optimizerTitle(sp)} α=${i.config.lr} · ${t("status_" + i.status)}${acc}`));
    }
    const models = (this.store.hello && this.store.hello.models) || [];
    if (models.length) {
      const group = h("optgroup", { label: t("drawSaved") });
      for (const m of models) group.append(h("option", { value: `model:${m.name}` }, modelTitle(m)));
      opts.push(group);
    }
    this.select.replaceChildren(...opts);
    const values = new Set([...this.select.options].map((o) => o.value));
    this.select.value = values.has(keep) ? keep : "";
    const any = models.length > 0 || runs.length > 0;
    this.quick.hidden = any;
    if (!any) this.quick.disabled = !this.store.online;
  }

  /** useModel makes the saved model name answer the drawing. */
  useModel(name) {
    this.renderPicker();
    this.select.value = `model:${name}`;
    this.select.dispatchEvent(new Event("change"));
    this.select.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  trainQuick() {
    this.quick.disabled = true;
    this.card.error.textContent = "";
    this.quickReq = this.store.command({ type: Cmd.start, label: t("drawQuickLabel"), config: QUICK });
  }

  /** changed is the pad's callback; done marks the end of a stroke, undo or clear. */
  changed(done) {
    if (this.pad.empty) {
      clearTimeout(this.timer);
      this.timer = 0;
      this.answer = null;
      this.small = false;
      this.show();
      return;
    }
    const ink = this.pad.ink();
    if (!ink.ok) { // not a digit yet: say so once the stroke ends, send nothing
      if (done) { this.small = true; this.answer = null; this.show(); }
      return;
    }
    this.small = false;
    this.send();
  }

  /** picture is the drawing as the commands take it, or null when there is no digit to send. */
  picture() {
    if (!this.pad || this.pad.empty || this.small || !this.pad.ink().ok) return null;
    return { width: SEND, height: SEND, pixels: this.pad.pixels() };
  }

  /** network names the network that answered the drawing (else the picker's choice), as the commands take it. */
  network() {
    const a = this.answer;
    if (a && a.model) return { model: a.model };
    if (a && a.run) return { run: a.run };
    const v = this.select.value;
    return v.startsWith("model:") ? { model: v.slice(6) } : { run: v };
  }

  /** label is the chain rule's label L, TOP for the top class; the derivative check uses it too. */
  label() { return this.chain.label; }

  /** send sends the drawing, at most once per GAP; the last change always goes. */
  send() {
    if (!this.pad || this.pad.empty || this.timer || this.small) return;
    const wait = Math.max(0, this.sentAt + GAP - performance.now());
    this.timer = setTimeout(() => {
      this.timer = 0;
      if (this.pad.empty || !this.store.socket.open || !this.pad.ink().ok) return;
      this.sentAt = performance.now();
      const v = this.select.value, which = v.startsWith("model:") ? { model: v.slice(6) } : { run: v };
      const pic = { ...which, width: SEND, height: SEND, pixels: this.pad.pixels() };
      if (!features(this.store.hello).explain) { this.store.command({ type: Cmd.predict, ...pic }); return; }
      const label = this.chain.label, detail = this.chain.open ? Detail.layers : Detail.saliency;
      this.store.command({ type: Cmd.explain, ...pic, detail, ...(this.pinned != null ? { class: this.pinned } : {}), ...(label !== TOP ? { label } : {}) });
    }, wait);
  }

  onAnswer(ev) {
    if (ev.req < this.shownReq || this.pad.empty || this.small) return; // an older drawing's answer
    this.shownReq = ev.req;
    this.card.error.textContent = "";
    this.answer = ev;
    const run = this.store.run(ev.run);
    if (run && isTraining(run.info.status)) this.store.subscribe(ev.run); // for its epochs
    this.show();
  }

  /** show draws the latest answer, "draw bigger", or nothing for an empty canvas. */
  show() {
    const a = this.pad && !this.pad.empty && !this.small ? this.answer : null;
    const has = a && !a.blank && a.probs.length === 10;
    this.root.dataset.top = has ? String(a.top) : "";
    this.root.dataset.req = a ? String(a.req) : "";
    this.root.dataset.small = this.small ? "1" : "";
    this.card.show(a, { pinned: this.pinned, small: this.small, needRun: !this.quick.hidden });
    this.overBtn.disabled = !(has && a.saliency);
    this.overlay.hidden = !(this.overlaid && has && a.saliency);
    if (!this.overlay.hidden) drawOverlay(this.overlay, this.card.values, a.placement);
    this.chain.show(has ? a : null, has ? a.top : null);
    this.enablePanels();
    this.card.byLine.textContent = !has ? "" : a.model ? t("drawByModel", { name: a.model })
      : a.epoch > 0 ? t("drawBy", { run: a.run, e: a.epoch }) : t("drawInitial", { run: a.run });
  }

  /** enablePanels turns the derivative check and the learn step on when there is a drawing, a network and a server. */
  enablePanels() {
    const f = features(this.store.hello), can = !!this.answer && !this.small && this.store.online && !this.answer.blank;
    this.check.enable(can && f.explain);
    this.learn.enable(can && f.learn);
    for (const p of [this.chain.el, this.check.el, this.learn.el]) p.away(!this.store.online);
  }
}

/** modelTitle is a saved model in the picker: its name, its shape, its accuracy, and a kept copy's steps. */
function modelTitle(m) {
  const acc = m.meta.testAccuracy ? ` · ${pct(m.meta.testAccuracy)}` : "";
  const kept = m.kept ? ` · ${t("drawKept", { n: m.steps || 0 })}` : "";
  return `${m.name} · ${m.arch.hidden.join("-")} ${t("act_" + m.arch.activation)}${acc}${kept}`;
}
