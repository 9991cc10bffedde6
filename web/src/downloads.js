// Downloads: a small "⤓" menu on each chart card and on the surface that
// hands the view's content over as a figure drawn by the server with
// gonum/plot (PNG at 2×, SVG) and as data (CSV, JSON, the model file). GET
// exports are plain links; the surface's trajectories live in the page, so
// they are POSTed and saved from a Blob. Each view hands a menu a small
// source of what to export (the run or sweep shown, the smoothing, the
// trajectory set), never its own fields. The endpoints are the server's
// /api/export/….
import { t, language } from "./i18n.js";
import { h } from "./forms.js";

let open = null; // the open menu's close function

document.addEventListener("click", (e) => { if (open && !open.el.contains(e.target)) open.close(); });
document.addEventListener("keydown", (e) => { if (open && e.key === "Escape") { const o = open; o.close(); o.btn.focus(); } });

/**
 * downloadMenu returns a ⤓ button whose menu lists items() when it opens:
 * [{key, href}] for a GET export or [{key, post: {url, body, name}}] for a
 * POST; an empty list shows a hint instead. key is an i18n key.
 */
export function downloadMenu(items) {
  const menu = h("div", { class: "dl-menu", role: "menu", hidden: true });
  const btn = h("button", { type: "button", class: "dl-button", "aria-haspopup": "menu", "aria-expanded": "false",
    "aria-label": t("dlMenu"), "data-i18n-label": "dlMenu", title: t("dlMenu"), "data-i18n-title": "dlMenu" }, "⤓");
  const el = h("div", { class: "dl" }, btn, menu);
  const self = {
    el, btn,
    close() { menu.hidden = true; btn.setAttribute("aria-expanded", "false"); if (open === self) open = null; },
  };
  btn.addEventListener("click", () => {
    if (!menu.hidden) return self.close();
    if (open) open.close();
    const list = items();
    menu.replaceChildren(...(list.length ? list.map((it) => item(it, self)) : [h("p", { class: "muted small" }, t("dlNothing"))]));
    menu.hidden = false;
    btn.setAttribute("aria-expanded", "true");
    open = self;
    const first = menu.querySelector("a, button");
    if (first) first.focus();
  });
  return el;
}

function item(it, menu) {
  const label = t(it.key);
  if (it.href) {
    const a = h("a", { href: it.href, download: "", role: "menuitem" }, label);
    a.addEventListener("click", () => setTimeout(() => menu.close(), 0));
    return a;
  }
  return h("button", { type: "button", role: "menuitem", onclick: () => { menu.close(); postDownload(it.post); } }, label);
}

/** postDownload POSTs body as JSON to url and saves the answer as name. */
export async function postDownload({ url, body, name }) {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body()) });
  if (!res.ok) {
    window.alert(`${t("dlFailed")}: ${(await res.text()).trim()}`);
    return;
  }
  const href = URL.createObjectURL(await res.blob());
  const a = h("a", { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

/** figureLinks are the PNG and SVG of an export, in the page's language. */
export function figureLinks(base, extra = {}) {
  const q = new URLSearchParams({ lang: language(), ...extra });
  return [{ key: "dlPNG", href: `${base}.png?${q}` }, { key: "dlSVG", href: `${base}.svg?${q}` }];
}

/** dataLinks are a run's or a sweep's CSV and JSON files. */
export function dataLinks(what, id) {
  const base = `/api/export/${what}/${encodeURIComponent(id)}`;
  return [{ key: "dlCSV", href: `${base}.csv` }, { key: "dlJSON", href: `${base}.json` }];
}

const runBase = (id) => `/api/export/run/${encodeURIComponent(id)}`;

/**
 * runMenu is the menu of one of a run's charts: its figure of kind and the
 * run's data; the weights' card adds the model file. source: {id(), smoothing()}.
 */
export function runMenu(source, kind) {
  return downloadMenu(() => {
    const id = source.id();
    if (!id) return [];
    const extra = kind === "loss" ? { smooth: source.smoothing() } : {};
    const figs = figureLinks(`${runBase(id)}/${kind}`, extra);
    if (kind === "weights") return [...figs, { key: "dlModel", href: `${runBase(id)}/model.descent` }];
    return kind === "confusion" ? figs : [...figs, ...dataLinks("run", id)];
  });
}

/** sweepMenu is the overlay's menu: the curves as a sweep or a comparison, the accuracy, the data. source: {sweep()}. */
export function sweepMenu(source) {
  return downloadMenu(() => {
    const s = source.sweep();
    if (!s) return [];
    const base = `/api/export/sweep/${encodeURIComponent(s.id)}`;
    return [...figureLinks(`${base}/${s.kind}`), { key: "dlAccPNG", href: `${base}/accuracy.png?lang=${language()}` }, ...dataLinks("sweep", s.id)];
  });
}

/** sweepFigureMenu is the small multiples' menu: the sweep's figure. */
export function sweepFigureMenu(source) {
  return downloadMenu(() => {
    const s = source.sweep();
    return s ? figureLinks(`/api/export/sweep/${encodeURIComponent(s.id)}/${s.kind}`) : [];
  });
}

/** sweepDataMenu is the results table's menu: the sweep's CSV. */
export function sweepDataMenu(source) {
  return downloadMenu(() => {
    const s = source.sweep();
    return s ? dataLinks("sweep", s.id).slice(0, 1) : [];
  });
}

/** rangeMenu is the LR range test's menu: its own figure of the loss against α (or its loss per step), and its data. */
export function rangeMenu(source) {
  return downloadMenu(() => {
    const id = source.rangeRun();
    if (!id) return [];
    const kind = source.rangeFigure() ? "lrrange" : "loss";
    return [...figureLinks(`${runBase(id)}/${kind}`, kind === "loss" ? { smooth: 0.9 } : {}), ...dataLinks("run", id)];
  });
}

/** trajMenu is a surface menu of kind; body() is the TrajectoryExport, or null without a set. */
export function trajMenu(body, kind) {
  return downloadMenu(() => {
    const b = body();
    if (!b) return [];
    const post = (ext) => ({ url: `/api/export/trajectory/${kind}.${ext}`, body, name: `descent-${b.fn}-${kind}.${ext}` });
    return [{ key: "dlPNG", post: post("png") }, { key: "dlSVG", post: post("svg") }, { key: "dlCSV", post: post("csv") }];
  });
}

/**
 * landscapeMenu is the menu of a loss landscape or its 1-D chart: the figure
 * and the data that the server keeps under the id of its landscapeDone or
 * landscapeLineChart. id() is null until there is one.
 */
export function landscapeMenu(id) {
  return downloadMenu(() => {
    const x = id();
    return x ? [...figureLinks(`/api/export/landscape/${encodeURIComponent(x)}`), ...dataLinks("landscape", x)] : [];
  });
}
