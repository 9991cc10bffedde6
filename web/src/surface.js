// The surface explorer: optimizers moving on a 2-D loss surface. The server
// renders J as an image (GET /api/surface) and streams each trajectory set
// (trajStart → trajCreated, trajPoints, trajStatus, through the Store); this
// view holds the form (surfaceform.js), the controls, the stage
// (surfacestage.js), the charts and the results table. A change of the
// settings wipes the set drawn, and Undo brings it back.
import { h, tx } from "./forms.js";
import { t, language, onLanguage } from "./i18n.js";
import { Cmd, Ev, TrajState, TrajAction } from "./protocol.js";
import { Chart, palette } from "./charts.js";
import { SurfaceStage } from "./surfacestage.js";
import { toPixel, fromPixel } from "./surfacemap.js";
import { OptimizerRow, resultsTable, describe } from "./surfaceparts.js";
import { SurfaceForm } from "./surfaceform.js";
import { RateMarks } from "./surfacemarks.js";
import { functionFormula } from "./labels.js";
import { trajMenu } from "./downloads.js";
import { Change } from "./store.js";

const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 0]; // steps per second; 0 is as fast as possible
const LOG_FLOOR = 1e-15; // the smallest J − J* and ‖∇J‖ the log charts draw

export class SurfaceView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.set = null; // {req, id, trajs, state}
    this.undoable = null; // {set, form, start}: the set the last change wiped
    this.rows = [];
    this.toPixel = toPixel; // for the browser test: the page's mapping
    this.fromPixel = fromPixel;
    store.on((kind, ev) => { if (kind === Change.traj) this.onTraj(ev); if (kind === Change.hello) this.onHello(ev); if (kind === Change.online) this.online(); });
  }

  build() {
    const hello = this.store.hello;
    this.hello = hello;
    this.form = new SurfaceForm(hello, { changed: () => this.changed(), pickFunction: () => this.pickFunction(), setStart: (p) => this.setStart(p) });
    this.marks = new RateMarks(this); // 2/λmax at the start on the rate controls
    this.form.addBtn.addEventListener("click", () => { this.addRow("gd"); this.changed(); });
    this.form.modeSel.addEventListener("change", () => this.showMode(false));
    this.stage = new SurfaceStage({ onStart: (x, y) => this.setStart([x, y]), describe: (tr, it) => describe(tr, it, tr.params || {}) });
    const main = h("div", { class: "main" }, this.buildStageCard(),
      h("div", { class: "charts" }, this.chartCard("surfFChart", "f"), this.chartCard("surfGChart", "gradnorm")),
      h("div", { class: "card" }, tx("h3", "table"), this.table = h("div", { class: "table-wrap" })),
      h("div", { class: "card" }, tx("h3", "updateRule"), this.rules = h("div", { class: "stack" })));
    this.root.replaceChildren(h("div", { class: "train surf" }, this.form.el, main));
    this.addRow("gd", 0.001); // first: the learning-rate mode's presets are gradient descent's
    this.addRow("adam", 0.05);
    this.showSpeed();
    this.pickFunction("rosenbrock");
    this.showMode();
    this.online();
    onLanguage(() => { this.stage.setLang(language()); this.showSpeed(); this.changedText(); this.refresh(true); });
  }

  buildStageCard() {
    const btn = (key, f, cls) => tx("button", key, { type: "button", class: cls, "data-act": key, onclick: f });
    this.playBtn = btn("surfPlay", () => this.play(), "primary");
    this.pauseBtn = btn("pause", () => this.control(TrajAction.pause));
    this.stepBtn = btn("step", () => this.stepOnce());
    this.resetBtn = btn("surfReset", () => this.control(TrajAction.reset));
    this.placeBtn = btn("surfPlace", () => this.stage.gestures.place(!this.stage.gestures.placing));
    this.undoBtn = btn("undo", () => this.undo());
    this.undoBtn.hidden = true;
    this.speed = h("input", { type: "range", min: 0, max: SPEEDS.length - 1, step: 1, value: 6, name: "speed", "aria-label": t("surfSpeed"), "data-i18n-label": "surfSpeed" });
    this.speedText = h("span", { class: "surf-speed-text" });
    this.speed.addEventListener("input", () => { this.showSpeed(); if (this.set && this.set.state === TrajState.playing) this.control(TrajAction.play); });
    this.stateText = h("span", { class: "status", role: "status" });
    this.legend = h("div", { class: "surf-legend" });
    return h("div", { class: "card surf-card" }, this.form.summary,
      h("div", { class: "surf-controls" }, this.playBtn, this.pauseBtn, this.stepBtn, this.resetBtn,
        h("label", { class: "inline surf-speed" }, tx("span", "surfSpeed"), this.speed, this.speedText),
        this.stateText, this.undoBtn, this.placeBtn, btn("surfResetView", () => this.stage.resetView()), trajMenu(() => this.exportBody(), "surface")),
      this.stage.el, this.legend, tx("p", "surfHelp", { class: "muted small" }));
  }

  chartCard(key, kind) {
    const box = h("div", { class: "plot" });
    if (kind === "f") this.fBox = box; else this.gBox = box;
    return h("div", { class: "card chart" }, h("div", { class: "dl-head" }, tx("h3", key), trajMenu(() => this.exportBody(), kind)), box);
  }

  get fn() { return this.form.fn; }
  get fp() { return this.form.fp; }
  get steps() { return this.form.steps; }

  pickFunction(name) {
    if (name) this.form.fnSel.value = name;
    this.form.showFunction(() => { this.stage.setFunction(this.fn, this.fp.get(), language()); this.changed(); });
    this.stage.setFunction(this.fn, this.fp.get(), language());
    this.setStart(this.fn.starts[0].x);
  }

  setStart(p) {
    const r = (v) => Number(v.toPrecision(4));
    this.start = [r(p[0]), r(p[1])];
    this.form.showStart(this.start);
    this.stage.setStart(this.start);
    this.changed();
  }

  addRow(method, lr) {
    const row = new OptimizerRow(this.hello, method, lr, () => this.changed(), (r) => {
      if (this.rows.length < 2) return;
      this.rows = this.rows.filter((x) => x !== r);
      r.el.remove();
      this.changed();
    });
    this.rows.push(row);
    this.form.rowBox.append(row.el);
    return row;
  }

  /** showMode shows the rows or the rates of the mode chosen, filling the function's rate presets unless keep. */
  showMode(keep = false) {
    const rates = this.form.rateMode;
    this.form.ratesField.hidden = !rates;
    this.form.addBtn.hidden = rates;
    this.rows.forEach((r, i) => { r.el.hidden = rates && i > 0; if (r.lr) r.lr.el.hidden = rates && i === 0; });
    if (rates) this.form.showPreset(keep !== true);
    this.changed();
  }

  showSpeed() {
    const s = SPEEDS[Number(this.speed.value)];
    this.speedText.textContent = s ? `${s} ${t("stepsPerSec")}` : t("surfMax");
  }

  /** optimizers lists the trajectories to start: the rows, or the first row at each rate. */
  optimizers() {
    if (!this.form.rateMode) return this.rows.map((r) => r.value());
    return this.form.rateList().map((lr) => this.rows[0].value(lr));
  }

  /** changed forgets the current set (Undo brings it back): the next Play starts a new one. */
  changed() {
    if (!this.stage || this.restoring) return;
    if (this.set && this.set.trajs.some((tr) => tr.points.length > 1)) {
      this.dropUndo();
      this.undoable = { set: this.set, form: this.undoForm, start: this.undoStart };
    } else if (this.set && this.set.id) this.store.command({ type: Cmd.trajDelete, traj: this.set.id });
    this.set = null;
    this.undoBtn.hidden = !this.undoable;
    this.stage.setTrajs([]);
    this.stage.inspect(null);
    this.changedText();
    this.refresh(true);
  }

  /** changedText redraws what follows the settings: the swatches, the rules and the compact bar. */
  changedText() {
    const rates = this.form.rateMode;
    this.rows.forEach((r, i) => { r.swatch.style.background = rates ? "transparent" : palette[i % palette.length]; r.showRule(); });
    const used = rates ? this.rows.slice(0, 1) : this.rows;
    this.rules.replaceChildren(...used.map((r) => h("div", {}, h("b", {}, r.value().label), h("div", { class: "formula small" }, r.rule()))));
    this.form.summary.textContent = `${this.form.describe(this.rows)} ▾`;
    this.marks.apply();
  }

  dropUndo() {
    if (this.undoable && this.undoable.set.id) this.store.command({ type: Cmd.trajDelete, traj: this.undoable.set.id });
    this.undoable = null;
  }

  /** undo brings back the set that the last change wiped, with the settings that drew it. */
  undo() {
    const u = this.undoable;
    if (!u) return;
    this.undoable = null;
    if (this.set && this.set.id) this.store.command({ type: Cmd.trajDelete, traj: this.set.id });
    this.restoring = true;
    this.restoreForm(u.form, u.start);
    this.restoring = false;
    this.set = u.set;
    this.snapshot();
    this.undoBtn.hidden = true;
    this.stage.setTrajs(this.set.trajs);
    this.changedText();
    this.refresh(true);
  }

  restoreForm(f, start) {
    const fm = this.form;
    if (fm.fnSel.value !== f.fn) this.pickFunction(f.fn);
    fm.fp.set(f.fp);
    this.stage.setFunction(this.fn, fm.fp.get(), language());
    Object.assign(fm.modeSel, { value: f.mode });
    fm.rates.value = f.rates;
    fm.steps.value = f.steps;
    fm.tol.value = f.tol;
    this.rows.forEach((r) => r.el.remove());
    this.rows = [];
    f.rows.forEach((s) => this.addRow(s.method).restore(s));
    this.showMode(true);
    this.setStart(start);
  }

  /** snapshot keeps the settings of the set being drawn, for Undo. */
  snapshot() { this.undoForm = this.form.state(this.rows); this.undoStart = this.start; }

  startSet(rate, then) {
    this.form.error.attempt();
    let optimizers;
    try { optimizers = this.optimizers(); } catch (e) { this.form.error.say(e.message); return; }
    this.dropUndo();
    this.undoBtn.hidden = true;
    const fp = this.fp.get();
    const cmd = { type: Cmd.trajStart, fn: this.fn.name, start: this.start, optimizers, steps: Number(this.steps.value), tol: Number(this.form.tol.value) };
    if (Object.keys(fp).length) cmd.fnParams = fp;
    if (rate !== null) cmd.rate = rate;
    const set = { id: null, state: TrajState.starting, trajs: optimizers.map((o, i) => ({ label: o.label, params: o.params, color: palette[i % palette.length], points: [] })) };
    this.set = set;
    this.snapshot();
    set.req = this.store.command(cmd, (ev) => {
      if (this.set !== set) { // forgotten while it was starting
        if (ev.type === Ev.trajCreated) this.store.command({ type: Cmd.trajDelete, traj: ev.traj });
        return;
      }
      if (ev.type === Ev.error) { this.form.error.show(ev); this.set = null; }
      if (ev.type === Ev.trajCreated) { set.id = ev.traj; if (then) then(); }
    });
    this.stage.setTrajs(set.trajs);
    this.refresh(true);
  }

  rate() { return SPEEDS[Number(this.speed.value)]; }

  play() {
    if (!this.set || !this.set.id) return this.startSet(this.rate());
    if (this.set.state === TrajState.done) this.control(TrajAction.reset);
    this.control(TrajAction.play);
  }

  stepOnce() {
    if (!this.set || !this.set.id) return this.startSet(null, () => this.control(TrajAction.step));
    this.control(TrajAction.step);
  }

  control(action) {
    if (!this.set || !this.set.id) return;
    const cmd = { type: Cmd.trajControl, traj: this.set.id, action };
    if (action === TrajAction.play) cmd.rate = this.rate();
    this.form.error.attempt();
    this.store.command(cmd, this.form.error.answer());
  }

  /**
   * onHello: after a reconnect or a restart the server has forgotten every
   * set. The paths drawn stay (they are the page's), and Play draws them
   * afresh from the same settings.
   */
  onHello() {
    if (!this.set) return;
    this.set.id = null;
    this.set.state = "";
    if (this.undoable) this.undoable.set.id = null;
    this.refresh(true);
  }

  /** onTraj takes the surface explorer's events. */
  onTraj(ev) {
    const set = this.set;
    if (!set || ev.traj !== set.id) return;
    if (ev.type === Ev.trajPoints) {
      for (const it of ev.points) {
        const tr = set.trajs[it.trajectory];
        if (it.step === 0) tr.points = [it]; else tr.points.push(it);
      }
      this.stage.draw();
      this.refresh(false);
    } else if (ev.type === Ev.trajStatus) {
      set.state = ev.state;
      this.refresh(true);
    }
  }

  online() {
    if (!this.playBtn) return;
    const off = !this.store.online;
    [this.playBtn, this.stepBtn].forEach((b) => { b.disabled = off; b.title = off ? t("offlineNote") : ""; });
    this.refresh(true);
  }

  /** refresh redraws the read-outs, at most every 150 ms unless now. */
  refresh(now) {
    if (!this.stateText) return;
    if (!now) {
      if (!this.pending) this.pending = setTimeout(() => { this.pending = 0; this.refresh(true); }, 150);
      return;
    }
    const trajs = this.set ? this.set.trajs : [];
    const state = this.set ? this.set.state : "";
    this.stateText.textContent = state ? t(`surfState_${state}`) : "";
    this.pauseBtn.disabled = state !== TrajState.playing || !this.store.online;
    this.resetBtn.disabled = !this.set || !this.set.id || !this.store.online;
    this.legend.replaceChildren(...trajs.map((tr) => h("span", { class: "surf-legend-item" }, h("span", { class: "swatch", style: `background:${tr.color}` }), tr.label)));
    this.table.replaceChildren(resultsTable(trajs));
    this.charts(trajs);
  }

  charts(trajs) {
    const fn = this.fn, log = !fn.unbounded;
    const key = `${trajs.map((x) => x.label).join("|")}/${log}/${language()}`;
    if (this.chartKey !== key) {
      this.chartKey = key;
      const series = trajs.map((tr) => ({ label: tr.label, color: tr.color }));
      for (const c of [this.fChart, this.gChart]) if (c) c.destroy();
      this.fChart = new Chart(this.fBox, { xLabel: () => t("axisStep"), yLabel: () => t(log ? "axisJGap" : "axisJ"), xInt: true, logY: log, height: 220, series });
      this.gChart = new Chart(this.gBox, { xLabel: () => t("axisStep"), yLabel: () => t("axisGradJ"), xInt: true, logY: true, height: 220, series });
    }
    const n = Math.max(0, ...trajs.map((tr) => tr.points.length));
    const x = Array.from({ length: n }, (_, i) => i);
    // uPlot's log axis loses its ticks far below 1e-15 (it hangs at 1e-30): a smaller gap, as CG or Newton reach, is drawn there.
    const pos = (v) => (v > 0 && isFinite(v) ? Math.max(v, LOG_FLOOR) : null);
    this.fChart.setData([x, ...trajs.map((tr) => x.map((i) => tr.points[i] ? (log ? pos(tr.points[i].f - fn.fMin) : tr.points[i].f) : null))]);
    this.gChart.setData([x, ...trajs.map((tr) => x.map((i) => tr.points[i] ? pos(Math.hypot(...tr.points[i].grad)) : null))]);
  }

  /**
   * exportBody is the TrajectoryExport of the set drawn (server/export_traj.go),
   * over the stage's view, or null before one starts. Its caption says what
   * the title and legend do not: J and the start.
   */
  exportBody() {
    const set = this.set;
    if (!set || !set.trajs.some((tr) => tr.points.length)) return null;
    const fp = this.fp.get();
    const body = { fn: this.fn.name, lang: language(), domain: { ...this.stage.view },
      caption: `${functionFormula(this.fn)} · ${t("captionStart", { x: this.start[0], y: this.start[1] })}`,
      trajectories: set.trajs.map((tr) => {
        const last = tr.points[tr.points.length - 1];
        const out = { label: tr.label, points: tr.points.map((p) => p.x), status: last ? last.status || "" : "" };
        if (tr.points.every((p) => Number.isFinite(p.f))) out.f = tr.points.map((p) => p.f);
        return out;
      }) };
    if (Object.keys(fp).length) body.fnParams = fp;
    return body;
  }

  redraw() { if (this.stage) this.stage.load(0); }
}
