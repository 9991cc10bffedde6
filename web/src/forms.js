// Form controls built from the hello event, so that the page holds no copy of
// the server's defaults and ranges.
import { t, tOr } from "./i18n.js";

let uid = 0;

/** h creates an element: h("div", {class: "x", onclick}, child, "text"). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) el.append(c);
  return el;
}

/** field wraps a control with its label (and an optional hint: text, or {key} of a translated text), linked by id. */
export function field(labelKey, control, hint) {
  const id = control.id || `f${++uid}`;
  control.id = id;
  const label = h("label", { for: id, "data-i18n": labelKey.startsWith("=") ? null : labelKey },
    labelKey.startsWith("=") ? labelKey.slice(1) : t(labelKey));
  const hintEl = !hint ? null : hint.key
    ? h("small", { class: "hint", "data-i18n": hint.key, "data-i18n-fallback": hint.fallback, "data-i18n-suffix": hint.suffix },
      tOr(hint.key, hint.fallback ?? hint.key) + (hint.suffix ?? ""))
    : h("small", { class: "hint" }, hint);
  return h("div", { class: "field" }, label, control, hintEl);
}

export function numberInput(value, { min, max, step = "any", name } = {}) {
  return h("input", { type: "number", inputmode: "decimal", value, min, max, step, name });
}

/** optimizerSelect lists the methods that can train the network; the others are shown disabled. */
export function optimizerSelect(hello, value = "sgd") {
  const sel = h("select", { name: "optimizer" });
  const net = h("optgroup", { label: t("networkGroup"), "data-i18n-group": "networkGroup" });
  const surf = h("optgroup", { label: t("surfaceOnly"), "data-i18n-group": "surfaceOnly" });
  for (const s of hello.optimizers) {
    const o = h("option", { value: s.name, disabled: !s.network, title: s.whyNotNetwork || s.formula }, s.title);
    (s.network ? net : surf).append(o);
  }
  sel.append(net, surf);
  sel.value = value;
  return sel;
}

export function spec(hello, name) { return hello.optimizers.find((s) => s.name === name); }

/**
 * hyperFields fills box with one control per hyperparameter of the method
 * (the rate excepted, which has its own control) and returns a getter of the
 * values that differ from the defaults.
 */
export function hyperFields(box, sp) {
  box.replaceChildren();
  const inputs = [];
  for (const p of sp.params) {
    if (p.name === "lr") continue;
    let input;
    if (p.bool) {
      input = h("input", { type: "checkbox", name: p.name });
      input.checked = p.default === 1;
      const id = `f${++uid}`;
      input.id = id;
      box.append(h("div", { class: "field check" }, input,
        h("label", { for: id, "data-i18n": `hp_${p.name}`, "data-i18n-fallback": p.doc }, tOr(`hp_${p.name}`, p.doc))));
    } else {
      input = numberInput(p.default, { min: p.min, max: p.max, name: p.name });
      const range = `${p.minOpen ? "(" : "["}${p.min}, ${p.max}${p.maxOpen ? ")" : "]"}`;
      box.append(field(`=${p.name}`, input, { key: `hp_${p.name}`, fallback: p.doc, suffix: `; ${range}` }));
    }
    inputs.push([p, input]);
  }
  return () => {
    const out = {};
    for (const [p, input] of inputs) {
      const v = p.bool ? (input.checked ? 1 : 0) : Number(input.value);
      if (v !== p.default) out[p.name] = v;
    }
    return out;
  };
}

/** lrControl is a log-scale slider from 1e-5 to 10 with a number box beside it. */
export function lrControl(value) {
  const lo = -5, hi = 1;
  const slider = h("input", { type: "range", min: lo, max: hi, step: 0.01, value: Math.log10(value), "data-i18n-label": "lr", "aria-label": t("lr") });
  const box = numberInput(value, { min: 0, max: 1000, name: "lr" });
  box.classList.add("lr-box");
  slider.addEventListener("input", () => { box.value = Number(Math.pow(10, Number(slider.value)).toPrecision(2)); });
  box.addEventListener("input", () => { const v = Number(box.value); if (v > 0) slider.value = Math.log10(v); });
  const wrap = h("div", { class: "lr" }, slider, box);
  box.id = `f${++uid}`;
  const el = h("div", { class: "field" }, h("label", { for: box.id, "data-i18n": "lr" }, t("lr")), wrap);
  return { el, slider, box, get: () => Number(box.value) };
}

/** batchControl is the three batch sizes of the report as radio buttons. */
export function batchControl(trainN, value = 64, name = "batch") {
  const opts = [[1, "batchSGD"], [64, "batchMini"], [trainN, "batchFull"]];
  const fs = h("fieldset", { class: "radios" }, h("legend", { "data-i18n": "batch" }, t("batch")));
  const group = `${name}${++uid}`; // one name for the three radios: one choice at a time
  for (const [v, key] of opts) {
    const id = `f${++uid}`;
    const input = h("input", { type: "radio", name: group, value: v, id });
    input.checked = v === value;
    fs.append(h("label", { for: id, class: "radio" }, input, h("span", { "data-batch": key }, t(key, { n: trainN }))));
  }
  fs.get = () => Number(fs.querySelector("input:checked").value);
  fs.relabel = () => fs.querySelectorAll("[data-batch]").forEach((s) => { s.textContent = t(s.dataset.batch, { n: trainN }); });
  return fs;
}

/** scheduleFields is a schedule kind select with each kind's parameters. */
export function scheduleFields(hello) {
  const sel = h("select", { name: "schedule" });
  for (const s of hello.schedules) {
    sel.append(h("option", { value: s.kind, "data-i18n": `sched_${s.kind}`, "data-i18n-fallback": s.title }, tOr(`sched_${s.kind}`, s.title)));
  }
  const params = h("div", { class: "sub" });
  const formula = h("div", { class: "formula small" });
  let inputs = [];
  const draw = () => {
    const s = hello.schedules.find((x) => x.kind === sel.value);
    params.replaceChildren();
    inputs = (s.params || []).map((p) => {
      const input = numberInput(p.default, { min: p.min, max: p.max, name: p.name });
      params.append(field(`=${p.name}`, input, { key: `hp_${p.name}`, fallback: p.doc }));
      return [p, input];
    });
    formula.textContent = s.formula;
  };
  sel.addEventListener("change", draw);
  draw();
  const el = h("div", {}, field("schedule", sel), formula, params);
  return {
    el,
    get: () => {
      const out = { kind: sel.value };
      for (const [p, input] of inputs) out[p.name] = Number(input.value);
      return out;
    },
  };
}
