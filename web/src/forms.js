// Form controls built from the hello event, so that the page holds no copy of
// the server's defaults and ranges.
import { t, onLanguage } from "./i18n.js";
import { paramLabel, paramHint, torchName, optimizerTitle, scheduleTitle } from "./labels.js";

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

/** tx is an element whose text is the key's, refilled on a change of language. */
export function tx(tag, key, attrs = {}) { return h(tag, { ...attrs, "data-i18n": key }, t(key)); }

const lives = new Map(); // element → apply
onLanguage(() => lives.forEach((apply, el) => { if (el.isConnected) apply(el); else lives.delete(el); }));

/**
 * live calls apply(el) now and after every change of language, for texts
 * built from data. Elements gone from the page are forgotten then; lists
 * rebuilt often fill their texts themselves instead.
 */
export function live(el, apply) {
  apply(el);
  lives.set(el, apply);
  return el;
}

/** nextId is a fresh element id. */
export function nextId(prefix = "f") { return `${prefix}${++uid}`; }

/** field wraps a control with its label (an i18n key, or a function of the language) and an optional hint element. */
export function field(label, control, hint) {
  const id = control.id || nextId();
  control.id = id;
  const lab = typeof label === "function" ? live(h("label", { for: id }), (el) => { el.textContent = label(); }) : h("label", { for: id, "data-i18n": label }, t(label));
  return h("div", { class: "field" }, lab, control, hint || null);
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
    const o = live(h("option", { value: s.name, disabled: !s.network }), (el) => { el.textContent = optimizerTitle(s); });
    (s.network ? net : surf).append(o);
  }
  sel.append(net, surf);
  sel.value = value;
  return sel;
}

export function spec(hello, name) { return hello.optimizers.find((s) => s.name === name); }

/** paramHintEl is a hyperparameter's hint: what it does, its range and torch's name. */
function paramHintEl(p) {
  const torch = torchName(p.name);
  return h("small", { class: "hint" }, live(h("span"), (el) => { el.textContent = paramHint(p); }),
    torch ? [" · torch: ", h("code", {}, torch)] : null);
}

/** paramControl is one hyperparameter's control: a switch or a number box, labelled in words with its symbol. */
export function paramControl(p, value = p.default) {
  if (p.bool) {
    const input = h("input", { type: "checkbox", name: p.name, id: nextId() });
    input.checked = value === 1;
    const label = live(h("label", { for: input.id }), (el) => { el.textContent = paramLabel(p); });
    return { input, el: h("div", { class: "field check" }, input, label, paramHintEl(p)), get: () => (input.checked ? 1 : 0) };
  }
  const input = numberInput(value, { min: p.min, max: p.max, name: p.name });
  return { input, el: field(() => paramLabel(p), input, paramHintEl(p)), get: () => Number(input.value) };
}

/**
 * hyperFields fills box with one control per hyperparameter of the method
 * (the rate excepted, which has its own control). get() returns the values
 * that differ from the defaults, all() every value.
 */
export function hyperFields(box, sp, given = {}) {
  box.replaceChildren();
  const ctl = sp.params.filter((p) => p.name !== "lr").map((p) => [p, paramControl(p, given[p.name] ?? p.default)]);
  ctl.forEach(([, c]) => box.append(c.el));
  const all = () => Object.fromEntries(ctl.map(([p, c]) => [p.name, c.get()]));
  return {
    count: ctl.length,
    all,
    get: () => Object.fromEntries(Object.entries(all()).filter(([k, v]) => v !== sp.params.find((p) => p.name === k).default)),
  };
}

/** defaultRate is α for a method on the network: the report's for the default optimizer, else the method's own (hello's networkLR). */
export function defaultRate(hello, name) {
  if (name === hello.defaults.optimizer) return hello.defaults.lr;
  const sp = spec(hello, name) || { params: [] };
  if (sp.networkLR) return sp.networkLR;
  const p = sp.params.find((x) => x.name === "lr");
  return p ? p.default : hello.defaults.lr;
}

/**
 * lrControl is a log-scale slider from 1e-5 to 10 with a number box beside
 * it. touched says that the user set the rate: a new method then keeps it.
 */
