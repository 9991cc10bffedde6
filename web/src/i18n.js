// The page's words in English and Korean (text_en.js, text_ko.js): t(key)
// looks a key up in the current language, falling back to English, and
// reports a key that no table has, so that the browser tests fail on it.
// Elements carry data-i18n (their text), data-i18n-label (their aria-label)
// or data-i18n-title (their title) and are refilled when the language
// changes; texts built from data register with live() in forms.js.
import { en } from "./text_en.js";
import { ko } from "./text_ko.js";

const tables = { en, ko };
let lang = pickLanguage();
const listeners = [];

function pickLanguage() {
  const saved = localStorage.getItem("descent.lang");
  if (saved && tables[saved]) return saved;
  return (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
}

function fill(s, vars) {
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? vars[k] : `{${k}}`));
}

/** t returns the text for key in the current language, with {name} filled from vars. */
export function t(key, vars = {}) {
  const s = tables[lang][key] ?? en[key];
  if (s == null) {
    console.error(`i18n: no text for ${key}`);
    return key;
  }
  return fill(s, vars);
}

/** tOr is t with a fallback for keys that no table has (names and texts from the server). */
export function tOr(key, fallback, vars = {}) {
  return fill(tables[lang][key] ?? en[key] ?? fallback, vars);
}

/** tIn is t in a given language, without filling: for recognising a text made in another one. */
export function tIn(l, key) { return (tables[l] || en)[key] ?? en[key]; }

/** languages are the page's languages. */
export const languages = Object.keys(tables);

/** has says whether key has a text. */
export function has(key) { return key in en || key in tables[lang]; }

export function language() { return lang; }

export function setLanguage(l) {
  lang = tables[l] ? l : "en";
  localStorage.setItem("descent.lang", lang);
  document.documentElement.lang = lang;
  applyStatic();
  listeners.forEach((f) => f(lang));
}

/** onLanguage registers a function that redraws text when the language changes. */
export function onLanguage(f) { listeners.push(f); }

/** applyStatic fills every element that has data-i18n, data-i18n-label or data-i18n-title. */
export function applyStatic(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("optgroup[data-i18n-group]").forEach((el) => { el.label = t(el.dataset.i18nGroup); });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
  root.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
}
