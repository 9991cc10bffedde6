// The surface explorer: optimizers moving on a 2-D loss surface. The server
// renders J as an image (GET /api/surface) and streams each trajectory set
// (trajStart → trajCreated, trajPoints, trajStatus); this view holds the
// form, the controls, the stage, the charts and the results table.
import { h, field, numberInput } from "./forms.js";
import { t, language, onLanguage } from "./i18n.js";
import { Chart, palette } from "./charts.js";
import { errorText } from "./pictures.js";
import { SurfaceStage } from "./surfacestage.js";
import { toPixel, fromPixel } from "./surfacemap.js";
import { OptimizerRow, resultsTable, describe, functionParams } from "./surfaceparts.js";
import { addSurfaceDownloads } from "./downloads.js";

const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 0]; // steps per second; 0 is as fast as possible

export class SurfaceView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.set = null; // {req, id, trajs, state, params}
    this.rows = [];
    this.toPixel = toPixel; // for the browser test: the page's mapping
    this.fromPixel = fromPixel;
  }

  build() {
    const hello = this.store.hello;
    this.hello = hello;
    this.fnSel = h("select", { name: "fn" }, hello.functions.map((f) => h("option", { value: f.name }, f.title)));
    this.fnFormula = h("div", { class: "formula small" });
    this.fnParams = h("div");
    this.startSel = h("select", { name: "startPreset" });
    this.sx = numberInput(0, { name: "sx" });
    this.sy = numberInput(0, { name: "sy" });
    this.rowBox = h("div", { class: "stack" });
    this.addBtn = h("button", { type: "button", "data-i18n": "surfAdd", onclick: () => { this.addRow("gd"); this.changed(); } }, t("surfAdd"));
    this.modeSel = h("select", { name: "surfMode" },
      h("option", { value: "optimizers", "data-i18n": "cmpOptimizers" }, t("cmpOptimizers")),
      h("option", { value: "rates", "data-i18n": "cmpRates" }, t("cmpRates")));
    this.rates = h("input", { type: "text", name: "surfRates", value: "0.0002, 0.001, 0.002, 0.003" });
    this.ratesField = field("rates", this.rates, { key: "ratesHint" });
    this.steps = numberInput(2000, { min: 1, max: hello.surface.maxSteps, name: "surfSteps" });
    this.tol = numberInput(1e-6, { min: 0, name: "surfTol" });
    this.error = h("p", { class: "error", role: "alert" });
    const form = h("form", { class: "card form", "aria-label": t("surfForm"), "data-i18n-label": "surfForm" },
      h("h2", { "data-i18n": "tabSurface" }, t("tabSurface")),
      field("surfFunction", this.fnSel), this.fnFormula, this.fnParams,
      field("surfStart", this.startSel, { key: "surfStartHint" }),
      h("div", { class: "row2" }, field("=x₀", this.sx), field("=y₀", this.sy)),
      field("compareWhat", this.modeSel), this.ratesField,
      this.rowBox, this.addBtn,
      h("div", { class: "row2" }, field("surfSteps", this.steps), field("surfTol", this.tol)), this.error);
    form.addEventListener("submit", (e) => e.preventDefault());
    this.fnSel.addEventListener("change", () => this.pickFunction());
    this.startSel.addEventListener("change", () => this.setStart(this.fn.starts[Number(this.startSel.value)].x));
    for (const el of [this.sx, this.sy]) el.addEventListener("change", () => this.setStart([Number(this.sx.value), Number(this.sy.value)]));
    this.modeSel.addEventListener("change", () => this.showMode());
    for (const el of [this.rates, this.steps, this.tol]) el.addEventListener("change", () => this.changed());

    this.stage = new SurfaceStage({
      onStart: (x, y) => this.setStart([x, y]),
      describe: (tr, it) => describe(tr, it, tr.params || {}),
    });
    const btn = (key, f, cls) => h("button", { type: "button", class: cls, "data-i18n": key, "data-act": key, onclick: f }, t(key));
    this.playBtn = btn("surfPlay", () => this.play(), "primary");
    this.pauseBtn = btn("pause", () => this.control("pause"));
    this.stepBtn = btn("step", () => this.stepOnce());
    this.resetBtn = btn("surfReset", () => this.control("reset"));
    this.speed = h("input", { type: "range", min: 0, max: SPEEDS.length - 1, step: 1, value: 6, name: "speed", "aria-label": t("surfSpeed"), "data-i18n-label": "surfSpeed" });
    this.speedText = h("span", { class: "surf-speed-text" });
    this.speed.addEventListener("input", () => { this.showSpeed(); if (this.set && this.set.state === "playing") this.control("play"); });
    this.stateText = h("span", { class: "status", role: "status" });
    this.legend = h("div", { class: "surf-legend" });
    const viewBtn = btn("surfResetView", () => this.stage.resetView());
    const stageCard = h("div", { class: "card surf-card" },
      h("div", { class: "surf-controls" }, this.playBtn, this.pauseBtn, this.stepBtn, this.resetBtn,
        h("label", { class: "inline surf-speed" }, h("span", { "data-i18n": "surfSpeed" }, t("surfSpeed")), this.speed, this.speedText),
        this.stateText, viewBtn),
      this.stage.el, this.legend,
      h("p", { class: "muted small", "data-i18n": "surfHelp" }, t("surfHelp")));
    this.fBox = h("div", { class: "plot" });
    this.gBox = h("div", { class: "plot" });
    this.table = h("div", { class: "table-wrap" });
    this.rules = h("div", { class: "stack" });
    const main = h("div", { class: "main" }, stageCard,
      h("div", { class: "charts" },
        h("div", { class: "card chart" }, h("h3", { "data-i18n": "surfFChart" }, t("surfFChart")), this.fBox),
        h("div", { class: "card chart" }, h("h3", { "data-i18n": "surfGChart" }, t("surfGChart")), this.gBox)),
      h("div", { class: "card" }, h("h3", { "data-i18n": "table" }, t("table")), this.table),
      h("div", { class: "card" }, h("h3", { "data-i18n": "updateRule" }, t("updateRule")), this.rules));
    this.root.replaceChildren(h("div", { class: "train surf" }, form, main));
    addSurfaceDownloads(this);
    this.addRow("adam", 0.05);
    this.addRow("gd", 0.001);
    this.showSpeed();
    this.showMode();
    this.pickFunction("rosenbrock");
    onLanguage(() => { this.stage.setLang(language()); this.showSpeed(); this.refresh(true); });
  }

  get fn() { return this.hello.functions.find((f) => f.name === this.fnSel.value); }

  pickFunction(name) {
    if (name) this.fnSel.value = name;
    const fn = this.fn;
    this.fnFormula.textContent = fn.formula;
    this.fp = functionParams(fn, () => { this.stage.setFunction(fn, this.fp.get(), language()); this.changed(); });
    this.fnParams.replaceChildren(this.fp.el);
    this.startSel.replaceChildren(...fn.starts.map((s, i) => h("option", { value: i, title: s.source }, `(${s.x[0]}, ${s.x[1]})`)),
      h("option", { value: "", disabled: true, "data-i18n": "surfOwnStart" }, t("surfOwnStart")));
    this.stage.setFunction(fn, this.fp.get(), language());
    this.setStart(fn.starts[0].x);
  }

  setStart(p) {
    const r = (v) => Number(v.toPrecision(4));
    this.start = [r(p[0]), r(p[1])];
    this.sx.value = this.start[0];
    this.sy.value = this.start[1];
    this.stage.setStart(this.start);
    const i = this.fn.starts.findIndex((s) => s.x[0] === this.start[0] && s.x[1] === this.start[1]);
    this.startSel.value = i < 0 ? "" : String(i);
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
    this.rowBox.append(row.el);
  }

  showMode() {
    const rates = this.modeSel.value === "rates";
    this.ratesField.hidden = !rates;
    this.addBtn.hidden = rates;
    this.rows.forEach((r, i) => { r.el.hidden = rates && i > 0; if (r.lr) r.lr.el.hidden = rates && i === 0; });
    this.changed();
  }

  showSpeed() {
    const s = SPEEDS[Number(this.speed.value)];
    this.speedText.textContent = s ? `${s} ${t("stepsPerSec")}` : t("surfMax");
  }

  /** optimizers lists the trajectories to start: the rows, or one row at each rate. */
  optimizers() {
    if (this.modeSel.value !== "rates") return this.rows.map((r) => r.value());
    const rates = this.rates.value.split(/[,\s]+/).filter(Boolean).map(Number);
    if (!rates.length || rates.some((x) => !(x > 0))) throw new Error(`${t("rates")}: ${t("ratesHint")}`);
    return rates.map((lr) => this.rows[0].value(lr));
  }

  /** changed forgets the current set: the next Play starts a new one. */
  changed() {
    if (!this.stage) return;
    if (this.set && this.set.id) this.store.command({ type: "trajDelete", traj: this.set.id });
    this.set = null;
    this.stage.setTrajs([]);
    this.stage.inspect(null);
    this.colors = this.rows.map((_, i) => palette[i % palette.length]);
    this.rows.forEach((r, i) => { r.swatch.style.background = this.modeSel.value === "rates" ? "transparent" : this.colors[i]; });
    const used = this.modeSel.value === "rates" ? this.rows.slice(0, 1) : this.rows;
    this.rules.replaceChildren(...[...new Set(used.map((r) => r.spec))].map((s) =>
      h("div", {}, h("b", {}, s.title), h("div", { class: "formula small" }, s.formula))));
    this.refresh(true);
  }

  startSet(rate, then) {
    this.error.textContent = "";
    let optimizers;
    try { optimizers = this.optimizers(); } catch (e) { this.error.textContent = e.message; return; }
    const fp = this.fp.get();
    const cmd = { type: "trajStart", fn: this.fn.name, start: this.start, optimizers,
      steps: Number(this.steps.value), tol: Number(this.tol.value) };
    if (Object.keys(fp).length) cmd.fnParams = fp;
    if (rate !== null) cmd.rate = rate;
    const set = { id: null, state: "starting", trajs: optimizers.map((o, i) =>
      ({ label: o.label, params: o.params, color: palette[i % palette.length], points: [] })) };
    this.set = set;
    set.req = this.store.command(cmd, (ev) => {
      if (this.set !== set) { // forgotten while it was starting
        if (ev.type === "trajCreated") this.store.command({ type: "trajDelete", traj: ev.traj });
        return;
      }
      if (ev.type === "error") { this.error.textContent = errorText(ev); this.set = null; }
      if (ev.type === "trajCreated") { set.id = ev.traj; if (then) then(); }
    });
    this.stage.setTrajs(set.trajs);
    this.refresh(true);
  }

  rate() { return SPEEDS[Number(this.speed.value)]; }

  play() {
    if (!this.set) return this.startSet(this.rate());
    if (this.set.state === "done") this.control("reset");
    this.control("play");
  }

  stepOnce() {
    if (!this.set) return this.startSet(null, () => this.control("step"));
    this.control("step");
  }

  control(action) {
    if (!this.set || !this.set.id) return;
    const cmd = { type: "trajControl", traj: this.set.id, action };
    if (action === "play") cmd.rate = this.rate();
    this.store.command(cmd, (ev) => { if (ev.type === "error") this.error.textContent = errorText(ev); });
  }

  /** handle takes the surface explorer's events from the socket. */
  handle(ev) {
    if (ev.type === "hello" && this.set) { this.set = null; this.refresh(false); }
    const set = this.set;
    if (!set || ev.traj !== set.id) return;
    if (ev.type === "trajPoints") {
      for (const it of ev.points) {
        const tr = set.trajs[it.trajectory];
        if (it.step === 0) tr.points = [it]; else tr.points.push(it);
      }
      this.stage.draw();
      this.refresh(false);
    } else if (ev.type === "trajStatus") {
      set.state = ev.state;
      this.refresh(true);
    }
  }

  /** refresh redraws the read-outs, at most every 150 ms unless now. */
  refresh(now) {
    if (!now) {
      if (!this.pending) this.pending = setTimeout(() => { this.pending = 0; this.refresh(true); }, 150);
      return;
    }
    const trajs = this.set ? this.set.trajs : [];
    const state = this.set ? this.set.state : "";
    this.stateText.textContent = state ? t(`surfState_${state}`) : "";
    this.pauseBtn.disabled = state !== "playing";
    this.resetBtn.disabled = !this.set;
    this.legend.replaceChildren(...trajs.map((tr) => h("span", { class: "surf-legend-item" },
      h("span", { class: "swatch", style: `background:${tr.color}` }), tr.label)));
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
      this.fChart = new Chart(this.fBox, { xLabel: t("step"), logY: log, height: 220, series });
      this.gChart = new Chart(this.gBox, { xLabel: t("step"), logY: true, height: 220, series });
    }
    const n = Math.max(0, ...trajs.map((tr) => tr.points.length));
    const x = Array.from({ length: n }, (_, i) => i);
    const pos = (v) => (v > 0 && isFinite(v) ? v : null);
    this.fChart.setData([x, ...trajs.map((tr) => x.map((i) => tr.points[i] ? (log ? pos(tr.points[i].f - fn.fMin) : tr.points[i].f) : null))]);
    this.gChart.setData([x, ...trajs.map((tr) => x.map((i) => tr.points[i] ? pos(Math.hypot(...tr.points[i].grad)) : null))]);
  }

  redraw() { if (this.stage) this.stage.load(0); }
}
