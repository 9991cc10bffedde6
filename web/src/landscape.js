// The Landscape panel (issue 14): the network's own loss over a 2-D slice of
// its weights around a run (in Train) or a comparison's runs (in Compare),
// with the training paths on it, growing live; how far each path is from
// the plane; and the 1-D line from θ₀ to θ_end. The page has one landscape
// at a time (the server's rule): the panel shows the slice it asked for
// (by req, and the next ones when it follows the epochs) and keeps showing
// it when the other view's panel asks for another. trainLandscape and
// compareLandscape mount it in their views.
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Cmd, Ev, Plane, isTraining } from "./protocol.js";
import { Change } from "./store.js";
import { ErrorLine, errorText } from "./errors.js";
import { landscapeMenu } from "./downloads.js";
import { palette } from "./charts.js";
import { runLabel } from "./labels.js";
import { fmtNum } from "./format.js";
import { runColor } from "./comparecharts.js";
import { LandscapeForm } from "./landscapeform.js";
import { LandscapeMap } from "./landscapemap.js";
import { OffPlaneChart, LineCharts } from "./landscapecharts.js";
import { SliceState } from "./landscapedata.js";
import { planeLine, explainedLine, statusLine, axisTitles, legend, withSymbols, refusal } from "./landscapetext.js";

const REDRAW_GAP = 100; // ms: rows come faster than a picture needs

export class LandscapePanel {
  /**
   * source: {kind: "run" | "sweep", key (the view's name), id() (the run
   * or sweep shown), runs() (its runs), nameOf(run), colorOf(run)}.
   */
  constructor(store, source) {
    this.store = store;
    this.source = source;
    this.slice = null; // the slice shown
    this.req = 0; // of the panel's last landscape command
    this.line = null; // the 1-D chart's answer shown
    this.lineReq = 0;
    const hooks = { colorOf: (run) => source.colorOf(run), nameOf: (run) => source.nameOf(run) };
    this.map = new LandscapeMap({ ...hooks, titles: (s) => axisTitles(s) });
    this.off = new OffPlaneChart(hooks);
    this.lines = new LineCharts(hooks);
    this.build(store.hello);
    store.on((kind, arg) => this.onStore(kind, arg));
    onLanguage(() => this.relabel());
  }

  build(hello) {
    this.form = new LandscapeForm(this.source.kind, hello.limits);
    this.error = new ErrorLine(h("p", { class: "error", role: "alert" }), () => this.store.hello);
    this.showBtn = tx("button", "landShow", { type: "button", class: "primary", "data-act": "landShow", onclick: () => this.ask() });
    this.cancelBtn = tx("button", "landCancel", { type: "button", "data-act": "landCancel", onclick: () => this.cancel() });
    this.lineBtn = h("button", { type: "button", "data-act": "landLine", onclick: () => this.askLine() });
    this.parts = {
      target: h("span", { class: "muted land-target" }), plane: h("p", { class: "land-plane small" }),
      status: h("p", { class: "land-status small", role: "status", "aria-live": "polite" }),
      explained: h("p", { class: "land-explained" }), legend: h("div", { class: "land-legend" }),
      offNote: h("p", { class: "muted small" }), lineStatus: h("span", { class: "muted small", role: "status" }),
      lineTitle: h("h3", {}), lineIntro: h("p", { class: "muted small" }),
    };
    const p = this.parts;
    // The links that say on the first screen that the panel is there: in the run bar, and on a phone beside Start.
    this.link = tx("button", "landLink", { type: "button", class: "link land-link", "data-act": "landLink", onclick: () => this.reveal() });
    this.jump = tx("button", "landLink", { type: "button", class: "link land-jump", "data-act": "landJump", onclick: () => this.reveal() });
    const side = h("div", { class: "land-side" }, tx("h4", "landOffTitle"), this.off.el, p.offNote);
    this.el = h("section", { class: "card land", id: `land-${this.source.key}`, "aria-labelledby": `land-${this.source.key}-title` },
      h("div", { class: "dl-head" }, h("h3", { id: `land-${this.source.key}-title` }, tx("span", "landTitle"), " ", p.target),
        landscapeMenu(() => this.exportId())),
      tx("p", "landIntro", { class: "muted small" }),
      this.form.planeField, p.plane,
      h("div", { class: "buttons land-actions" }, this.showBtn, this.cancelBtn, this.form.follow.el),
      this.form.more, this.error.el, p.status, p.explained,
      h("div", { class: "land-body" }, this.map.el, side), p.legend,
      h("div", { class: "land-line" }, h("div", { class: "dl-head" }, p.lineTitle, landscapeMenu(() => this.line && this.line.id)),
        p.lineIntro, h("div", { class: "buttons" }, this.lineBtn, p.lineStatus), this.lines.el));
    this.form.plane.addEventListener("change", () => this.render());
    this.render();
  }

