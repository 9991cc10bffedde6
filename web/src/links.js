// The page's URL state at work: the views' settings go into the address as
// the user changes them (history.replaceState), a link that is opened sets
// its view up (urlstate.js, linkviews.js, linksurface.js), and the bar above
// the views (linkbar.js) copies the link, presents it to the class from the
// teacher's page (the "present" command) and lets a watch page follow what
// the teacher presents ("presented"), or step out and explore.
import { Cmd, Ev, ErrorCode } from "./protocol.js";
import { Change } from "./store.js";
import { parseState, formatState, Reader, MAX_STATE } from "./urlstate.js";
import { trainLink, compareLink, drawLink } from "./linkviews.js";
import { surfaceLink } from "./linksurface.js";
import { LinkBar } from "./linkbar.js";

const UPDATE_GAP = 250; // ms: the address follows the settings at most this often
const PRESENT_GAP = 400; // ms: the teacher's state is sent at most this often
const WATCHED = ["input", "change", "click", "pointerup", "wheel", "keyup"];

/** FOCUS are the parts a link can scroll to (at=…): a panel of its view. */
export const FOCUS = {
  hess: "#view-train [data-panel=hessian]", land: "#land-train", sharp: "#view-train .sharp-card", pics: "#view-train .samples",
  cland: "#land-compare", chain: "#draw-chain", check: "#draw-check", learn: "#draw-learn", draw: "#draw-canvas",
};

export class Links {
  /** views: the page's views by name; selectView(name) shows a view's tab without writing the address. */
  constructor(store, views, selectView) {
    this.store = store;
    this.views = views;
    this.selectView = selectView;
    this.adapters = { train: trainLink(views.train), compare: compareLink(views.compare), surface: surfaceLink(views.surface),
      draw: drawLink(views.draw), lessons: views.lessons.link() };
    this.view = "train";
    this.lesson = null; // {lesson, step}: the lesson step whose Try it this view shows
    this.last = null; // the state in the address
    this.presenting = false;
    this.sent = null; // the state last presented
    this.following = true;
    this.presented = null; // the teacher's latest {state, version}
    this.ready = false;
    this.bar = new LinkBar(this);
    this.focusParts = FOCUS; // for the browser tests
    store.on((kind, ev) => this.onStore(kind, ev));
    for (const type of WATCHED) document.addEventListener(type, () => this.schedule(), true);
    // A link pasted into this page's address bar: the browser keeps the page and only says that the hash changed.
    window.addEventListener("hashchange", () => { if (this.ready && location.hash.slice(1) !== this.last) this.apply(location.hash.slice(1)); });
  }

  get role() { return (this.store.hello && this.store.hello.role) || "control"; }

  /** start applies the page's own address once the views are built, then keeps it up to date. */
  start() {
    this.ready = true;
    const teacher = this.role === "watch" && this.following && this.presented && this.presented.state;
    if (teacher) this.apply(this.presented.state, "teacher");
    else if (location.hash.length > 1) this.apply(location.hash.slice(1));
    this.update();
    this.bar.render();
  }

  /** state is the URL state of the view shown; for presenting, with what the class should start (go=1). */
  state(presenting = false) {
    const ad = this.adapters[this.view];
    const pairs = [["v", this.view]];
    if (this.lesson && this.view !== "lessons") pairs.push(["lesson", this.lesson.lesson], ["step", this.lesson.step]);
    pairs.push(...ad.state());
    if (presenting && ad.extra) pairs.push(...ad.extra());
    return formatState(pairs);
  }

  /** url is the link to copy: this page's address without its query (a token stays with its owner). */
  url() { return `${location.origin}${location.pathname}#${this.state()}`; }

  /** viewChanged is a click on a tab. */
  viewChanged(name) {
    if (name === "lessons") this.lesson = null;
    this.view = name;
    this.schedule();
    this.bar.render();
  }

  /** schedule updates the address soon: at most once every UPDATE_GAP, however fast the events come. */
  schedule() {
    if (!this.ready || this.timer) return;
    this.timer = setTimeout(() => { this.timer = 0; this.update(); }, UPDATE_GAP);
  }

  /** update writes the state into the address and, while presenting, sends it to the class. */
  update() {
    if (!this.ready) return;
    const s = this.state();
    if (s !== this.last) {
      if (this.last !== null) this.bar.stale();
      this.last = s;
      history.replaceState(null, "", `${location.pathname}${location.search}#${s}`);
    }
    if (this.presenting) this.presentSoon();
  }

