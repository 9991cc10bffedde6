// The chain rule, layer by layer, for this drawing: the forward pass
// z_l = W_l a_{l−1} + b_l, a_l = σ(z_l), p = softmax(z_L), and the backward
// pass for the label the user picks, δ_L = p − y, ∂J/∂a_l = W_{l+1}ᵀδ_{l+1},
// δ_l = (W_{l+1}ᵀδ_{l+1}) ⊙ σ′(z_l), ∂J/∂W_l = δ_l a_{l−1}ᵀ, each with its
// formula and in words, from an explanation with detail "layers" (server
// protocol/explain.go; the view asks for it only while this panel is open).
// Hovering or tapping a unit reads its z, a, σ′(z), ∂J/∂a and δ.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";
import { decodeBase64, fmtNum } from "./format.js";
import { subscript as s } from "./saliency.js";
import { TOP, digitChoice, panel } from "./drawparts.js";
import { maxAbs, stripLayout, drawStrip, stripIndex, fillCells, drawOuter, inputX, drawTiles, tileIndex } from "./chainplot.js";

// Fixed scales where the activation bounds the values: σ(z) and σ′(z).
const A_SCALE = { sigmoid: 1, tanh: 1 }, SLOPE_SCALE = { sigmoid: 0.25, tanh: 1, relu: 1 };

export class ChainPanel {
  /** onChange is called when the panel opens or closes or its label changes: the view asks again. */
  constructor(onChange) {
    this.onChange = onChange;
    this.el = panel("draw-chain", "chainTitle", "chainSummary");
    this.ev = null;
    this.sel = { layer: 0, unit: -1, user: false };
    this.el.addEventListener("toggle", () => {
      if (this.el.open && !this.choice) this.build();
      this.onChange();
      if (this.el.open) this.draw();
    });
  }

  get open() { return this.el.open; }
  /** label is the backward pass's label: a digit, or TOP for the top class. */
  get label() { return this.choice ? this.choice.get() : TOP; }

  build() {
    this.choice = digitChoice("chain", "chainLabel", true);
    this.choice.onChange(() => this.onChange());
    this.head = h("div", { class: "chain-read-head" });
    this.values = h("div", { class: "chain-read-values" });
    const prev = h("button", { type: "button", "data-i18n-label": "chainPrev", "aria-label": t("chainPrev"), onclick: () => this.move(-1) }, "◀");
    const next = h("button", { type: "button", "data-i18n-label": "chainNext", "aria-label": t("chainNext"), onclick: () => this.move(1) }, "▶");
    this.readout = h("div", { class: "chain-read", "aria-live": "polite" }, h("div", { class: "chain-read-top" }, prev, this.head, next), this.values);
    this.forward = h("div", { class: "chain-rows" });
    this.backward = h("div", { class: "chain-rows" });
    this.wait = tx("p", "chainWait", { class: "muted" });
    this.el.body.append(tx("p", "chainNote", { class: "hint" }), this.choice, this.wait, this.readout,
      tx("h3", "chainForward"), this.forward, tx("h3", "chainBackward"), this.backward,
      tx("p", "chainLegend", { class: "hint" }), tx("p", "chainHover", { class: "hint" }));
  }

  /** show takes the latest explanation; one without layers keeps the last pass shown, null clears it. */
  show(ev, top) {
    if (this.choice) this.choice.setTop(top);
    if (ev && !(ev.layers && ev.layers.length)) return;
    this.ev = ev;
    if (this.open) this.draw();
  }

  draw() {
    if (!this.choice) return;
    const ev = this.ev;
    this.wait.hidden = !!ev;
    this.readout.hidden = !ev;
    for (const el of [this.forward, this.backward]) el.hidden = !ev;
    this.el.dataset.units = ev ? ev.layers.map((l) => l.out).join("-") : "";
    if (!ev) return;
    const sig = ev.layers.map((l) => `${l.out}${l.activation}`).join();
    if (sig !== this.sig) {
      this.rebuild(ev, sig);
      this.sel.user = false; // another network: its units are others
    }
    this.x = inputX(decodeBase64(ev.image));
    if (!this.sel.user) this.sel = { layer: 0, unit: argMaxAbs(ev.layers[0].delta), user: false };
    const width = Math.max(this.forward.clientWidth - 8, 100);
    this.rows.forEach((r) => r.draw(ev, width));
    this.read();
  }