  /** reveal scrolls to the panel with its first action in sight (the run bar's link). */
  reveal() {
    this.el.scrollIntoView({ behavior: "smooth", block: "start" });
    this.showBtn.focus({ preventScroll: true });
  }

  /** ask sends the landscape command for what the view shows; its frames come back through the store. */
  ask() {
    const id = this.source.id();
    if (!id) return;
    this.error.attempt();
    const cmd = { type: Cmd.landscape, [this.source.kind]: id, ...this.form.command() };
    this.req = this.store.command(cmd, (ev) => { if (ev.type === Ev.error) this.refused(ev); });
    this.waiting = true;
    this.render();
  }

  refused(ev) {
    this.waiting = false;
    this.error.say(refusal(ev) || errorText(ev, this.store.hello));
    this.render();
  }

  cancel() {
    this.error.attempt();
    this.store.command({ type: Cmd.landscapeCancel });
    this.lineBusy = false;
    this.render();
  }

  /** askLine asks for the 1-D chart of what the view shows. */
  askLine() {
    const id = this.source.id();
    if (!id) return;
    this.error.attempt();
    this.lineBusy = true;
    this.lineReq = this.store.command({ type: Cmd.landscapeLine, [this.source.kind]: id }, (ev) => {
      if (ev.req !== this.lineReq) return;
      this.lineBusy = false;
      if (ev.type === Ev.error) this.error.say(refusal(ev) || errorText(ev, this.store.hello));
      if (ev.type === Ev.landscapeLineChart) this.line = ev;
      this.render();
    });
    this.render();
  }

  /** exportId is the id of the slice shown, once it is complete (the server keeps it for the exports). */
  exportId() { return this.slice && this.slice.state === SliceState.done ? this.slice.id : null; }

  onStore(kind, arg) {
    if (kind === Change.landscape && this.req && arg.req === this.req) this.adopt(arg);
    else if (kind === Change.landscape && arg !== this.slice) return;
    if ([Change.landscape, Change.online, Change.hello, Change.runs, Change.status].includes(kind)) this.mark();
  }

  /**
   * adopt takes a slice of the panel's request: the first, an ended one, or
   * a followed or newly asked one once its grid is known (the last stays in
   * sight until then, and the new one is pending).
   */
  adopt(s) {
    this.waiting = false;
    const ended = s.state === SliceState.cancelled || s.state === SliceState.lost;
    if (s.layers || ended || !this.slice || this.slice.state === SliceState.cancelled) this.slice = s;
    this.pending = s === this.slice ? null : s;
  }

  /** refresh redraws after the view shows another run or sweep, and ends the slice of the last one if the server still works on it. */
  refresh() {
    const s = this.slice, lm = this.store.landscapes;
    if (s && s.start && !this.mine() && lm.current === s.id && (s.start.follow || s.state === SliceState.preview || s.state === SliceState.full)) this.cancel();
    this.mark();
  }

  mark() {
    if (this.timer) return;
    this.timer = setTimeout(() => requestAnimationFrame(() => { this.timer = 0; this.render(); }), REDRAW_GAP);
  }

  /** mine is the panel's slice if it belongs to what the view shows now (a slice still queued does). */
  mine() {
    const s = this.slice;
    if (!s || !s.start) return s;
    return (this.source.kind === "run" ? s.start.run : s.start.sweep) === this.source.id() ? s : null;
  }

