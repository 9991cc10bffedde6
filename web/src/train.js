// View 1: start a run and watch it learn.
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, field, numberInput, optimizerSelect, spec, hyperFields, lrControl, batchControl, scheduleFields } from "./forms.js";
import { Chart, palette, fade } from "./charts.js";
import { ema, fmtNum } from "./store.js";
import { drawWeights, confusionTable, samplesRow, statusText, errorText, progressLine } from "./pictures.js";
import { addTrainDownloads } from "./downloads.js";

export class TrainView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.current = null; // the run watched
    this.dirty = false;
    store.on((kind, id) => this.onStore(kind, id));
    onLanguage(() => this.relabel());
  }

  build() {
    const hello = this.store.hello;
    const d = hello.defaults;
    this.root.replaceChildren();
    // The form.
    const hidden = numberInput(d.arch.hidden[0], { min: 1, max: hello.limits.maxHiddenUnits, step: 1, name: "hidden" });
    const act = h("select", { name: "activation" }, hello.activations.map((a) => h("option", { value: a }, a)));
    act.value = d.arch.activation;
    const opt = optimizerSelect(hello, d.optimizer);
    const formula = h("div", { class: "formula", "aria-live": "polite" });
    const hyperBox = h("div", { class: "sub" });
    let getHyper = () => ({});
    const onOpt = () => {
      const sp = spec(hello, opt.value);
      formula.textContent = sp.formula;
      getHyper = hyperFields(hyperBox, sp);
    };
    opt.addEventListener("change", onOpt);
    const lr = lrControl(d.lr);
    this.batch = batchControl(hello.limits.trainSize, d.batch, "tbatch");
    const epochs = numberInput(d.epochs, { min: 1, max: hello.limits.maxEpochs, step: 1, name: "epochs" });
    const seed = numberInput(d.seed, { min: 0, max: hello.limits.maxSeed, step: 1, name: "seed" });
    const sched = scheduleFields(hello);
    this.formError = h("div", { class: "error", role: "alert" });
    const startBtn = h("button", { type: "submit", class: "primary", "data-i18n": "start" }, t("start"));
    const form = h("form", { class: "card form", "aria-label": t("trainForm"), "data-i18n-label": "trainForm" },
      h("h2", { "data-i18n": "network" }, t("network")),
      h("div", { class: "row2" }, field("hidden", hidden), field("activation", act)),
      h("h2", { "data-i18n": "optimizer" }, t("optimizer")),
      field("optimizer", opt),
      h("div", { class: "label-small", "data-i18n": "updateRule" }, t("updateRule")), formula,
      lr.el, hyperBox, this.batch,
      h("div", { class: "row2" }, field("epochs", epochs), field("seed", seed)),
      sched.el, this.formError,
      h("div", { class: "buttons" }, startBtn));
    onOpt();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.formError.textContent = "";
      const config = {
        arch: { hidden: [Number(hidden.value)], activation: act.value },
        optimizer: opt.value, hyper: getHyper(), lr: lr.get(), batch: this.batch.get(),
        epochs: Number(epochs.value), seed: Number(seed.value), schedule: sched.get(),
      };
      this.store.command({ type: "start", config }, (ev) => {
        if (ev.type === "error") this.formError.textContent = errorText(ev);
        if (ev.type === "runCreated") {
          this.watch(ev.run.id);
          if (window.innerWidth < 980) this.runbar.scrollIntoView({ behavior: "smooth" });
        }
      });
    });

    // The run bar: which run, its controls and progress.
    this.runSel = h("select", { "aria-label": t("run"), "data-i18n-label": "run" });
    this.runSel.addEventListener("change", () => this.watch(this.runSel.value));
    const btn = (key, type) => h("button", { type: "button", "data-i18n": key, onclick: () => this.control(type) }, t(key));
    this.btns = { pause: btn("pause", "pause"), resume: btn("resume", "resume"), stop: btn("stop", "stop"), del: btn("delete", "delete") };
    this.btns.rename = h("button", { type: "button", "data-i18n": "rename", onclick: () => this.rename() }, t("rename"));
    this.status = h("span", { class: "status", role: "status", "aria-live": "polite" });
    this.bar = h("progress", { max: 1, value: 0, "aria-label": t("progress"), "data-i18n-label": "progress" });
    this.progress = h("span", { class: "muted" });
    const runbar = this.runbar = h("div", { class: "card runbar" },
      h("div", { class: "runbar-top" }, h("label", { class: "inline" }, h("span", { "data-i18n": "watching" }, t("watching")), this.runSel), this.status),
      h("div", { class: "buttons" }, this.btns.pause, this.btns.resume, this.btns.stop, this.btns.rename, this.btns.del),
      h("div", { class: "progress" }, this.bar, this.progress));

    // The charts.
    this.smooth = h("input", { type: "range", min: 0, max: 0.99, step: 0.01, value: 0.9, "aria-label": t("smoothing"), "data-i18n-label": "smoothing" });
    this.logY = h("input", { type: "checkbox", id: "logy" });
    this.smooth.addEventListener("input", () => this.redraw());
    this.logY.addEventListener("change", () => { this.lossChart.set({ logY: this.logY.checked }); this.redraw(); });
    const card = (key, extra, ...body) => h("div", { class: "card chart" }, h("div", { class: "chart-head" }, h("h3", { "data-i18n": key }, t(key)), extra), ...body);
    const lossBox = h("div", { class: "plot", "data-chart": "loss" });
    const controls = h("div", { class: "chart-controls" },
      h("label", { class: "inline" }, h("span", { "data-i18n": "smoothing" }, t("smoothing")), this.smooth),
      h("label", { class: "inline", for: "logy" }, this.logY, h("span", { "data-i18n": "logY" }, t("logY"))));
    const boxes = ["acc", "testLoss", "grad", "ratio", "lr"].map((k) => [k, h("div", { class: "plot", "data-chart": k })]);
    const B = Object.fromEntries(boxes);
    this.empty = h("p", { class: "muted empty", "data-i18n": "noRun" }, t("noRun"));
    const charts = h("div", { class: "charts" },
      h("div", { class: "card chart wide" }, h("div", { class: "chart-head" }, h("h3", { "data-i18n": "lossChart" }, t("lossChart")), controls), this.empty, lossBox),
      card("accChart", null, B.acc), card("testLossChart", null, B.testLoss),
      card("gradChart", null, B.grad), card("ratioChart", null, B.ratio));
    const lrCard = card("lrChart", null, B.lr);
    lrCard.classList.add("wide");
    charts.append(lrCard);

    // The pictures.
    this.canvas = h("canvas", { width: 280, height: 280, class: "weights", role: "img", "aria-label": t("weightsTitle"), "data-i18n-label": "weightsTitle" });
    this.confusion = h("div", { class: "confusion" });
    this.samples = h("div", { class: "samples" });
    const pictures = h("div", { class: "pictures" },
      h("div", { class: "card" }, h("h3", { "data-i18n": "weightsTitle" }, t("weightsTitle")), this.canvas, h("p", { class: "muted small", "data-i18n": "weightsNote" }, t("weightsNote"))),
      h("div", { class: "card" }, h("h3", { "data-i18n": "confusionTitle" }, t("confusionTitle")), this.confusion),
      h("div", { class: "card wide" }, h("h3", { "data-i18n": "samplesTitle" }, t("samplesTitle")), this.samples));

    this.root.append(h("div", { class: "train" }, form, h("div", { class: "main" }, runbar, charts, pictures)));
    addTrainDownloads(this.root, () => this.current, () => Math.min(Number(this.smooth.value), 0.99));

    const c = palette[0];
    this.lossChart = new Chart(lossBox, { xLabel: t("step"), height: 240, series: [
      { label: t("raw"), color: fade(c, 0.25), width: 1 }, { label: t("smoothed"), color: c, width: 2 }] });
    // Epoch charts span the whole run from the start; accuracy ends at 100 %.
    const epochSpan = () => { const r = this.current && this.store.run(this.current); return [1, Math.max(2, r ? r.info.config.epochs : 2)]; };
    this.accChart = new Chart(B.acc, { xLabel: t("epoch"), xRange: epochSpan, yRange: (u, lo) => [lo == null ? 0 : Math.max(0, Math.floor(lo - 1)), 100], series: [{ label: `${t("accuracy")} %`, color: palette[2], width: 2, points: true }] });
    this.testLossChart = new Chart(B.testLoss, { xLabel: t("epoch"), xRange: epochSpan, yRange: (u, lo, hi) => [0, hi == null ? 1 : hi * 1.1], series: [
      { label: t("testLoss"), color: palette[1], width: 2, points: true }, { label: t("trainLoss"), color: palette[0], dash: [4, 4], points: true }] });
    this.gradChart = new Chart(B.grad, { xLabel: t("step"), logY: true, series: [{ label: "‖∇J‖", color: palette[3] }] });
    this.ratioChart = new Chart(B.ratio, { xLabel: t("step"), logY: true, series: [{ label: "‖Δw‖/‖w‖", color: palette[4] }] });
    this.lrChart = new Chart(B.lr, { xLabel: t("step"), height: 150, series: [{ label: "α", color: palette[5] }] });
    this.refreshRuns();
    if (!this.current) {
      const runs = [...this.store.runs.values()];
      if (runs.length) this.watch(runs[runs.length - 1].id);
    } else this.watch(this.current);
    this.redraw();
  }

  control(type) {
    if (!this.current) return;
    const r = this.store.run(this.current);
    if (type === "resume" && r && r.info.status === "interrupted") type = "restart"; // from its last checkpoint
    this.store.command({ type, run: this.current }, (ev) => { if (ev.type === "error") this.formError.textContent = errorText(ev); });
  }

  /** rename asks for a new name for the watched run; the store keeps it. */
  rename() {
    const r = this.current && this.store.run(this.current);
    if (!r) return;
    const name = window.prompt(t("renamePrompt"), r.info.label || "");
    if (name === null || name.trim() === "") return;
    this.store.command({ type: "rename", run: r.id, name: name.trim() }, (ev) => { if (ev.type === "error") this.formError.textContent = errorText(ev); });
  }

  watch(id) {
    if (!this.store.run(id)) return;
    this.current = id;
    this.runSel.value = id;
    this.store.subscribe(id, true);
    this.redraw();
  }

  refreshRuns() {
    if (!this.runSel) return;
    const runs = [...this.store.runs.values()];
    this.runSel.replaceChildren(...runs.map((r) => h("option", { value: r.id }, runName(r))));
    if (this.current && !this.store.run(this.current)) this.current = null;
    if (this.current) this.runSel.value = this.current;
    this.runSel.disabled = runs.length === 0;
  }

  onStore(kind, id) {
    if (!this.runSel) return;
    if (kind === "runs" || kind === "hello" || kind === "status") this.refreshRuns();
    if (kind === "runs" && !this.current && this.store.runs.size) {
      const runs = [...this.store.runs.values()];
      this.watch(runs[runs.length - 1].id);
    }
    if (kind === "error" || !id || id === this.current || kind === "runs") this.schedule();
  }

  schedule() {
    if (this.dirty) return;
    this.dirty = true;
    setTimeout(() => requestAnimationFrame(() => { this.dirty = false; this.redraw(); }), 120);
  }

  redraw() {
    if (!this.runSel) return;
    const r = this.current && this.store.run(this.current);
    this.empty.hidden = !!r;
    const st = r ? r.info.status : null;
    this.btns.pause.disabled = !(st === "running" || st === "queued") || r.info.paused;
    this.btns.resume.disabled = !(r && (r.info.paused || st === "interrupted")); // an interrupted run restarts
    this.btns.stop.disabled = !(st === "running" || st === "paused" || st === "queued");
    this.btns.del.disabled = this.btns.rename.disabled = !r;
    if (!r) {
      this.status.textContent = "";
      [this.lossChart, this.accChart, this.testLossChart, this.gradChart, this.ratioChart, this.lrChart].forEach((c) => c.setData(c.data.map(() => [])));
      this.samples.replaceChildren(samplesRow(this.store.hello.samples, null));
      return;
    }
    this.status.textContent = statusText(r.info);
    this.status.className = `status st-${st}`;
    const s = r.steps;
    this.lossChart.setData([s.step, s.loss, ema(s.loss, Number(this.smooth.value))]);
    const ep = r.epochs;
    this.accChart.setData([ep.map((e) => e.epoch), ep.map((e) => e.testAccuracy * 100)]);
    this.testLossChart.setData([ep.map((e) => e.epoch), ep.map((e) => e.testLoss), ep.map((e) => e.trainLoss)]);
    this.gradChart.setData([s.step, s.gradNorm]);
    this.ratioChart.setData([s.step, s.updateRatio]);
    this.lrChart.setData([s.step, s.lr]);
    const p = progressLine(r);
    this.bar.value = p.fraction;
    this.progress.textContent = p.text;
    if (r.weights) drawWeights(this.canvas, r.weights);
    const last = ep[ep.length - 1];
    this.confusion.replaceChildren(last ? confusionTable(last.confusion) : h("p", { class: "muted", text: t("samplesWait") }));
    this.samples.replaceChildren(samplesRow(this.store.hello.samples, last ? last.predictions : null));
  }

  relabel() {
    if (!this.runSel) return;
    applyStatic(this.root);
    this.lossChart.relabel(t("step"), [t("raw"), t("smoothed")]);
    this.accChart.relabel(t("epoch"), [`${t("accuracy")} %`]);
    this.testLossChart.relabel(t("epoch"), [t("testLoss"), t("trainLoss")]);
    [this.gradChart, this.ratioChart, this.lrChart].forEach((c) => c.relabel(t("step"), []));
    this.batch.relabel();
    this.refreshRuns();
    this.redraw();
  }
}

export function runName(r) {
  const c = r.info.config;
  const base = r.info.label || `${c.optimizer} α=${fmtNum(c.lr)} b=${c.batch}`;
  return `${r.id} · ${base}`;
}
