// View 1: start a run and watch it learn, then play it again. The view
// holds its parts (trainform.js, runbar.js, traincharts.js,
// trainpictures.js) and redraws each only when its data changed.
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Cmd, Ev, Status, isEnded, features } from "./protocol.js";
import { TrainForm } from "./trainform.js";
import { trainHessian } from "./trainhessian.js";
import { RunBar } from "./runbar.js";
import { TrainCharts } from "./traincharts.js";
import { TrainPictures } from "./trainpictures.js";
import { Change } from "./store.js";
import { trainLandscape } from "./landscape.js";

const WEIGHTS_AT_GAP = 150; // ms between two weightsAt asked while scrubbing
// Part are the parts of the view that redraw on their own.
const Part = Object.freeze({ bar: "bar", steps: "steps", epochs: "epochs", weights: "weights" });
const REDRAW_GAP = 80; // ms: steps come faster than a chart needs

export class TrainView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.current = null; // the run watched
    this.dirty = new Set(); // parts to redraw: bar, steps, epochs, weights
    store.on((kind, arg) => this.onStore(kind, arg));
    onLanguage(() => this.relabel());
  }

  /** source is what the downloads and charts ask of the view: the watched run and the smoothing. */
  get source() {
    return { id: () => this.current, run: () => this.run(), smoothing: () => Math.min(Number(this.charts.smooth.value), 0.99) };
  }

  run() { return this.current ? this.store.run(this.current) : null; }

  build() {
    const hello = this.store.hello;
    this.features = features(hello);
    this.form = new TrainForm(hello, (cmd) => this.start(cmd));
    this.form.showPace(this.features.pace);
    this.bar = new RunBar(hello, {
      watch: (id) => this.watch(id), control: (type) => this.control(type), rename: () => this.rename(),
      pace: (s) => this.setPace(s), moment: () => this.mark(Part.steps, Part.epochs, Part.weights),
    });
    this.charts = new TrainCharts(this.source);
    this.charts.smooth.addEventListener("input", () => this.mark(Part.steps));
    this.charts.logY.addEventListener("change", () => { this.charts.setLogY(this.charts.logY.checked); this.mark(Part.steps); });
    this.pictures = new TrainPictures(this.source, hello.samples);
    this.buildEmpty();
    const main = h("div", { class: "main" }, this.bar.el, this.charts.el, this.pictures.el);
    this.root.replaceChildren(h("div", { class: "train" }, this.form.el, main));
    this.landscape = trainLandscape(this, main);
    this.bar.list(this.store.runs.values(), null);
    this.pickRun();
    this.online();
    this.hess = trainHessian(this); // the sharpness chart and the Hessian panel
  }

  /** buildEmpty is what the loss chart shows before any run: how to begin, and the report's run in one click. */
  buildEmpty() {
    this.reportBtn = tx("button", "trainReport", { type: "button", class: "primary", "data-act": "trainReport", onclick: () => this.trainReport() });
    this.charts.empty.replaceChildren(tx("p", "noRun", { class: "muted" }), this.reportBtn, tx("p", "trainReportNote", { class: "muted small" }));
  }

  /** trainReport starts the report's network and settings (hello's defaults) at the default pace. */
  trainReport() {
    const d = this.store.hello.defaults;
    this.start({ config: { arch: d.arch, optimizer: d.optimizer, lr: d.lr, batch: d.batch, epochs: d.epochs, seed: d.seed }, pace: 10 });
  }

  /** start sends a start command from the form (or the report's button) and watches the run it creates. */
  start({ config, pace, sharpness }) {
    const cmd = { type: Cmd.start, config };
    if (sharpness) cmd.sharpness = sharpness;
    if (this.features.pace) cmd.pace = { epochSeconds: pace };
    this.form.error.attempt();
    this.store.command(cmd, this.form.error.answer((ev) => {
      if (ev.type !== Ev.runCreated) return;
      this.watch(ev.run.id);
      if (window.innerWidth < 980) this.bar.el.scrollIntoView({ behavior: "smooth" });
    }));
  }

  control(type) {
    const r = this.run();
    if (!r) return;
    if (type === Cmd.resume && r.info.status === Status.interrupted) type = Cmd.restart; // from its last checkpoint
    this.form.error.attempt();
    this.store.command({ type, run: r.id }, this.form.error.answer());
  }

  setPace(seconds) {
    const r = this.run();
    if (r) this.store.command({ type: Cmd.pace, run: r.id, epochSeconds: seconds }, this.form.error.answer());
  }

  /** rename asks for a new name for the watched run; the store keeps it. */
  rename() {
    const r = this.run();
    if (!r) return;
    const name = window.prompt(t("renamePrompt"), r.info.label || "");
    if (name === null || name.trim() === "") return;
    this.form.error.attempt();
    this.store.command({ type: Cmd.rename, run: r.id, name: name.trim() }, this.form.error.answer());
  }

  watch(id) {
    if (!this.store.run(id)) return;
    this.current = id;
    this.bar.sel.value = id;
    this.store.subscribe(id, true);
    this.mark(Part.bar, Part.steps, Part.epochs, Part.weights);
  }

  /** pickRun watches the newest run started for the Train view (not a comparison's, not a range test), if any. */
  pickRun() {
    if (this.current && this.store.run(this.current)) return this.watch(this.current);
    this.current = null;
    const own = [...this.store.runs.values()].filter((r) => !r.info.sweep && !r.info.config.lrRange);
    if (own.length) this.watch(own[own.length - 1].id);
    else this.mark(Part.bar, Part.steps, Part.epochs, Part.weights);
  }

  onStore(kind, arg) {
    if (!this.bar) return;
    if (kind === Change.hello || kind === Change.runs || kind === Change.status) this.bar.list(this.store.runs.values(), this.current);
    if (kind === Change.hello) { this.features = features(this.store.hello); this.form.showPace(this.features.pace); this.pickRun(); }
    if (kind === Change.runs && !this.current) this.pickRun();
    if (kind === Change.runs && this.current && !this.store.run(this.current)) this.pickRun(); // deleted
    if (kind === Change.online) this.online();
    if (arg !== this.current) return;
    if (kind === Change.status || kind === Change.runs) this.mark(Part.bar, Part.steps, Part.epochs); // a replay may end with a new status
    if (kind === Change.steps) this.mark(Part.bar, Part.steps);
    if (kind === Change.epoch) this.mark(Part.epochs);
    if (kind === Change.weights) this.mark(Part.weights);
  }

  online() {
    const hello = this.store.hello;
    this.form.online(this.store.online, hello && hello.role === "watch");
    this.reportBtn.disabled = !this.store.online;
    this.mark(Part.bar);
  }

  /** mark asks for the parts to be redrawn in a coming frame, at most one every REDRAW_GAP. */
  mark(...parts) {
    parts.forEach((p) => this.dirty.add(p));
    if (this.timer) return;
    this.timer = setTimeout(() => requestAnimationFrame(() => { this.timer = 0; this.redraw(); }), REDRAW_GAP);
  }

  /** redraw draws the parts marked dirty, at the replay's moment when one is chosen. */
  redraw() {
    if (!this.bar) return;
    const r = this.run(), d = this.dirty;
    this.dirty = new Set();
    this.charts.empty.hidden = !!r;
    if (d.has(Part.bar) || d.has(Part.steps)) this.bar.render(r, { online: this.store.online, paceable: this.features.pace });
    if (this.hess && d.has(Part.steps)) this.hess.draw(r, r ? this.bar.replay.moment() : null);
    if (!r) { this.charts.clear(); this.pictures.epoch(null); this.pictures.weights(null); return; }
    const i = this.bar.replay.moment();
    const step = i == null ? Infinity : r.steps.step[i];
    const spe = r.info.stepsPerEpoch || 1;
    const ep = i == null ? r.epochs : r.epochs.filter((e) => e.epoch * spe <= step);
    if (d.has(Part.steps)) this.charts.steps(r, i);
    if (d.has(Part.epochs) || d.has(Part.steps) && i != null) { this.charts.epochs(ep); this.pictures.epoch(ep[ep.length - 1] || null); }
    if (d.has(Part.weights) || d.has(Part.steps) && i != null) this.pictures.weights(this.weightsAt(r, i == null ? null : step));
  }

  /** weightsAt is the kept snapshot at or before step (asking the server for it), or the latest weights. */
  weightsAt(r, step) {
    if (step == null || !r.snapshots) return r.weights;
    let best = null;
    for (const w of r.snapshots.values()) if (w.step <= step && (!best || w.step > best.step)) best = w;
    if (this.features.weightsAt && isEnded(r.info.status) && (!best || best.step !== step)) this.askWeights(r.id, step);
    return best || r.weights;
  }

  /** askWeights asks once for the weights of a moment; the answer is kept in the run's snapshots. */
  askWeights(id, step) {
    const key = `${id}@${step}`;
    if (this.asked === key) return;
    this.asked = key;
    clearTimeout(this.weightsTimer);
    this.weightsTimer = setTimeout(() => this.store.command({ type: Cmd.weightsAt, run: id, step }), WEIGHTS_AT_GAP);
  }

  relabel() {
    if (!this.bar) return;
    applyStatic(this.root);
    this.charts.relabel();
    this.pictures.relabel();
    this.bar.list(this.store.runs.values(), this.current);
    this.mark(Part.bar, Part.steps, Part.epochs);
  }
}