  render() {
    const s = this.mine(), id = this.source.id(), p = this.parts, online = this.store.online;
    const working = !!(this.waiting || this.pending || (s && this.store.landscapes.current === s.id && [SliceState.queued, SliceState.preview, SliceState.full].includes(s.state)));
    const live = this.source.runs().some((r) => isTraining(r.info.status));
    this.showBtn.disabled = !online || !id;
    this.cancelBtn.disabled = !online || !(working || this.lineBusy || (s && s.start && s.start.follow && live && this.store.landscapes.current === s.id));
    this.lineBtn.disabled = !online || !id || this.lineBusy;
    p.target.textContent = id ? `· ${this.source.nameOf(id)}` : "";
    p.plane.textContent = planeLine(this.source.kind, this.form.planeName);
    p.status.textContent = statusLine({ slice: s, pending: this.pending, waiting: this.waiting, id, kind: this.source.kind,
      current: s && this.store.landscapes.current === s.id, live });
    p.explained.textContent = s && s.start ? explainedLine(s) : "";
    this.el.dataset.state = s ? s.state : "";
    this.map.show(s && s.layers ? s : null);
    this.drawSide(s);
    this.drawLine(id);
  }

  drawSide(s) {
    const has = !!(s && s.layers);
    this.map.el.parentElement.hidden = !has;
    this.parts.legend.replaceChildren(...(has ? legend(s, this.source) : []));
    this.parts.offNote.replaceChildren(...(has ? [t(s.start.plane === Plane.random ? "landOffNoteRandom" : "landOffNote")] : []));
    if (has) this.off.draw(s.tracks);
  }

  drawLine(id) {
    const p = this.parts, ans = this.line && this.line.lines.some((l) => l.run === id || this.source.runs().some((r) => r.id === l.run)) ? this.line : null;
    p.lineTitle.replaceChildren(...withSymbols(t("landLineTitle")));
    p.lineIntro.replaceChildren(...withSymbols(t("landLineIntro")));
    this.lineBtn.textContent = t(ans ? "landLineAgain" : "landLineShow");
    p.lineStatus.textContent = this.lineBusy ? t("landLineBusy") : ans ? t("landLineDone", { s: fmtNum(ans.seconds.plane + ans.seconds.slice, 2), n: ans.examples.toLocaleString("en") }) : "";
    this.lines.draw(ans);
  }

  relabel() {
    applyStatic(this.el);
    this.form.relabel();
    this.off.relabel();
    this.lines.relabel();
    this.map.key0 = null;
    this.render();
  }
}

/** trainLandscape mounts the Train view's panel: the watched run's landscape below the pictures, and a link to it in the run bar. */
export function trainLandscape(view, main) {
  const store = view.store;
  const panel = new LandscapePanel(store, { kind: "run", key: "train", id: () => view.current, runs: () => (view.run() ? [view.run()] : []),
    nameOf: (id) => nameOf(store, id), colorOf: () => palette[0] });
  mount(panel, main, view.bar.el.querySelector(".runbar-top"), view.form.el);
  view.bar.sel.addEventListener("change", () => panel.refresh());
  return panel;
}

/** compareLandscape mounts the Compare view's panel: the shown comparison's runs on one plane, each in its lane's colour. */
export function compareLandscape(view, main) {
  const store = view.store, lanes = () => (view.sweep && view.groups().get(view.sweep)) || [];
  const sweepId = () => { const s = view.shownSweep(); return s ? s.id : null; };
  const panel = new LandscapePanel(store, { kind: "sweep", key: "compare", id: sweepId, runs: lanes,
    nameOf: (id) => (id === sweepId() || !store.run(id) ? id : view.label(store.run(id))),
    colorOf: (run) => { const i = lanes().findIndex((r) => r.id === run); return runColor(Math.max(i, 0)); } });
  mount(panel, main, main.querySelector(".runbar"), view.form.el);
  view.sweepSel.addEventListener("change", () => panel.refresh());
  return panel;
}

/** mount puts the panel at the end of the view's main column, its link in bar, and its phone's link beside the form's Start. */
function mount(panel, main, bar, form) {
  main.append(panel.el);
  bar.append(panel.link);
  form.querySelector(".form-foot .buttons").append(panel.jump);
}

/** nameOf is a run's name in the panel: its label, or its optimizer and rate. */
function nameOf(store, id) {
  const r = store.run(id);
  return r ? `${r.id} · ${runLabel(r, store.hello)}` : id;
}
