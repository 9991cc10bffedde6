// Downloads: a small "⤓" menu on each chart card and on the surface that
// hands the view's content over as a figure drawn by the server with
// gonum/plot (PNG at 2×, SVG) and as data (CSV, JSON, the model file). GET
// exports are plain links; the surface's trajectories live in the page, so
// they are POSTed and saved from a Blob. The endpoints are in server/export.go.
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
    "aria-label": t("dlMenu"), "data-i18n-label": "dlMenu", title: t("dlMenu") }, "⤓");
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
function figureLinks(base, extra = {}) {
  const q = new URLSearchParams({ lang: language(), ...extra });
  return [{ key: "dlPNG", href: `${base}.png?${q}` }, { key: "dlSVG", href: `${base}.svg?${q}` }];
}

/** dataLinks are a run's or a sweep's CSV and JSON files. */
function dataLinks(what, id) {
  const base = `/api/export/${what}/${encodeURIComponent(id)}`;
  return [{ key: "dlCSV", href: `${base}.csv` }, { key: "dlJSON", href: `${base}.json` }];
}

/** runDownloads gives a run's chart its figure (kind, or none) and data. */
export function runDownloads(current, kind, extra = () => ({})) {
  return downloadMenu(() => {
    const id = current();
    if (!id) return [];
    const figs = kind ? figureLinks(`/api/export/run/${encodeURIComponent(id)}/${kind}`, extra()) : [];
    const model = kind === "weights" ? [{ key: "dlModel", href: `/api/export/run/${encodeURIComponent(id)}/model.descent` }] : [];
    return [...figs, ...(kind === "confusion" || kind === "weights" ? [] : dataLinks("run", id)), ...model];
  });
}

/**
 * addTrainDownloads puts a menu on every chart card of the Train view (found
 * by its data-chart box) and on the weights and confusion cards.
 */
export function addTrainDownloads(root, current, smoothing) {
  const kinds = { loss: "loss", acc: "accuracy", testLoss: "testloss", grad: "gradnorm", ratio: "ratio", lr: "lr" };
  root.querySelectorAll(".card.chart").forEach((card) => {
    const box = card.querySelector("[data-chart]");
    const head = card.querySelector(".chart-head") || card.querySelector("h3");
    if (!box || !head) return;
    const k = box.dataset.chart;
    const menu = runDownloads(current, kinds[k], () => (k === "loss" ? { smooth: smoothing() } : {}));
    attach(card, head, menu);
  });
  for (const [sel, kind] of [["canvas.weights", "weights"], [".confusion", "confusion"]]) {
    const el = root.querySelector(sel);
    const card = el && el.closest(".card");
    if (card) attach(card, card.querySelector("h3"), runDownloads(current, kind));
  }
}

/** sweepDownloads is the Compare view's menu: the overlay as sweep or comparison, accuracy, data. */
export function sweepDownloads(current) {
  return downloadMenu(() => {
    const s = current();
    if (!s) return [];
    const base = `/api/export/sweep/${encodeURIComponent(s.id)}`;
    return [...figureLinks(`${base}/${s.kind}`), { key: "dlAccPNG", href: `${base}/accuracy.png?lang=${language()}` },
      ...dataLinks("sweep", s.id)];
  });
}

/**
 * addCompareDownloads puts the menu on the Compare view's overlay card: the
 * curves as a learning-rate sweep when only the rate differs, else as a
 * comparison, the accuracy per epoch and the data of every run; the same
 * figure on the small multiples' card, the sweep's CSV on the results
 * table's; and one on the LR range test's card.
 */
export function addCompareDownloads(view) {
  const current = () => {
    const runs = (view.sweep && view.groups().get(view.sweep)) || [];
    if (!runs.length || !runs[0].info.sweep) return null;
    const c0 = runs[0].info.config;
    const rates = runs.every((r) => r.info.config.optimizer === c0.optimizer && r.info.config.batch === c0.batch);
    return { id: runs[0].info.sweep, kind: rates ? "sweep" : "compare" };
  };
  const card = view.overlayBox.closest(".card");
  attach(card, card.querySelector("h3"), sweepDownloads(current));
  const mCard = view.multiples.closest(".card");
  attach(mCard, mCard.querySelector("h3"), downloadMenu(() => {
    const s = current();
    return s ? figureLinks(`/api/export/sweep/${encodeURIComponent(s.id)}/${s.kind}`) : [];
  }));
  const tCard = view.table.closest(".card");
  attach(tCard, tCard.querySelector("h3"), downloadMenu(() => {
    const s = current();
    return s ? dataLinks("sweep", s.id).slice(0, 1) : [];
  }));
  const lrCard = view.lrBox.closest(".card"); // the LR range test is one run: its loss and data
  attach(lrCard, lrCard.querySelector(".chart-head"), runDownloads(() => view.lrRun, "loss", () => ({ smooth: 0.9 })));
}

/**
 * trajectoryBody is the TrajectoryExport of the surface's current set (see
 * server/export_traj.go), over the stage's view, or null before one starts.
 */
export function trajectoryBody(view) {
  const set = view.set;
  if (!set || !set.trajs.some((tr) => tr.points.length)) return null;
  const fn = view.fn, fp = view.fp.get();
  const body = { fn: fn.name, lang: language(), domain: { ...view.stage.view },
    caption: `${fn.title}: ${fn.formula} · (${view.start.join(", ")}) · ${t("surfSteps")} ≤ ${view.steps.value}`,
    trajectories: set.trajs.map((tr) => {
      const last = tr.points[tr.points.length - 1];
      const out = { label: tr.label, points: tr.points.map((p) => p.x), status: last ? last.status || "" : "" };
      if (tr.points.every((p) => Number.isFinite(p.f))) out.f = tr.points.map((p) => p.f);
      return out;
    }) };
  if (Object.keys(fp).length) body.fnParams = fp;
  return body;
}

/**
 * addSurfaceDownloads puts menus on the surface's stage (the trajectories
 * over J), its f chart and its ‖∇f‖ chart (the server takes ∇f at the points,
 * so the body stays as large as the others).
 */
export function addSurfaceDownloads(view) {
  const body = () => trajectoryBody(view);
  view.stage.el.closest(".card").querySelector(".surf-controls").append(trajDownloads(body, "surface"));
  for (const [box, kind] of [[view.fBox, "f"], [view.gBox, "gradnorm"]]) {
    const card = box.closest(".card");
    attach(card, card.querySelector("h3"), trajDownloads(body, kind));
  }
}

/** trajDownloads is a surface menu; body() is the TrajectoryExport, or null without a set. */
export function trajDownloads(body, kind) {
  return downloadMenu(() => {
    if (!body()) return [];
    const post = (ext) => ({ url: `/api/export/trajectory/${kind}.${ext}`, body, name: `descent-${body().fn}-${kind}.${ext}` });
    return [{ key: "dlPNG", post: post("png") }, { key: "dlSVG", post: post("svg") }, { key: "dlCSV", post: post("csv") }];
  });
}

/** attach puts menu at the end of head: the chart head's row, or beside a heading. */
export function attach(card, head, menu) {
  if (!head) return;
  if (head.classList.contains("chart-head")) { head.append(menu); return; }
  const row = h("div", { class: "dl-head" });
  head.replaceWith(row);
  row.append(head, menu);
}