  /** rebuild makes the rows of a network of this shape. */
  rebuild(ev, sig) {
    this.sig = sig;
    const L = ev.layers.length, act = ev.layers[0].activation;
    const f = [inputRow()], b = [];
    for (let i = 0; i < L - 1; i++) {
      const l = s(i + 1), prev = i ? `a${s(i)}` : "x";
      f.push(this.strip(i, `z${l} = W${l}${prev} + b${l}`, "chain_z", (ev) => ev.layers[i].z, true),
        this.strip(i, `a${l} = σ(z${l})`, `chain_a_${act}`, (ev) => ev.layers[i].a, act === "tanh", A_SCALE[act]));
    }
    const o = L - 1, lo = s(L), prevL = L > 1 ? `a${s(L - 1)}` : "x";
    f.push(this.cells(`z${lo} = W${lo}${prevL} + b${lo}`, "chain_logits", (ev) => ev.layers[o].z, true),
      this.cells(`p = softmax(z${lo})`, "chain_p", (ev) => ev.layers[o].a, false, 1), lossRow());
    b.push(this.cells(`δ${lo} = p − y`, "chain_dL", (ev) => ev.layers[o].delta, true),
      this.outer(o, `∂J/∂W${lo} = δ${lo}${prevL}ᵀ`));
    for (let i = L - 2; i >= 0; i--) {
      const l = s(i + 1), nx = s(i + 2);
      b.push(this.strip(i, `∂J/∂a${l} = W${nx}ᵀδ${nx}`, "chain_gradA", (ev) => ev.layers[i].gradA, true),
        this.strip(i, `σ′(z${l})`, `chain_slope_${act}`, (ev) => ev.layers[i].slope, false, SLOPE_SCALE[act]),
        this.strip(i, `δ${l} = (W${nx}ᵀδ${nx}) ⊙ σ′(z${l})`, "chain_delta", (ev) => ev.layers[i].delta, true),
        i === 0 ? this.tiles() : this.outer(i, `∂J/∂W${l} = δ${l}a${s(i)}ᵀ`));
    }
    this.rows = [...f, ...b];
    this.forward.replaceChildren(...f.map((r) => r.el));
    this.backward.replaceChildren(...b.map((r) => r.el));
  }

  /** strip is a row of one hidden layer's values, a cell per unit; pointing at a cell reads that unit. */
  strip(layer, formula, words, get, signed, fixed) {
    const canvas = h("canvas", { class: "chain-strip", role: "img", "aria-label": formula });
    const r = row(formula, words, canvas);
    let perRow = 1, n = 0;
    const point = (e) => { const j = stripIndex(canvas, n, perRow, e); if (j >= 0) this.select(layer, j); };
    canvas.addEventListener("pointermove", point);
    canvas.addEventListener("pointerdown", point);
    r.draw = (ev, width) => {
      const v = get(ev);
      n = v.length;
      perRow = stripLayout(n, width).perRow;
      const scale = fixed ?? maxAbs(v);
      drawStrip(canvas, v, signed, scale, perRow, this.sel.layer === layer ? this.sel.unit : -1);
      r.scale.textContent = scaleText(signed, scale);
    };
    return r;
  }

  /** cells is a row of the ten outputs with their numbers; a tap reads that output. */
  cells(formula, words, get, signed, fixed) {
    const box = h("div", { class: "chain-cells" });
    const r = row(formula, words, box);
    box.addEventListener("click", (e) => {
      const k = [...box.children].indexOf(e.target.closest(".cc"));
      if (k >= 0 && this.ev) this.select(this.ev.layers.length - 1, k);
    });
    r.draw = (ev) => {
      const v = get(ev), scale = fixed ?? maxAbs(v);
      fillCells(box, v, signed, scale, this.sel.layer === ev.layers.length - 1 ? this.sel.unit : -1);
      r.scale.textContent = scaleText(signed, scale);
    };
    return r;
  }

  /** outer is ∂J/∂W_l = δ_l a_{l−1}ᵀ of layer i (0-based) as a matrix on one scale. */
  outer(i, formula) {
    const canvas = h("canvas", { class: "chain-matrix", role: "img", "aria-label": formula });
    const r = row(formula, "chain_dW", canvas);
    r.draw = (ev) => {
      const a = i ? ev.layers[i - 1].a : this.x, mark = this.sel.layer === i - 1 ? this.sel.unit : -1;
      r.scale.textContent = scaleText(true, drawOuter(canvas, ev.layers[i].delta, a, mark));
    };
    return r;
  }

