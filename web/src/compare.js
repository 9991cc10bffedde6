// View 2: runs that differ in one setting, side by side, and the LR range
// test. The view holds its parts (compareform.js, comparecharts.js,
// rangetest.js) and says how the comparison stands ("3 runs training…").
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Cmd, Ev, Status, isTraining, features } from "./protocol.js";
import { runLabel } from "./labels.js";
import { CompareForm } from "./compareform.js";
import { compareSharpness } from "./sharpcompare.js";
import { Overlay, Multiples, resultsTable } from "./comparecharts.js";
import { RangeTest } from "./rangetest.js";
import { sweepMenu, sweepFigureMenu, sweepDataMenu, rangeMenu } from "./downloads.js";
import { Change } from "./store.js";
import { compareLandscape } from "./landscape.js";

export class CompareView {
  /** useRate(optimizer, lr) hands a rate to the Train view. */
  constructor(root, store, useRate) {
    this.root = root;
    this.store = store;
    this.useRate = useRate;
    this.sweep = null; // sweep id shown
    this.lrRun = null; // the LR range test run shown
    store.on((kind, id) => this.onStore(kind, id));
    onLanguage(() => this.relabel());
  }

  /** source is what the downloads ask: the sweep shown (its id and figure kind) and the range test's run. */
  get source() {
    return { sweep: () => this.shownSweep(), rangeRun: () => this.lrRun, rangeFigure: () => features(this.store.hello).rangeFigure };
  }

  build() {
    const hello = this.store.hello;
    this.form = new CompareForm(hello, (sweep, pace) => this.start(sweep, pace));
    this.form.showPace(features(hello).pace);
    this.sweepSel = h("select", { "aria-label": t("sweepOf"), "data-i18n-label": "sweepOf", name: "sweep" });
    this.sweepSel.addEventListener("change", () => this.show(this.sweepSel.value));
    this.state = h("p", { class: "sweep-state", role: "status", "aria-live": "polite" });
    const src = this.source;
    const card = (key, body, menu) => h("div", { class: "card" }, h("div", { class: "dl-head" }, tx("h3", key), menu), body);
    this.overlay = new Overlay(h("div", { class: "plot" }));
    this.multiples = new Multiples(h("div", { class: "multiples" }));
    this.table = h("div", { class: "table-wrap" });
    this.range = new RangeTest({ start: () => this.rangeTest(), use: (lr) => this.use(lr) }, rangeMenu(src));
    this.overlayCard = card("overlay", this.overlay.box, sweepMenu(src));
    this.overlayCard.classList.add("chart");
    this.sharpness = compareSharpness(src, hello); // every lane's sharpness, below the losses
    const main = h("div", { class: "main" },
      h("div", { class: "card runbar" }, h("label", { class: "inline" }, tx("span", "sweepOf"), this.sweepSel), this.state),
      this.overlayCard, this.sharpness.el, card("multiples", this.multiples.el, sweepFigureMenu(src)), card("table", this.table, sweepDataMenu(src)), this.range.el);
    this.root.replaceChildren(h("div", { class: "train" }, this.form.el, main));
    this.landscape = compareLandscape(this, main);
    this.refreshSweeps();
    this.online();
    this.redraw();
  }

  /** start sends one sweep: one seed, so identical weights and batches. */
  start(sweep, pace) {
    const cmd = { type: Cmd.sweep, ...sweep };
    if (features(this.store.hello).pace) cmd.pace = { epochSeconds: pace };
    let first = true;
    this.store.command(cmd, this.form.error.answer((ev) => {
      if (ev.type !== Ev.runCreated) return;
      this.store.subscribe(ev.run.id);
      this.show(ev.run.sweep || ev.run.id);
      this.state.textContent = sweepState(this.groups().get(this.sweep) || []); // at once, not at the next redraw
      if (first && window.innerWidth < 980) this.state.closest(".card").scrollIntoView({ behavior: "smooth" }); // its state, then its curves
      first = false;
    }));
  }

  rangeTest() {
    const f = this.form;
    const config = { optimizer: f.opt.value, lrRange: true, lrMin: 1e-5, lrMax: 10, batch: 64, epochs: 1, seed: Number(f.seed.value) };
    f.error.attempt();
    this.store.command({ type: Cmd.start, label: t("lrRangeTitle"), config }, f.error.answer((ev) => {
      if (ev.type === Ev.runCreated) { this.lrRun = ev.run.id; this.store.subscribe(ev.run.id); this.schedule(); }
    }));
  }

