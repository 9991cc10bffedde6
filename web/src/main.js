// The page: tabs, the language switch, the connection line, and the views.
// Every event of the socket goes to the Store, which the views listen to.
import { t, language, setLanguage, applyStatic, onLanguage } from "./i18n.js";
import { Socket } from "./socket.js";
import { Store, Change } from "./store.js";
import { palette } from "./charts.js";
import { TrainView } from "./train.js";
import { CompareView } from "./compare.js";
import { SurfaceView } from "./surface.js";
import { DrawView } from "./draw.js";
import { LessonsView } from "./lessons.js";
import { Links } from "./links.js";
import { parseState } from "./urlstate.js";

// Errors are kept for the browser tests, which fail on any.
window.descentErrors = [];
window.addEventListener("error", (e) => window.descentErrors.push(`${e.message} at ${e.filename}:${e.lineno}`));
window.addEventListener("unhandledrejection", (e) => window.descentErrors.push(String(e.reason)));

const connEl = document.getElementById("conn");
const langBtn = document.getElementById("lang");
let connState = ["connecting"];

function showConn(state, secs) {
  connState = [state, secs];
  connEl.className = `conn conn-${state}`;
  connEl.textContent = state === "open" ? t("connected") : state === "closed" ? t("disconnected", { s: secs }) : t("connecting");
  document.body.dataset.conn = state;
  if (store) store.setOnline(state === "open" && !!store.hello);
}

let store = null;
const socket = new Socket((ev) => store.handle(ev), showConn);
store = new Store(socket);
const views = {
  train: new TrainView(document.getElementById("view-train"), store),
  compare: null,
  surface: new SurfaceView(document.getElementById("view-surface"), store),
  draw: new DrawView(document.getElementById("view-draw"), store),
  lessons: new LessonsView(document.getElementById("view-lessons")),
};
views.compare = new CompareView(document.getElementById("view-compare"), store, (optimizer, lr) => views.train.form.useRate(optimizer, lr));
let built = false;
// The URL state (links.js): the address follows the settings, and a link, a lesson or the teacher sets a view up.
const links = new Links(store, views, (name) => show(tabs.find((x) => x.dataset.view === name)));
views.lessons.links = links;

store.on((kind, ev) => {
  if (kind !== Change.hello) {
    if (kind === Change.error && ev && !ev.req) console.warn("server error", ev);
    return;
  }
  // A watch-only link (hello.role "watch") hides the controls that start or change runs (style.css).
  document.body.dataset.role = store.hello.role || "control";
  if (!built) {
    built = true;
    Object.values(views).forEach((v) => v.build());
    links.start();
    document.body.dataset.ready = "1";
  }
  store.setOnline(socket.open);
});

// Tabs: arrow keys move between them, as the ARIA tabs pattern asks.
const tabs = [...document.querySelectorAll("[role=tab]")];
function show(tab) {
  tabs.forEach((x) => {
    const on = x === tab;
    x.setAttribute("aria-selected", on);
    x.tabIndex = on ? 0 : -1;
    document.getElementById(x.getAttribute("aria-controls")).hidden = !on;
  });
  const v = views[tab.dataset.view];
  if (v && v.redraw) v.redraw();
}
/** select is a tab chosen by the user: the address then names its view. */
function select(tab) {
  show(tab);
  links.viewChanged(tab.dataset.view);
}
tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => select(tab));
  tab.addEventListener("keydown", (e) => {
    const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!d) return;
    const next = tabs[(i + d + tabs.length) % tabs.length];
    next.focus();
    select(next);
  });
});
const initial = tabs.find((x) => x.dataset.view === parseState(location.hash).get("v")) || tabs[0];

function labelLang() {
  langBtn.textContent = language() === "ko" ? "English" : "한국어";
  langBtn.setAttribute("aria-label", language() === "ko" ? "Switch to English" : "한국어로 바꾸기");
}
langBtn.addEventListener("click", () => setLanguage(language() === "ko" ? "en" : "ko"));
onLanguage(() => { labelLang(); showConn(...connState); });
document.documentElement.lang = language();
applyStatic();
labelLang();
show(initial);
// For the browser tests and curious students.
window.descent = { store, setLanguage, palette, surface: views.surface, views, links };