  /** tiles is ∂J/∂W₁ = δ₁xᵀ as the 28×28 tiles of the first-layer weights view; pointing at a tile reads its unit. */
  tiles() {
    const canvas = h("canvas", { class: "chain-tiles weights", role: "img", "aria-label": "∂J/∂W₁ = δ₁xᵀ" });
    const r = row("∂J/∂W₁ = δ₁xᵀ", "chain_tiles", canvas);
    const point = (e) => { const j = this.ev ? tileIndex(canvas, this.ev.layers[0].out, e) : -1; if (j >= 0) this.select(0, j); };
    canvas.addEventListener("pointermove", point);
    canvas.addEventListener("pointerdown", point);
    r.draw = (ev) => {
      r.scale.textContent = scaleText(true, drawTiles(canvas, ev.layers[0].delta, this.x, this.sel.layer === 0 ? this.sel.unit : -1));
    };
    return r;
  }

  select(layer, unit) {
    if (this.sel.layer === layer && this.sel.unit === unit && this.sel.user) return;
    this.sel = { layer, unit, user: true };
    this.draw();
  }

  /** move steps the unit read by d within its layer. */
  move(d) {
    if (!this.ev) return;
    const n = this.ev.layers[this.sel.layer].out;
    this.select(this.sel.layer, (Math.max(0, this.sel.unit) + d + n) % n);
  }

  /** read writes the selected unit's values: z, a, σ′(z), ∂J/∂a and δ, or an output's z, p, y and δ. */
  read() {
    const ev = this.ev, { layer, unit, user } = this.sel, L = ev.layers[layer];
    const v = (k) => fmtNum(L[k][unit], 4);
    this.readout.dataset.layer = String(layer);
    this.readout.dataset.unit = String(unit);
    if (layer === ev.layers.length - 1) {
      this.head.textContent = t("chainDigit", { k: unit });
      const y = unit === ev.label ? 1 : 0;
      this.values.replaceChildren(...chips([`z = ${v("z")}`, `p = ${v("a")}`, `y = ${y}`, `δ = p − y = ${v("delta")}`]));
      return;
    }
    const l = s(layer + 1);
    this.head.textContent = t(user ? "chainUnit" : "chainUnitTop", { j: unit, l: layer + 1, sub: l });
    this.values.replaceChildren(...chips([`z = ${v("z")}`, `a = σ(z) = ${v("a")}`, `σ′(z) = ${v("slope")}`,
      `∂J/∂a = ${v("gradA")}`, `δ = ∂J/∂a · σ′(z) = ${v("delta")}`]));
  }
}

/** row is a chain-rule row: the formula, what it is in words, the picture and its scale. */
function row(formula, words, viz) {
  const scale = h("span", { class: "chain-scale" });
  const el = h("div", { class: "chain-row" },
    h("div", { class: "chain-what" }, h("div", { class: "chain-f" }, formula), tx("span", words, { class: "hint" })),
    h("div", { class: "chain-viz" }, viz), scale);
  return { el, scale, draw: () => {} };
}

/** inputRow is x, the normalised 28×28 input. */
function inputRow() {
  const canvas = h("canvas", { class: "chain-x", width: 28, height: 28 });
  const r = row("x = (u − 0.1307)/0.3081", "chain_x", canvas);
  r.draw = (ev) => {
    const g = canvas.getContext("2d"), img = g.createImageData(28, 28), px = decodeBase64(ev.image);
    for (let i = 0; i < 784; i++) img.data.set([px[i], px[i], px[i], 255], 4 * i);
    g.putImageData(img, 0, 0);
  };
  return r;
}

/** lossRow is J = −log p_L for the label of the backward pass. */
function lossRow() {
  const f = h("span", { class: "chain-loss" });
  const r = row("", "chain_J", f);
  r.draw = (ev) => {
    r.el.querySelector(".chain-f").textContent = `J = −log p${s(ev.label)}`;
    f.textContent = `= ${fmtNum(ev.loss, 4)}`;
  };
  return r;
}

function chips(list) { return list.map((x) => h("span", { class: "chain-chip" }, x)); }

function scaleText(signed, scale) { return signed ? `±${fmtNum(scale, 3)}` : `0 – ${fmtNum(scale, 3)}`; }

function argMaxAbs(v) {
  let best = 0;
  v.forEach((x, i) => { if (Math.abs(x) > Math.abs(v[best])) best = i; });
  return best;
}