  /**
   * apply opens a state: its view, the view's settings (the absent ones at
   * their defaults), the lesson step it belongs to and the part it points at.
   * Values it cannot use are shown in the bar's note. from is "link",
   * "lesson" or "teacher".
   */
  apply(s, from = "link") {
    const map = parseState(s);
    const r = new Reader(map, ["v"]);
    const v = r.pick("v", "train", Object.keys(this.adapters));
    const lessons = this.views.lessons;
    this.lesson = null;
    if (v !== "lessons" && (map.has("lesson") || map.has("step"))) {
      const L = r.number("lesson", null, { min: 1, max: lessons.count(), int: true });
      const S = L && r.number("step", 1, { min: 1, max: lessons.steps(L), int: true });
      if (L) this.lesson = { lesson: L, step: S };
    }
    const at = r.pick("at", null, Object.keys(FOCUS));
    this.view = v;
    this.selectView(v);
    const ad = this.adapters[v];
    const wanted = formatState([...map].filter(([k]) => k !== "go" && k !== "at"));
    const same = wanted === this.state();
    if (same) map.forEach((_, k) => { if (k !== "go") r.used.add(k); });
    ad.apply(r, same);
    const notes = r.rest();
    this.bar.note(notes, from);
    if (at) focus(FOCUS[at]);
    this.update();
    this.bar.render();
    return notes;
  }

  /** tryStep opens a lesson step's view: its state, marked with the step, for the banner above the view. */
  tryStep(lesson, step, state) { return this.apply(`${state}&lesson=${lesson}&step=${step}`, "lesson"); }

  setPresenting(on) {
    if (this.role !== "control") return;
    this.presenting = on;
    clearTimeout(this.presentTimer);
    this.presentTimer = 0;
    if (on) this.present(); else this.send("");
    this.bar.render();
  }

  /** presentSoon sends the state at most once every PRESENT_GAP, however often it changes. */
  presentSoon() {
    if (this.presentTimer) return;
    this.presentTimer = setTimeout(() => { this.presentTimer = 0; this.present(); }, PRESENT_GAP);
  }

  present() {
    if (!this.presenting) return;
    const s = this.state(true);
    if (s === this.sent) return;
    if (s.length > MAX_STATE) { this.bar.say("presentTooLong"); return; }
    this.send(s);
  }

  send(state) {
    this.sent = state;
    this.store.command({ type: Cmd.present, state }, (ev) => {
      if (ev.type !== "error") return;
      this.presenting = false;
      this.bar.say(ev.code === ErrorCode.watchOnly ? "presentRefused" : "presentFailed");
      this.bar.render();
    });
  }

  /** follow makes a watch page follow the teacher again (true) or explore on its own (false). */
  follow(on) {
    this.following = on;
    if (on && this.presented && this.presented.state) this.apply(this.presented.state, "teacher");
    this.bar.render();
  }

  /** refollow applies the teacher's state again when the page could not yet open all of it (a run it did not know yet). */
  refollow() {
    const p = this.presented && this.presented.state;
    if (!this.ready || this.role !== "watch" || !this.following || !p) return;
    if (formatState([...parseState(p)].filter(([k]) => k !== "go" && k !== "at")) !== this.state()) this.apply(p, "teacher");
  }

  onStore(kind, ev) {
    if (kind === Change.hello && this.presenting) { this.sent = null; this.present(); } // the server forgot it with the connection
    if (kind === Change.presented) {
      this.presented = ev;
      if (this.ready && this.role === "watch" && this.following && ev.state) this.apply(ev.state, "teacher");
    }
    if (kind === Change.runs || kind === Change.status) { this.schedule(); this.refollow(); }
    if (kind === Change.traj && ev.type !== Ev.trajPoints) this.schedule(); // a set started or ended: go=1 comes or goes
    if (kind === Change.hello || kind === Change.presented) this.bar.render();
  }
}

/** focus scrolls a panel into sight, opening it when it folds. */
function focus(sel) {
  requestAnimationFrame(() => {
    const el = document.querySelector(sel);
    if (!el) return;
    if (el.tagName === "DETAILS") el.open = true;
    el.scrollIntoView({ block: "start" });
    const top = document.querySelector(".top");
    if (getComputedStyle(top).position === "sticky") window.scrollBy(0, -top.offsetHeight - 8); // not under the header
    else window.scrollBy(0, -8);
  });
}
