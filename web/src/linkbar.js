// The bar above the views: "Copy link" (the clipboard, or on an http page a
// read-only field to copy from), the teacher's "Present" switch, a watch
// page's "Follow the teacher" / "Explore on my own", the note of what a link
// held that the page could not use, and, while a lesson's Try it is shown,
// the step's question with the way back to the lesson.
import { t, onLanguage } from "./i18n.js";
import { h, tx } from "./forms.js";

export class LinkBar {
  constructor(links) {
    this.links = links;
    const btn = (act, f, attrs = {}) => h("button", { type: "button", "data-act": act, onclick: f, ...attrs }, h("span", { class: "long" }), h("span", { class: "short" }));
    this.copyBtn = btn("copyLink", () => this.copy());
    this.presentBtn = btn("present", () => links.setPresenting(!links.presenting), { "aria-pressed": "false", class: "present-btn" });
    this.followBtn = btn("follow", () => links.follow(!links.following), { class: "follow-btn" });
    this.state = h("span", { class: "link-status small present-state", role: "status", "aria-live": "polite" });
    this.copied = h("span", { class: "link-status small", role: "status", "aria-live": "polite" });
    this.field = h("input", { type: "text", readonly: true, class: "link-field", name: "link", hidden: true, "aria-label": t("linkField"), "data-i18n-label": "linkField" });
    this.noteText = h("span");
    this.noteList = h("code");
    this.noteEl = h("p", { class: "link-note small", role: "status", hidden: true }, this.noteText, " ", this.noteList, " ",
      tx("button", "dismiss", { type: "button", "data-act": "dismissNote", class: "link-x", onclick: () => { this.noteEl.hidden = true; this.render(); } }));
    this.banner = this.buildBanner();
    this.copyLine = h("div", { class: "link-copy", hidden: true }, this.copied, this.field);
    // The switches sit in the header, beside the connection; what a link or a lesson says, above the views.
    this.actions = h("div", { class: "link-actions" }, this.copyBtn, this.presentBtn, this.followBtn, this.state);
    document.querySelector(".top-right").prepend(this.actions);
    this.line = h("p", { class: "link-status small present-line", role: "status" }); // the state where the header has no room for it
    this.narrow = window.matchMedia("(max-width: 1100px)");
    this.narrow.addEventListener("change", () => this.render());
    this.el = h("div", { class: "linkbar" }, this.line, this.copyLine, this.noteEl, this.banner);
    document.querySelector("main").prepend(this.el);
    onLanguage(() => { this.render(); if (this.notes) this.note(this.notes, this.from); });
    this.render();
  }

  buildBanner() {
    this.bannerHead = h("b", { class: "lesson-banner-head" });
    this.bannerQ = h("span", { class: "lesson-banner-q" });
    this.backBtn = tx("button", "lessonBack", { type: "button", "data-act": "lessonBack", onclick: () => this.links.views.lessons.back() });
    this.nextBtn = tx("button", "lessonNext", { type: "button", "data-act": "lessonNextTry", onclick: () => this.links.views.lessons.next(true) });
    return h("div", { class: "lesson-banner", hidden: true, role: "region", "aria-label": t("lessonBanner"), "data-i18n-label": "lessonBanner" },
      h("div", { class: "lesson-banner-text" }, this.bannerHead, this.bannerQ),
      h("div", { class: "buttons" }, this.backBtn, this.nextBtn));
  }

  /** copy puts the link on the clipboard, or shows it selected in a field where the browser has no clipboard (http). */
  async copy() {
    const url = this.links.url();
    this.field.value = url;
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
      await navigator.clipboard.writeText(url);
      this.field.hidden = true;
      this.copiedKey = "linkCopied";
    } catch {
      this.field.hidden = false;
      this.field.focus();
      this.field.select();
      this.copiedKey = "linkSelect";
    }
    this.render();
  }

  /** stale hides the copied link once the view changed: it no longer opens what is shown. */
  stale() {
    if (!this.copiedKey) return;
    this.copiedKey = null;
    this.field.hidden = true;
    this.render();
  }

  /** note shows the values of a link that were ignored. */
  note(notes, from) {
    this.notes = notes;
    this.from = from;
    this.noteEl.hidden = notes.length === 0;
    this.noteText.textContent = t(from === "teacher" ? "linkIgnoredTeacher" : "linkIgnored", { n: notes.length });
    this.noteList.textContent = notes.map((n) => `${n.key}=${n.value}`).join(" · ");
    this.render();
  }

  /** say shows a message of the presenting (an i18n key). */
  say(key) { this.message = key; this.render(); }

  render() {
    const L = this.links, watch = L.role === "watch";
    const label = (b, key) => { b.firstChild.textContent = t(key); b.lastChild.textContent = t(`${key}Short`); };
    label(this.copyBtn, "copyLink");
    this.presentBtn.hidden = watch;
    this.presentBtn.setAttribute("aria-pressed", String(L.presenting));
    label(this.presentBtn, L.presenting ? "presentStop" : "present");
    this.presentBtn.classList.toggle("on", L.presenting);
    this.followBtn.hidden = !watch;
    label(this.followBtn, L.following ? "explore" : "follow");
    const p = L.presented && L.presented.state;
    let key = "";
    if (!watch && L.presenting) key = "presenting";
    else if (watch) key = !L.following ? "exploring" : p ? "following" : "teacherAway";
    if (this.message) { key = this.message; this.message = null; }
    this.state.textContent = this.line.textContent = key ? t(key) : "";
    const live = L.presenting || (watch && L.following && !!p);
    this.state.classList.toggle("live", live);
    this.line.classList.toggle("live", live);
    this.line.hidden = !key || !this.narrow.matches;
    this.followBtn.classList.toggle("live", watch && live);
    this.copied.textContent = this.copiedKey ? t(this.copiedKey, { n: this.field.value.length }) : "";
    this.copyLine.hidden = !this.copiedKey;
    this.renderBanner();
    this.el.hidden = this.line.hidden && this.copyLine.hidden && this.noteEl.hidden && this.banner.hidden;
  }

  renderBanner() {
    const L = this.links, ls = L.views.lessons, at = L.lesson;
    this.banner.hidden = !at || L.view === "lessons";
    if (this.banner.hidden) return;
    const info = ls.info(at.lesson, at.step);
    this.bannerHead.textContent = t("lessonStepOf", { l: at.lesson, title: info.lessonTitle, k: at.step, n: info.count });
    this.bannerQ.textContent = info.question;
    this.nextBtn.hidden = at.step >= info.count;
  }
}