export function lrControl(value) {
  const lo = -5, hi = 1;
  const slider = h("input", { type: "range", min: lo, max: hi, step: 0.01, value: Math.log10(value), "data-i18n-label": "lr", "aria-label": t("lr") });
  const box = numberInput(value, { min: 0, max: 1000, name: "lr" });
  box.classList.add("lr-box");
  const self = { touched: false };
  slider.addEventListener("input", () => { box.value = Number(Math.pow(10, Number(slider.value)).toPrecision(2)); self.touched = true; });
  box.addEventListener("input", () => { const v = Number(box.value); if (v > 0) slider.value = Math.log10(v); self.touched = true; });
  box.id = nextId();
  const el = h("div", { class: "field" }, h("label", { for: box.id, "data-i18n": "lr" }, t("lr")), h("div", { class: "lr" }, slider, box));
  return Object.assign(self, {
    el, slider, box,
    get: () => Number(box.value),
    /** set shows v, as the user's own choice when user is set. */
    set(v, user = false) { box.value = Number(v.toPrecision(3)); slider.value = Math.log10(v); if (user) self.touched = true; },
  });
}

/**
 * batchControl is the three batch sizes of the report as one group of radio
 * buttons. setAll(n) makes the full batch n (a run on the first n images);
 * set(v) checks the radio of batch v.
 */
export function batchControl(trainN, value = 64, name = "batch") {
  const opts = [[1, "batchSGD"], [64, "batchMini"], [trainN, "batchFull"]];
  const fs = h("fieldset", { class: "radios" }, h("legend", { "data-i18n": "batch" }, t("batch")));
  const group = `${name}${++uid}`; // one name for the three radios: one choice at a time
  let all = trainN, full = null;
  for (const [v, key] of opts) {
    const input = h("input", { type: "radio", name: group, value: v, id: nextId() });
    input.checked = v === value;
    fs.append(h("label", { for: input.id, class: "radio" }, input, live(h("span"), (el) => { el.textContent = t(key, { n: all }); })));
    full = input;
  }
  fs.get = () => Number(fs.querySelector("input:checked").value);
  fs.setAll = (n) => { all = n; full.value = n; full.nextElementSibling.textContent = t("batchFull", { n }); };
  fs.set = (v) => fs.querySelectorAll("input").forEach((el) => { el.checked = Number(el.value) === v; });
  return fs;
}

/** scheduleFields is a schedule kind select with each kind's parameters and its formula. */
export function scheduleFields(hello) {
  const sel = h("select", { name: "schedule" });
  for (const s of hello.schedules) sel.append(live(h("option", { value: s.kind }), (el) => { el.textContent = scheduleTitle(s); }));
  const params = h("div", { class: "sub" });
  const formula = h("div", { class: "formula small" });
  let inputs = [];
  const draw = () => {
    const s = hello.schedules.find((x) => x.kind === sel.value);
    params.replaceChildren();
    inputs = (s.params || []).map((p) => { const c = paramControl(p); params.append(c.el); return [p, c]; });
    formula.textContent = s.formula;
  };
  sel.addEventListener("change", draw);
  draw();
  return {
    el: h("div", { class: "stack" }, field("schedule", sel), formula, params),
    isDefault: () => sel.value === hello.schedules[0].kind,
    get: () => Object.fromEntries([["kind", sel.value], ...inputs.map(([p, c]) => [p.name, c.get()])]),
  };
}

// PACES are the epochs' pace a class can watch: about 10 s an epoch (the default), 1 s, or as fast as it goes (0).
export const PACES = [[10, "pace10"], [1, "pace1"], [0, "paceMax"]];

/** paceSelect chooses how long an epoch takes: the server waits between steps, and no result changes. */
export function paceSelect(name = "pace", value = 10) {
  const sel = h("select", { name }, PACES.map(([s, key]) => h("option", { value: s, "data-i18n": key }, t(key))));
  sel.value = String(value);
  return sel;
}

/**
 * more is a part of a form folded under a summary that shows that it opens
 * (a ▸ that turns), with a note of its state beside the title.
 */
export function more(titleKey, body, note = () => "") {
  const noteEl = h("span", { class: "more-note" });
  const d = h("details", { class: "more" }, h("summary", {}, h("span", { class: "more-title", "data-i18n": titleKey }, t(titleKey)), noteEl), body);
  d.note = () => { noteEl.textContent = note(); };
  live(d, () => d.note());
  return d;
}
