// The Lessons view: the report's path through the subject in 8 lessons of 3
// to 6 steps (lessondata.js for each step's Try it, lessons_en.js and
// lessons_ko.js for the words). A step is a short text, its formula, a Try
// it that sets up the real view through the URL state (links.js), and a
// question with what to look for. Progress stays in the browser
// (localStorage); lesson=3&step=2 in a link opens a step.
import { t, language, onLanguage } from "./i18n.js";
import { h, tx } from "./forms.js";
import { parseState } from "./urlstate.js";
import { LESSONS } from "./lessondata.js";
import { lessonsEn } from "./lessons_en.js";
import { lessonsKo } from "./lessons_ko.js";

const KEY = "descent.lessons"; // {"3-2": 2}: 1 opened, 2 tried

function loadProgress() {
  try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch { return {}; }
}

export class LessonsView {
  constructor(root) {
    this.root = root;
    this.lesson = 1;
    this.step = 1;
    this.progress = loadProgress();
    this.links = null; // set by main.js
    onLanguage(() => this.render());
  }

  words() { return language() === "ko" ? lessonsKo : lessonsEn; }
  /** states are every step's Try it, by lesson (for the browser tests). */
  get states() { return LESSONS.map((l) => l.steps); }
  count() { return LESSONS.length; }
  steps(l) { return LESSONS[l - 1].steps.length; }

  /** info is what the banner above a view shows while a step's Try it is open. */
  info(l, k) {
    const w = this.words()[l - 1];
    return { lessonTitle: w.title, count: this.steps(l), question: w.steps[k - 1].question };
  }

  /** link is the view's part of the URL state: the lesson and step shown. */
  link() {
    return {
      state: () => [["lesson", this.lesson], ["step", this.step]],
      apply: (r) => {
        const l = r.number("lesson", this.lesson, { min: 1, max: this.count(), int: true });
        const k = r.number("step", l === this.lesson ? this.step : 1, { min: 1, max: this.steps(l), int: true });
        this.open(l, k);
      },
    };
  }

  build() {
    this.list = h("ol", { class: "lesson-list" });
    this.pick = h("select", { name: "lesson", "aria-label": t("lessonPick"), "data-i18n-label": "lessonPick" });
    this.pick.addEventListener("change", () => this.open(Number(this.pick.value), 1));
    this.card = h("article", { class: "card lesson-card", "aria-live": "polite" });
    this.root.replaceChildren(h("div", { class: "lessons" },
      h("nav", { class: "card lesson-nav", "aria-label": t("tabLessons"), "data-i18n-label": "tabLessons" }, tx("h2", "lessonsTitle"), this.list),
      h("div", { class: "lesson-main" }, h("div", { class: "lesson-pick" }, this.pick), this.card)));
    this.render();
  }

  /** open shows step k of lesson l and keeps it as opened. */
  open(l, k) {
    this.lesson = l;
    this.step = k;
    this.mark(l, k, 1);
    this.render();
    if (this.links) this.links.schedule();
  }

  mark(l, k, level) {
    const key = `${l}-${k}`;
    if ((this.progress[key] || 0) >= level) return;
    this.progress[key] = level;
    try { localStorage.setItem(KEY, JSON.stringify(this.progress)); } catch { /* private mode: progress lives only in this page */ }
  }

  tried(l) { return LESSONS[l - 1].steps.filter((_, i) => this.progress[`${l}-${i + 1}`] === 2).length; }

  /** tryIt opens the step's view as its state says. */
  tryIt() {
    this.mark(this.lesson, this.step, 2);
    this.links.tryStep(this.lesson, this.step, LESSONS[this.lesson - 1].steps[this.step - 1]);
  }

  /** back returns from a Try it to its step; next(fromBanner) goes on to the next step. */
  back() {
    const at = this.links.lesson || { lesson: this.lesson, step: this.step };
    this.links.apply(`v=lessons&lesson=${at.lesson}&step=${at.step}`, "lesson");
  }

