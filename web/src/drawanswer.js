// The Draw view's answer: what the network sees, which of its pixels matter
// for the chosen digit (the saliency map, with a legend in words), the
// verdict, and the ten probabilities as bars that choose the map's digit
// (a radio group: a tap, a click, or the arrow keys).
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { decodeBase64, pct } from "./format.js";
import { saliencyValues, drawSaliency, subscript } from "./saliency.js";

const UNSURE = 0.5; // below this top probability the page says "not sure" (server UnsureBelow)

export class AnswerCard {
  /** onPick(d) is called when the user chooses digit d for the map, or null for the top class. */
  constructor(onPick) {
    this.onPick = onPick;
    this.values = null; // the map shown, in [−1, 1]
    this.el = this.build();
  }

  build() {
    this.seen = h("canvas", { class: "draw-seen", width: 28, height: 28 });
    this.sal = h("canvas", { class: "draw-seen draw-sal", width: 28, height: 28, role: "img" });
    this.salCap = h("figcaption", { class: "hint" });
    this.digit = h("div", { class: "draw-digit" });
    this.note = h("div", { class: "draw-note", role: "status" });
    this.byLine = h("p", { class: "muted small draw-by", "aria-live": "polite" });
    this.legend = h("div", { class: "sal-legend hint" });
    this.topBtn = tx("button", "salTop", { type: "button", class: "sal-top", hidden: true, onclick: () => this.onPick(null) });
    this.salFig = h("figure", { class: "draw-fig" }, this.sal, this.salCap);
    this.error = h("p", { class: "error" });
    return h("div", { class: "card draw-answer" }, tx("h2", "drawAnswer"),
      h("div", { class: "draw-top" },
        h("figure", { class: "draw-fig" }, this.seen, tx("figcaption", "drawSees", { class: "hint" })), this.salFig,
        h("div", { class: "draw-verdict" }, this.digit, this.note, this.byLine)),
      h("div", { class: "sal-row" }, this.legend, this.topBtn),
      tx("h3", "drawProbs"), this.barsEl(), tx("p", "drawAlways", { class: "hint draw-always" }),
      tx("p", "drawSeesNote", { class: "hint" }), this.error);
  }

  barsEl() {
    this.bars = h("div", { class: "draw-bars", role: "radiogroup", "data-i18n-label": "salBars", "aria-label": t("salBars") });
    this.barEls = [];
    for (let d = 0; d < 10; d++) {
      const fill = h("div", { class: "draw-fill" }), val = h("span", { class: "draw-val" });
      const col = h("div", { class: "draw-bar", role: "radio", "aria-checked": "false", tabindex: d ? -1 : 0, "data-digit": d },
        val, h("div", { class: "draw-track" }, fill), h("span", { class: "draw-label" }, String(d)));
      this.barEls.push({ col, fill, val });
      this.bars.append(col);
    }
    // The whole width picks a digit, gaps included: a finger needs no aim between the bars.
    this.bars.addEventListener("click", (e) => {
      const r = this.bars.getBoundingClientRect();
      const d = Math.max(0, Math.min(9, Math.floor(((e.clientX - r.left) / r.width) * 10)));
      this.pick(d);
    });
    this.bars.addEventListener("keydown", (e) => this.key(e));
    return this.bars;
  }

  /** pick chooses d for the map; choosing the digit already pinned goes back to the top class. */
  pick(d) { this.onPick(this.pinned === d ? null : d); }

  key(e) {
    const cur = Number(document.activeElement?.dataset?.digit ?? 0);
    const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key];
    if (step) {
      e.preventDefault();
      const d = (cur + step + 10) % 10;
      this.barEls[d].col.focus();
      this.onPick(d);
    } else if (e.key === " " || e.key === "Enter") {
      e.preventDefault();
      this.pick(cur);
    }
  }

  /**
   * show draws an answer a (a prediction or an explanation, or null), with
   * pinned the digit the user chose for the map (null: the top class);
   * small says "draw bigger", needRun that no network has trained yet.
   */
  show(a, { pinned, small, needRun }) {
    this.pinned = pinned;
    const has = !!a && !a.blank && a.probs.length === 10;
    this.showSeen(a);
    const order = has ? a.probs.map((p, d) => [p, d]).sort((x, y) => y[0] - x[0]) : [];
    const unsure = has && order[0][0] < UNSURE;
    this.digit.textContent = has ? (unsure ? "?" : String(a.top)) : "";
    this.digit.hidden = !has;
    this.note.classList.toggle("muted", !has && !small);
    this.digit.classList.toggle("unsure", !!unsure);
    this.note.textContent = small ? t("drawBigger") : !has ? (needRun ? t("drawNeedRun") : t("drawEmpty"))
      : unsure ? t("drawUnsure", { a: order[0][1], pa: pct(order[0][0]), b: order[1][1], pb: pct(order[1][0]) })
        : t("drawSure", { d: a.top, p: pct(order[0][0]) });
    const mapped = has && a.saliency ? a.class : -1;
    this.barEls.forEach((b, d) => {
      const p = has ? a.probs[d] : 0;
      b.fill.style.height = `${(100 * p).toFixed(1)}%`;
      b.val.textContent = has ? pct(p) : "";
      b.col.classList.toggle("best", has && d === a.top);
      b.col.classList.toggle("second", !!unsure && d === order[1][1]);
      b.col.setAttribute("aria-checked", String(d === mapped));
      b.col.setAttribute("aria-label", has ? `${d}: ${pct(p)}` : String(d));
      b.col.tabIndex = d === Math.max(0, mapped) ? 0 : -1;
    });
    this.showMap(has && a.saliency ? a : null);
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

  /** showMap draws the saliency of explanation a for its class, with its caption and legend, or an empty map. */
  showMap(a) {
    this.values = a ? saliencyValues(a.saliency) : null;
    this.shownAnswer = a;
    drawSaliency(this.sal, this.values, a ? decodeBase64(a.image) : null);
    const d = a ? a.class : null, top = a && a.class === a.top;
    this.salCap.textContent = !a ? t("salTitle") : top ? t("salForTop", { d, sub: subscript(d) }) : t("salFor", { d, sub: subscript(d) });
    this.sal.setAttribute("aria-label", a ? `${this.salCap.textContent}: ${t("salRaises", { d })}, ${t("salLowers", { d })}` : t("salTitle"));
    this.topBtn.hidden = this.pinned == null;
    this.legend.replaceChildren(...(a ? [
      h("span", { class: "sal-key" }, h("i", { class: "sal-swatch pos" }), t("salRaises", { d })),
      h("span", { class: "sal-key" }, h("i", { class: "sal-swatch neg" }), t("salLowers", { d })),
      h("span", { class: "sal-key" }, t("salPick")),
    ] : [t("salWait")]));
    this.el.dataset.map = a ? String(a.class) : "";
  }
}