  /** use hands the range test's suggestion, with its optimizer, to the Train view and to the batch comparison. */
  use(lr) {
    const r = this.store.run(this.lrRun);
    const optimizer = r ? r.info.config.optimizer : this.form.opt.value;
    const rounded = Number(lr.toPrecision(2));
    this.useRate(optimizer, rounded);
    this.form.lr.value = rounded;
    this.range.usedIn(rounded);
  }

  /** groups returns the sweeps (and single runs) by id, oldest first. */
  groups() {
    const g = new Map();
    for (const r of this.store.runs.values()) {
      if (r.info.config.lrRange) continue;
      const key = r.info.sweep || r.id;
      if (!g.has(key)) g.set(key, []);
      g.get(key).push(r);
    }
    return g;
  }

  /** shownSweep is the sweep shown and the figure that draws it: "sweep" when only α differs, else "compare". */
  shownSweep() {
    const runs = (this.sweep && this.groups().get(this.sweep)) || [];
    if (!runs.length || !runs[0].info.sweep) return null;
    const c0 = runs[0].info.config;
    const rates = runs.every((r) => r.info.config.optimizer === c0.optimizer && r.info.config.batch === c0.batch);
    return { id: runs[0].info.sweep, kind: rates ? "sweep" : "compare" };
  }

  show(key) {
    this.sweep = key;
    (this.groups().get(key) || []).forEach((r) => this.store.subscribe(r.id));
    if (this.sweepSel.value !== key) this.refreshSweeps();
    this.schedule();
  }

  refreshSweeps() {
    if (!this.sweepSel) return;
    const g = this.groups();
    const sweeps = [...g.entries()].filter(([, runs]) => runs.length > 1 || runs[0].info.sweep).reverse(); // newest first
    this.sweepSel.replaceChildren(...sweeps.map(([key, runs]) => h("option", { value: key }, `${key} · ${runs.map((r) => this.label(r)).join(", ")}`)));
    if (!this.sweep && sweeps.length) this.sweep = sweeps[0][0];
    if (this.sweep) this.sweepSel.value = this.sweep;
    this.sweepSel.disabled = sweeps.length === 0;
    if (this.sweep) (g.get(this.sweep) || []).forEach((r) => this.store.subscribe(r.id));
    if (!this.lrRun) {
      const lr = [...this.store.runs.values()].filter((r) => r.info.config.lrRange);
      if (lr.length) { this.lrRun = lr[lr.length - 1].id; this.store.subscribe(this.lrRun); }
    }
  }

  /** label is a run's name in the legends: its label, or its optimizer and rate. */
  label(r) { return runLabel(r, this.store.hello); }

  onStore(kind) {
    if (!this.sweepSel) return;
    if (kind === Change.hello || kind === Change.runs || kind === Change.status) {
      if (kind === Change.hello) { this.form.showPace(features(this.store.hello).pace); if (this.lrRun && !this.store.run(this.lrRun)) this.lrRun = null; }
      this.refreshSweeps();
    }
    if (kind === Change.online) this.online();
    if (kind !== Change.prediction && kind !== Change.traj) this.schedule();
  }

  online() {
    const on = this.store.online, hello = this.store.hello;
    this.form.online(on, hello && hello.role === "watch");
    this.range.startBtn.disabled = !on;
  }

  schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => requestAnimationFrame(() => { this.timer = 0; if (!this.root.hidden) this.redraw(); }), 200);
  }

  redraw() {
    if (!this.sweepSel) return;
    const runs = (this.sweep && this.groups().get(this.sweep)) || [];
    const label = (r) => this.label(r);
    this.overlay.draw(runs, label);
    this.sharpness.draw(runs, label);
    this.multiples.draw(runs, label);
    this.table.replaceChildren(resultsTable(runs, label));
    this.state.textContent = sweepState(runs);
    this.range.draw(this.lrRun && this.store.run(this.lrRun));
  }

  relabel() {
    if (!this.sweepSel) return;
    applyStatic(this.root);
    this.overlay.relabel();
    this.sharpness.relabel();
    this.multiples.relabel();
    this.range.relabel();
    this.refreshSweeps();
    this.redraw();
  }
}

/** sweepState says how a comparison stands: "3 runs training…", then "3 done" or "2 done, 1 diverged". */
export function sweepState(runs) {
  if (!runs.length) return "";
  const training = runs.filter((r) => isTraining(r.info.status)).length;
  if (training) return t(training === 1 ? "runTraining" : "runsTraining", { n: training });
  const count = (st) => runs.filter((r) => r.info.status === st).length;
  const parts = [[Status.done, "nDone"], [Status.diverged, "nDiverged"], [Status.stopped, "nStopped"], [Status.interrupted, "nInterrupted"]]
    .map(([st, key]) => [count(st), key]).filter(([n]) => n > 0).map(([n, key]) => t(key, { n }));
  return parts.join(", ");
}
