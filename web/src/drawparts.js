// Parts that the Draw view's panels share: a choice of digit as a row of
// radio chips (with "the top class" as a first choice where it has one),
// the folded panels below the answer, and the line in the first screen that
// says they are there and opens them.
import { t } from "./i18n.js";
import { h, tx, nextId } from "./forms.js";

/** TOP is a digit choice's value for "the top class". */
export const TOP = -1;

/**
 * digitChoice is one group of radio chips: "the top class (5)" first when
 * withTop, then 0 to 9. get() is the digit chosen, TOP, or null when none
 * is; onChange(f) calls f after a choice; setTop(d) names the top class.
 */
export function digitChoice(name, legendKey, withTop) {
  const group = nextId(name);
  const fs = h("fieldset", { class: "radios chips" }, tx("legend", legendKey));
  const inputs = [];
  let topSpan = null;
  const add = (v, label) => {
    const input = h("input", { type: "radio", name: group, value: v, id: nextId() });
    inputs.push(input);
    fs.append(h("label", { for: input.id, class: "radio chip" }, input, label));
  };
  if (withTop) {
    topSpan = h("span", {}, t("chainTop", { d: "–" }));
    add(TOP, topSpan);
  }
  for (let d = 0; d < 10; d++) add(d, h("span", {}, String(d)));
  if (withTop) inputs[0].checked = true;
  return Object.assign(fs, {
    get() { const c = inputs.find((i) => i.checked); return c ? Number(c.value) : null; },
    set(v) { inputs.forEach((i) => { i.checked = Number(i.value) === v; }); },
    onChange(f) { fs.addEventListener("change", () => f(fs.get())); },
    setTop(d) { if (topSpan) topSpan.textContent = t("chainTop", { d: d == null || d < 0 ? "–" : d }); },
  });
}

/** panel is a folded card below the answer: its summary is its title, its body is built when it first opens. */
export function panel(id, titleKey, noteKey) {
  const offline = tx("p", "offlineNote", { class: "offline-note small", hidden: true });
  const body = h("div", { class: "draw-panel-body" }, offline);
  const d = h("details", { class: "card draw-panel", id },
    h("summary", {}, tx("h2", titleKey), noteKey ? tx("span", noteKey, { class: "hint" }) : null), body);
  d.body = body;
  /** away says that the server is away: the panel's commands wait for it. */
  d.away = (on) => { offline.hidden = !on; };
  return d;
}

/** jumpLine says, in the first screen, which panels lie below; each link opens its panel and goes to it. */
export function jumpLine(panels) {
  const links = panels.map(([key, el]) => tx("button", key, { type: "button", class: "jump", onclick: () => {
    el.open = true;
    el.scrollIntoView({ behavior: "smooth", block: "start" });
  } }));
  return h("nav", { class: "draw-jump", "data-i18n-label": "jumpTitle", "aria-label": t("jumpTitle") },
    tx("span", "jumpTitle", { class: "hint" }), ...links);
}