  next(fromBanner = false) {
    const at = fromBanner && this.links.lesson ? this.links.lesson : { lesson: this.lesson, step: this.step };
    const l = at.step < this.steps(at.lesson) ? at.lesson : Math.min(at.lesson + 1, this.count());
    const k = at.step < this.steps(at.lesson) ? at.step + 1 : 1;
    if (fromBanner) this.links.apply(`v=lessons&lesson=${l}&step=${k}`, "lesson"); else this.open(l, k);
  }

  prev() {
    if (this.step > 1) this.open(this.lesson, this.step - 1);
    else if (this.lesson > 1) this.open(this.lesson - 1, this.steps(this.lesson - 1));
  }

  render() {
    if (!this.card) return;
    const words = this.words();
    this.list.replaceChildren(...words.map((w, i) => {
      const l = i + 1, n = this.steps(l), done = this.tried(l);
      return h("li", {}, h("button", { type: "button", "data-lesson": l, "aria-current": l === this.lesson ? "true" : null, onclick: () => this.open(l, 1) },
        h("span", { class: "lesson-num" }, String(l)), h("span", { class: "lesson-name" }, w.title),
        h("span", { class: `lesson-prog${done === n ? " done" : ""}`, title: t("lessonTried", { k: done, n }) }, done === n ? "✓" : `${done}/${n}`)));
    }));
    this.pick.replaceChildren(...words.map((w, i) => h("option", { value: i + 1 }, `${i + 1}. ${w.title}`)));
    this.pick.value = String(this.lesson);
    this.renderCard(words[this.lesson - 1]);
  }

  renderCard(w) {
    const l = this.lesson, k = this.step, n = this.steps(l), s = w.steps[k - 1];
    const state = LESSONS[l - 1].steps[k - 1];
    const dots = h("div", { class: "lesson-steps", role: "group", "aria-label": t("lessonSteps") }, w.steps.map((x, i) =>
      h("button", { type: "button", "data-step": i + 1, "aria-current": i + 1 === k ? "step" : null, title: x.title,
        class: this.progress[`${l}-${i + 1}`] === 2 ? "tried" : null, onclick: () => this.open(l, i + 1) }, String(i + 1))));
    const tryBtn = tx("button", "lessonTry", { type: "button", class: "primary", "data-act": "lessonTry", onclick: () => this.tryIt() });
    const prev = tx("button", "lessonPrev", { type: "button", "data-act": "lessonPrev", onclick: () => this.prev(), disabled: l === 1 && k === 1 });
    const next = tx("button", "lessonNext", { type: "button", "data-act": "lessonNext", onclick: () => this.next(), disabled: l === this.count() && k === n });
    this.card.replaceChildren(
      h("p", { class: "lesson-where muted small" }, t("lessonWhere", { l, k, n })),
      h("h2", { class: "lesson-title" }, w.title), dots,
      h("h3", { class: "lesson-step-title" }, s.title),
      h("p", { class: "lesson-text" }, s.text),
      h("div", { class: "formula lesson-formula" }, s.formula),
      h("div", { class: "lesson-try" }, tryBtn, h("span", { class: "muted small" }, tryNote(state))),
      h("div", { class: "lesson-q" }, tx("h4", "lessonQuestion"), h("p", {}, s.question),
        h("details", { class: "more" }, h("summary", {}, tx("span", "lessonLook", { class: "more-title" })), h("p", {}, s.look))),
      h("div", { class: "buttons lesson-move" }, prev, next));
  }
}

/** tryNote says what Try it sets up: the view, and whether it starts by itself or waits for Start. */
function tryNote(state) {
  const m = parseState(state), v = m.get("v");
  if (v === "surface") return t(m.get("go") === "1" ? "tryRuns" : "trySurface");
  if (v === "train" || v === "compare") return t("tryStart", { view: t(v === "train" ? "tabTrain" : "tabCompare") });
  return t("tryOpens", { view: t("tabDraw") });
}
