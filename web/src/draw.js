// The Draw view: draw a digit and watch a network's ten probabilities change
// while drawing, even while that network is still training. The server
// answers "predict" with "prediction": the probabilities and the exact 28×28
// image that the network was given (server/protocol_draw.go). A drawing too
// small or too sparse to be a digit is not sent: the page asks to draw bigger.
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Cmd, Status, isTraining } from "./protocol.js";
import { decodeBase64, pct, runNumber } from "./format.js";
import { optimizerTitle, runLabel } from "./labels.js";
import { errorText } from "./errors.js";
import { DrawPad, SEND } from "./drawpad.js";
import { Change } from "./store.js";

const GAP = 50; // ms between two drawings sent: at most 20 a second
const UNSURE = 0.5; // below this top probability the page says "not sure" (server UnsureBelow)
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
    this.answer = null; // the latest prediction event
    this.sentAt = 0;
    this.timer = 0;
    this.shownReq = 0;
    this.quickReq = 0;
    this.small = false; // the finished drawing is too small or sparse
  }

  build() {
    this.select = h("select", { name: "model", id: "draw-model" });
    this.quick = tx("button", "drawQuick", { type: "button", class: "primary", id: "draw-quick" });
    this.byLine = h("p", { class: "muted small draw-by", "aria-live": "polite" });
    const head = h("div", { class: "card draw-head" },
      h("label", { class: "inline", for: "draw-model" }, tx("span", "drawModel"), this.select), this.quick, this.byLine);
    this.canvas = h("canvas", { class: "draw-canvas", id: "draw-canvas", role: "img", "data-i18n-label": "drawHint", "aria-label": t("drawHint") });
    this.pad = new DrawPad(this.canvas, (done) => this.changed(done));
    const undo = tx("button", "undo", { type: "button", id: "draw-undo", onclick: () => this.pad.undo() });
    const clear = tx("button", "clear", { type: "button", id: "draw-clear", onclick: () => this.pad.clear() });
    const padCard = h("div", { class: "card draw-pad" }, tx("h2", "drawTitle"), tx("p", "drawHint", { class: "hint" }), this.canvas, h("div", { class: "buttons" }, undo, clear));
    this.root.replaceChildren(h("div", { class: "draw" }, head, h("div", { class: "draw-body" }, padCard, this.answerCard())));
    this.select.addEventListener("change", () => { this.answer = null; this.send(); });
    this.quick.addEventListener("click", () => this.trainQuick());
    this.store.on((kind, arg) => this.onStore(kind, arg));
    onLanguage(() => this.redraw());
    this.redraw();
  }

  answerCard() {
    this.seen = h("canvas", { class: "draw-seen", width: 28, height: 28 });
    this.digit = h("div", { class: "draw-digit" });
    this.note = h("div", { class: "draw-note", role: "status" });
    this.bars = h("div", { class: "draw-bars", role: "img" });
    this.barEls = [];
    for (let d = 0; d < 10; d++) {
      const fill = h("div", { class: "draw-fill" }), val = h("span", { class: "draw-val" });
      const col = h("div", { class: "draw-bar" }, val, h("div", { class: "draw-track" }, fill), h("span", { class: "draw-label" }, String(d)));
      this.barEls.push({ col, fill, val });
      this.bars.append(col);
    }
    this.error = h("p", { class: "error" });
    return h("div", { class: "card draw-answer" }, tx("h2", "drawAnswer"),
      h("div", { class: "draw-top" },
        h("figure", { class: "draw-fig" }, this.seen, tx("figcaption", "drawSees", { class: "hint" })),
        h("div", { class: "draw-verdict" }, this.digit, this.note)),
      tx("h3", "drawProbs"), this.bars, tx("p", "drawAlways", { class: "hint draw-always" }), tx("p", "drawSeesNote", { class: "hint" }), this.error);
  }

  redraw() {
    if (!this.select) return; // not built yet: hello has not come
    applyStatic(this.root);
    this.renderPicker();
    this.show();
  }

  onStore(kind, arg) {
    if (kind === Change.prediction) return this.onPrediction(arg);
    if (kind === Change.error && arg && arg.command === Cmd.predict) { this.error.textContent = errorText(arg, this.store.hello); return; }
    if (kind === Change.error && arg && arg.req === this.quickReq) { this.quick.disabled = false; this.error.textContent = errorText(arg, this.store.hello); return; }
    if (kind === Change.online) { this.quick.disabled = !this.store.online; return; }
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
      for (const m of models) {
        const acc = m.meta.testAccuracy ? ` · ${pct(m.meta.testAccuracy)}` : "";
        group.append(h("option", { value: `model:${m.name}` }, `${m.name} · ${m.arch.hidden.join("-")} ${m.arch.activation}${acc}`));
      }
      opts.push(group);
    }
    this.select.replaceChildren(...opts);
    const values = new Set([...this.select.options].map((o) => o.value));
    this.select.value = values.has(keep) ? keep : "";
    const any = models.length > 0 || runs.length > 0;
    this.quick.hidden = any;
    if (!any) this.quick.disabled = !this.store.online;
  }

  trainQuick() {
    this.quick.disabled = true;
    this.error.textContent = "";
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

  /** send sends the drawing, at most once per GAP; the last change always goes. */
  send() {
    if (!this.pad || this.pad.empty || this.timer || this.small) return;
    const wait = Math.max(0, this.sentAt + GAP - performance.now());
    this.timer = setTimeout(() => {
      this.timer = 0;
      if (this.pad.empty || !this.store.socket.open || !this.pad.ink().ok) return;
      this.sentAt = performance.now();
      const v = this.select.value, which = v.startsWith("model:") ? { model: v.slice(6) } : { run: v };
      this.store.command({ type: Cmd.predict, ...which, width: SEND, height: SEND, pixels: this.pad.pixels() });
    }, wait);
  }

  onPrediction(ev) {
    if (ev.req < this.shownReq || this.pad.empty || this.small) return; // an older drawing's answer
    this.shownReq = ev.req;
    this.error.textContent = "";
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
    this.showSeen(a);
    const order = has ? a.probs.map((p, d) => [p, d]).sort((x, y) => y[0] - x[0]) : [];
    const unsure = has && order[0][0] < UNSURE;
    this.digit.textContent = has ? (unsure ? "?" : String(a.top)) : "";
    this.digit.hidden = !has;
    this.note.classList.toggle("muted", !has && !this.small);
    this.digit.classList.toggle("unsure", !!unsure);
    this.note.textContent = this.small ? t("drawBigger") : !has ? (this.quick.hidden ? t("drawEmpty") : t("drawNeedRun"))
      : unsure ? t("drawUnsure", { a: order[0][1], pa: pct(order[0][0]), b: order[1][1], pb: pct(order[1][0]) })
        : t("drawSure", { d: a.top, p: pct(order[0][0]) });
    this.barEls.forEach((b, d) => {
      const p = has ? a.probs[d] : 0;
      b.fill.style.height = `${(100 * p).toFixed(1)}%`;
      b.val.textContent = has ? pct(p) : "";
      b.col.classList.toggle("best", has && d === a.top);
      b.col.classList.toggle("second", !!unsure && d === order[1][1]);
    });
    this.bars.setAttribute("aria-label", has ? a.probs.map((p, d) => `${d}: ${pct(p)}`).join(", ") : t("drawEmpty"));
    this.byLine.textContent = !has ? "" : a.model ? t("drawByModel", { name: a.model })
      : a.epoch > 0 ? t("drawBy", { run: a.run, e: a.epoch }) : t("drawInitial", { run: a.run });
  }

  showSeen(a) {
    const g = this.seen.getContext("2d");
    const img = g.createImageData(28, 28);
    const px = a ? decodeBase64(a.image) : new Uint8Array(784);
    for (let i = 0; i < 784; i++) {
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = px[i];
      img.data[4 * i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
  }
}
