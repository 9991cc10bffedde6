// Check the derivative: the report's partial derivatives ∂J/∂w computed two
// ways on this drawing, by backpropagation (δ_l[r]·a_{l−1}[c], the chain
// rule) and by the central difference (J(w + h) − J(w − h))/2h, on a few
// random weights of every layer, with their relative error (server
// "gradCheck", answered by "gradChecked").
import { t } from "./i18n.js";
import { h, tx, live } from "./forms.js";
import { Cmd, Ev, ErrorCode } from "./protocol.js";
import { Change } from "./store.js";
import { fmtNum } from "./format.js";
import { ErrorLine } from "./errors.js";
import { subscript as s } from "./saliency.js";
import { panel } from "./drawparts.js";

/** AGREE is the relative error under which the two ways agree (float32 weights, float64 sums). */
export const AGREE = 1e-5;
const WEIGHTS = 8;

export class GradCheckPanel {
  /** view is the Draw view: picture(), network() and label() of what is drawn, store. */
  constructor(view) {
    this.view = view;
    this.req = 0;
    this.el = panel("draw-check", "gcTitle", "gcSummary");
    this.button = tx("button", "gcButton", { type: "button", class: "primary", id: "gc-run", onclick: () => this.check() });
    this.status = h("p", { class: "gc-status", role: "status" });
    this.table = h("div", { class: "table-wrap" });
    this.info = h("p", { class: "hint" });
    this.errorEl = h("p", { class: "error" });
    this.error = new ErrorLine(this.errorEl, () => view.store.hello);
    this.el.body.append(tx("p", "gcNote", { class: "hint" }), h("div", { class: "buttons" }, this.button), this.status, this.info, this.table,
      tx("p", "gcRelNote", { class: "hint" }), this.errorEl);
    live(this.el, () => { if (this.result) this.render(this.result); });
    view.store.on((kind, ev) => this.onStore(kind, ev));
  }

  /** enable turns the button on when a drawing can be checked and the server is there. */
  enable(can) { this.button.disabled = !can; }

  check() {
    const pic = this.view.picture();
    if (!pic) { this.error.say(t("gcNeed")); return; }
    this.error.attempt();
    this.status.textContent = t("gcWorking");
    const label = this.view.label();
    this.req = this.view.store.command({ type: Cmd.gradCheck, ...this.view.network(), ...pic, weights: WEIGHTS, ...(label >= 0 ? { label } : {}) });
  }

  onStore(kind, ev) {
    if (!ev || ev.req !== this.req || !this.req) return;
    if (kind === Change.error) {
      this.status.textContent = "";
      if (ev.code === ErrorCode.invalid && ev.field === "pixels") this.error.say(t("gcNeed"));
      else this.error.show(ev);
    } else if (kind === Change.learn && ev.type === Ev.gradChecked) {
      this.result = ev;
      this.render(ev);
    }
  }

  render(ev) {
    const ok = ev.maxRelError < AGREE;
    this.el.dataset.maxRelError = String(ev.maxRelError);
    this.status.className = `gc-status ${ok ? "gc-ok" : "gc-off"}`;
    this.status.textContent = `${t("gcMax", { e: fmtNum(ev.maxRelError, 2) })} — ${t(ok ? "gcAgree" : "gcDisagree")}`;
    this.info.textContent = t("gcInfo", { sub: s(ev.label), j: fmtNum(ev.loss, 4), h: fmtNum(ev.step), n: ev.checks.length });
    const head = h("tr", {}, ...["gcWeight", "gcUnit", "gcValue", "gcBackprop", "gcNumeric", "gcRel"].map((k) => h("th", { scope: "col" }, t(k))));
    const rows = ev.checks.map((c) => h("tr", {},
      h("td", { class: "gc-w" }, `W${s(c.layer + 1)}[${c.row}, ${c.col}]`),
      h("td", {}, where(c)),
      ...[c.weight, c.backprop, c.numeric].map((x) => h("td", { class: "num" }, fmtNum(x, 6))),
      h("td", { class: "num" }, fmtNum(c.relError, 2))));
    this.table.replaceChildren(h("table", { class: "results gc-table" }, h("thead", {}, head), h("tbody", {}, rows)));
  }
}

/** where says what a weight joins: a first-layer weight joins pixel (row, column) to a hidden unit. */
function where(c) {
  if (c.layer === 0) return t("gcPixel", { r: c.row, i: Math.floor(c.col / 28), j: c.col % 28 });
  return t("gcUnitOf", { r: c.row, c: c.col, l: c.layer });
}
