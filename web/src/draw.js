// The Draw view: draw a digit and watch a network's ten probabilities change
// while drawing, even while that network is still training. The server
// answers "predict" with "prediction": the probabilities and the exact 28×28
// image that the network was given (server/protocol_draw.go).
import { t, onLanguage } from "./i18n.js";
import { decodeBase64 } from "./store.js";
import { DrawPad, SEND } from "./drawpad.js";

const GAP = 50; // ms between two drawings sent: at most 20 a second
const UNSURE = 0.5; // below this top probability the page says "not sure"
const QUICK = { optimizer: "sgd", lr: 0.1, batch: 64, epochs: 1, evalLimit: 1000 };

const pct = (p) => `${(100 * p).toFixed(p >= 0.1 || p < 0.001 ? 0 : 1)}%`;

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k === "i18n") e.dataset.i18n = v;
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
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
  }

  build() {
    const r = this.root;
    r.textContent = "";
    this.select = el("select", { name: "model", id: "draw-model" });
    this.quick = el("button", { type: "button", class: "primary", id: "draw-quick", i18n: "drawQuick" });
    this.byLine = el("p", { class: "muted small draw-by", "aria-live": "polite" });
    const head = el("div", { class: "card draw-head" },
      el("label", { class: "inline", for: "draw-model" }, el("span", { i18n: "drawModel" }), this.select), this.quick, this.byLine);

    this.canvas = el("canvas", { class: "draw-canvas", id: "draw-canvas", role: "img" });
    this.pad = new DrawPad(this.canvas, (done) => this.changed(done));
    const undo = el("button", { type: "button", id: "draw-undo", i18n: "undo" });
    const clear = el("button", { type: "button", id: "draw-clear", i18n: "clear" });
    undo.addEventListener("click", () => this.pad.undo());
    clear.addEventListener("click", () => this.pad.clear());
    const padCard = el("div", { class: "card draw-pad" }, el("h2", { i18n: "drawTitle" }),
      el("p", { class: "hint", i18n: "drawHint" }), this.canvas, el("div", { class: "buttons" }, undo, clear));

    this.seen = el("canvas", { class: "draw-seen", width: 28, height: 28 });
    this.digit = el("div", { class: "draw-digit" });
    this.note = el("div", { class: "draw-note" });
    this.bars = el("div", { class: "draw-bars", role: "img" });
    this.barEls = [];
    for (let d = 0; d < 10; d++) {
      const fill = el("div", { class: "draw-fill" }), val = el("span", { class: "draw-val" });
      const col = el("div", { class: "draw-bar" }, val, el("div", { class: "draw-track" }, fill), el("span", { class: "draw-label", text: String(d) }));
      this.barEls.push({ col, fill, val });
      this.bars.append(col);
    }
    this.error = el("p", { class: "error" });
    const answerCard = el("div", { class: "card draw-answer" }, el("h2", { i18n: "drawAnswer" }),
      el("div", { class: "draw-top" },
        el("figure", { class: "draw-fig" }, this.seen, el("figcaption", { class: "hint", i18n: "drawSees" })),
        el("div", { class: "draw-verdict" }, this.digit, this.note)),
      el("h3", { i18n: "drawProbs" }), this.bars, el("p", { class: "hint", i18n: "drawSeesNote" }), this.error);

    r.append(el("div", { class: "draw" }, head, el("div", { class: "draw-body" }, padCard, answerCard)));
    this.select.addEventListener("change", () => { this.answer = null; this.send(); });
    this.quick.addEventListener("click", () => this.trainQuick());
    this.store.on((kind, id) => this.onStore(kind, id));
    onLanguage(() => this.redraw());
    this.redraw();
  }

  redraw() {
    if (!this.select) return; // not built yet: hello has not come
    this.applyText();
    this.renderPicker();
    this.show();
  }

  applyText() {
    this.root.querySelectorAll("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
    this.canvas.setAttribute("aria-label", t("drawHint"));
  }

  onStore(kind, id) {
    if (kind === "prediction") return this.onPrediction(id);
    if (kind === "error" && id && id.command === "predict") { this.error.textContent = id.message; return; }
    if (kind === "error" && id && id.req === this.quickReq) { this.quick.disabled = false; this.error.textContent = id.message; return; }
    if (kind === "hello" || kind === "runs" || kind === "status") {
      this.renderPicker();
      if (kind === "hello" || !this.answer || id === this.answer.run || !this.select.value) this.send();
    }
    // A new epoch of the run that answers: ask again, to show the new weights' answer.
    if (kind === "epoch" && this.answer && id === this.answer.run) this.send();
  }

  /** renderPicker lists the runs that can answer; "" is the server's default. */
  renderPicker() {
    const runs = [...this.store.runs.values()];
    const keep = this.select.value;
    const opts = [el("option", { value: "", text: t("drawAuto") })];
    for (const r of runs) {
      const i = r.info, acc = i.result && i.result.epochs > 0 ? ` · ${pct(i.result.testAccuracy)}` : "";
      const name = i.label ? `${i.id} ${i.label}` : i.id;
      opts.push(el("option", { value: i.id, text: `${name} · ${i.config.optimizer} α=${i.config.lr} · ${t("status_" + i.status)}${acc}` }));
    }
    const models = (this.store.hello && this.store.hello.models) || [];
    if (models.length) {
      const group = el("optgroup", { label: t("drawSaved") });
      for (const m of models) {
        const acc = m.meta.testAccuracy ? ` · ${pct(m.meta.testAccuracy)}` : "";
        group.append(el("option", { value: `model:${m.name}`, text: `${m.name} · ${m.arch.hidden.join("-")} ${m.arch.activation}${acc}` }));
      }
      opts.push(group);
    }
    this.select.replaceChildren(...opts);
    const values = new Set([...this.select.options].map((o) => o.value));
    this.select.value = values.has(keep) ? keep : "";
    const usable = models.length > 0 || runs.some((r) => ["queued", "running", "paused"].includes(r.info.status) || (r.info.result && r.info.result.epochs > 0));
    this.quick.hidden = usable;
    if (!usable) this.quick.disabled = false;
  }

  trainQuick() {
    this.quick.disabled = true;
    this.error.textContent = "";
    this.quickReq = this.store.socket.send({ type: "start", label: t("drawQuickLabel"), config: QUICK });
  }

  /** changed is the pad's callback; done marks the end of a stroke, undo or clear. */
  changed() {
    if (this.pad.empty) {
      clearTimeout(this.timer);
      this.timer = 0;
      this.answer = null;
      this.show();
      return;
    }
    this.send();
  }

  /** send sends the drawing, at most once per GAP; the last change always goes. */
  send() {
    if (!this.pad || this.pad.empty || this.timer) return;
    const wait = Math.max(0, this.sentAt + GAP - performance.now());
    this.timer = setTimeout(() => {
      this.timer = 0;
      if (this.pad.empty || !this.store.socket.open) return;
      this.sentAt = performance.now();
      const v = this.select.value, which = v.startsWith("model:") ? { model: v.slice(6) } : { run: v };
      this.store.socket.send({ type: "predict", ...which, width: SEND, height: SEND, pixels: this.pad.pixels() });
    }, wait);
  }

  onPrediction(ev) {
    if (ev.req < this.shownReq || this.pad.empty) return; // an older drawing's answer
    this.shownReq = ev.req;
    this.error.textContent = "";
    this.answer = ev;
    const run = this.store.run(ev.run);
    if (run && !["done", "stopped", "diverged"].includes(run.info.status)) this.store.subscribe(ev.run); // for its epochs
    this.show();
  }

  /** show draws the latest answer, or nothing for an empty canvas. */
  show() {
    const a = this.pad && !this.pad.empty ? this.answer : null;
    const has = a && !a.blank && a.probs.length === 10;
    this.root.dataset.top = has ? String(a.top) : "";
    this.root.dataset.req = a ? String(a.req) : "";
    const g = this.seen.getContext("2d");
    const img = g.createImageData(28, 28);
    const px = a ? decodeBase64(a.image) : new Uint8Array(784);
    for (let i = 0; i < 784; i++) {
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = px[i];
      img.data[4 * i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const order = has ? a.probs.map((p, d) => [p, d]).sort((x, y) => y[0] - x[0]) : [];
    const unsure = has && order[0][0] < UNSURE;
    this.digit.textContent = has ? (unsure ? "?" : String(a.top)) : "";
    this.digit.hidden = !has;
    this.note.classList.toggle("muted", !has);
    this.digit.classList.toggle("unsure", !!unsure);
    this.note.textContent = !has ? (this.quick.hidden ? t("drawEmpty") : t("drawNeedRun"))
      : unsure ? t("drawUnsure", { a: order[0][1], pa: pct(order[0][0]), b: order[1][1], pb: pct(order[1][0]) })
        : t("drawSure", { p: pct(order[0][0]) });
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
}
