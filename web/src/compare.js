// View 2: runs that differ in one setting, side by side, and the LR range test.
import { t, onLanguage, applyStatic } from "./i18n.js";
import { h, field, numberInput, optimizerSelect, spec } from "./forms.js";
import { Chart, palette, fade, join, marker, vline } from "./charts.js";
import { ema, fmtNum } from "./store.js";
import { statusText, errorText, fmtTime } from "./pictures.js";
import { addCompareDownloads } from "./downloads.js";

const PRESET = [0.001, 0.01, 0.1, 0.5, 1, 5];
// Starting rates for comparing optimizers: each at a rate that suits it.
const OPT_RATES = { gd: 0.1, sgd: 0.1, momentum: 0.01, nesterov: 0.01, adagrad: 0.01, rmsprop: 0.001, adam: 0.001, adamw: 0.001 };
const SMOOTH = 0.6;

export class CompareView {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.sweep = null; // sweep id shown
    this.lrRun = null; // the LR range test run shown
    this.dirty = false;
    store.on((kind, id) => this.onStore(kind, id));
    onLanguage(() => this.relabel());
  }

  build() {
    const hello = this.store.hello;
    this.root.replaceChildren();
    const mode = h("fieldset", { class: "radios" }, h("legend", { "data-i18n": "compareWhat" }, t("compareWhat")));
    for (const [v, key] of [["rates", "cmpRates"], ["optimizers", "cmpOptimizers"], ["batches", "cmpBatches"]]) {
      const id = `mode-${v}`;
      const input = h("input", { type: "radio", name: "cmpmode", value: v, id });
      input.checked = v === "rates";
      input.addEventListener("change", () => this.showMode(v));
      mode.append(h("label", { class: "radio", for: id }, input, h("span", { "data-i18n": key }, t(key))));
    }
    this.opt = optimizerSelect(hello, "sgd");
    this.preset = h("select", { name: "preset" }, h("option", { value: "preset" }, PRESET.join(", ")), h("option", { value: "own", "data-i18n": "ownList" }, t("ownList")));
    this.rates = h("input", { type: "text", inputmode: "decimal", value: PRESET.join(", "), name: "rates" });
    this.preset.addEventListener("change", () => { if (this.preset.value === "preset") this.rates.value = PRESET.join(", "); else this.rates.focus(); });
    this.rates.addEventListener("input", () => { this.preset.value = "own"; });
    this.lr = numberInput(0.1, { min: 0, max: 1000, name: "lr" });
    this.optList = h("div", { class: "opt-list" }, hello.optimizers.filter((s) => s.network).map((s) => {
      const cb = h("input", { type: "checkbox", id: `cmp-${s.name}`, value: s.name });
      cb.checked = ["sgd", "momentum", "adam"].includes(s.name);
      const r = numberInput(OPT_RATES[s.name] ?? 0.01, { min: 0, max: 1000, name: `lr-${s.name}` });
      r.setAttribute("aria-label", `${s.title} α`);
      return h("div", { class: "opt-item" }, cb, h("label", { for: cb.id }, s.title), r);
    }));
    this.batches = h("div", { class: "opt-list" }, [[1, "batchSGD"], [64, "batchMini"], [hello.limits.trainSize, "batchFull"]].map(([b, key]) => {
      const cb = h("input", { type: "checkbox", id: `cmpb-${b}`, value: b });
      cb.checked = true;
      return h("div", { class: "opt-item" }, cb, h("label", { for: cb.id, "data-batch": key }, t(key, { n: hello.limits.trainSize })));
    }));
    this.batch = h("select", { name: "batch" }, [1, 16, 64, 256, hello.limits.trainSize].map((b) => h("option", { value: b }, String(b))));
    this.batch.value = "64";
    this.epochs = numberInput(2, { min: 1, max: hello.limits.maxEpochs, step: 1, name: "epochs" });
    this.seed = numberInput(hello.defaults.seed, { min: 0, max: hello.limits.maxSeed, step: 1, name: "seed" });
    this.error = h("div", { class: "error", role: "alert" });
    this.parts = {
      rates: h("div", { class: "stack" }, field("optimizer", this.opt), field("preset", this.preset), field("rates", this.rates, { key: "ratesHint" })),
      optimizers: h("div", {}, this.optList),
      batches: h("div", { class: "stack" }, this.batches, field("lr", this.lr)),
      batchSel: field("batch", this.batch),
    };
    const form = h("form", { class: "card form", "aria-label": t("compareForm"), "data-i18n-label": "compareForm" },
      h("h2", { "data-i18n": "tabCompare" }, t("tabCompare")), mode,
      this.parts.rates, this.parts.optimizers, this.parts.batches, this.parts.batchSel,
      h("div", { class: "row2" }, field("epochs", this.epochs), field("seed", this.seed)),
      h("p", { class: "muted small", "data-i18n": "cmpNote" }, t("cmpNote")), this.error,
      h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary", "data-i18n": "startSweep" }, t("startSweep"))));
    form.addEventListener("submit", (e) => { e.preventDefault(); this.start(); });

    this.sweepSel = h("select", { "aria-label": t("sweepOf"), "data-i18n-label": "sweepOf" });
    this.sweepSel.addEventListener("change", () => this.show(this.sweepSel.value));
    this.overlayBox = h("div", { class: "plot" });
    this.multiples = h("div", { class: "multiples" });
    this.table = h("div", { class: "table-wrap" });
    this.lrBox = h("div", { class: "plot" });
    this.lrText = h("p", { class: "suggest", role: "status" });
    const lrCard = h("div", { class: "card" },
      h("div", { class: "chart-head" }, h("h3", { "data-i18n": "lrRangeTitle" }, t("lrRangeTitle")),
        h("button", { type: "button", "data-i18n": "lrRangeStart", onclick: () => this.rangeTest() }, t("lrRangeStart"))),
      h("p", { class: "muted small", "data-i18n": "lrRangeNote" }, t("lrRangeNote")), this.lrBox, this.lrText);
    const main = h("div", { class: "main" },
      h("div", { class: "card runbar" }, h("label", { class: "inline" }, h("span", { "data-i18n": "sweepOf" }, t("sweepOf")), this.sweepSel)),
      h("div", { class: "card chart" }, h("h3", { "data-i18n": "overlay" }, t("overlay")), this.overlayBox),
      h("div", { class: "card" }, h("h3", { "data-i18n": "multiples" }, t("multiples")), this.multiples),
      h("div", { class: "card" }, h("h3", { "data-i18n": "table" }, t("table")), this.table),
      lrCard);
    this.root.append(h("div", { class: "train" }, form, main));
    addCompareDownloads(this);
    this.overlay = null;
    this.small = new Map();
    this.lrChart = new Chart(this.lrBox, { xLabel: "α", logX: true, height: 220, series: [
      { label: t("raw"), color: fade(palette[0], 0.25), width: 1 }, { label: t("smoothed"), color: palette[0], width: 2 }],
    draw: (u) => { if (this.suggested) vline(u, this.suggested, palette[1], t("suggested", { lr: fmtNum(this.suggested, 2) })); } });
    this.showMode("rates");
    this.refreshSweeps();
    this.redraw();
  }

  showMode(m) {
    this.mode = m;
    this.parts.rates.hidden = m !== "rates";
    this.parts.optimizers.hidden = m !== "optimizers";
    this.parts.batches.hidden = m !== "batches";
    this.parts.batchSel.hidden = m === "batches";
  }

  /** start sends one sweep: identical seed, so identical weights and batches. */
  start() {
    this.error.textContent = "";
    const base = { optimizer: this.opt.value, batch: Number(this.batch.value), epochs: Number(this.epochs.value), seed: Number(this.seed.value) };
    let variants = [];
    if (this.mode === "rates") {
      const rates = this.rates.value.split(/[,\s]+/).filter(Boolean).map(Number);
      if (rates.some((x) => !(x > 0))) { this.error.textContent = `${t("errorPrefix")}: ${t("rates")} — ${t("ratesHint")}`; return; }
      variants = rates.map((lr) => ({ lr, label: `α=${lr}` }));
    } else if (this.mode === "optimizers") {
      this.optList.querySelectorAll("input[type=checkbox]:checked").forEach((cb) => {
        const lr = Number(this.optList.querySelector(`[name=lr-${cb.value}]`).value);
        variants.push({ optimizer: cb.value, lr, label: `${spec(this.store.hello, cb.value).title} α=${lr}` });
      });
    } else {
      base.lr = Number(this.lr.value);
      this.batches.querySelectorAll("input:checked").forEach((cb) => variants.push({ batch: Number(cb.value), label: `batch ${cb.value}` }));
    }
    this.store.command({ type: "sweep", base, variants }, (ev) => {
      if (ev.type === "error") this.error.textContent = errorText(ev);
      if (ev.type === "runCreated") {
        this.store.subscribe(ev.run.id);
        this.show(ev.run.sweep || ev.run.id);
      }
    });
  }

  rangeTest() {
    const config = { optimizer: this.opt.value, lrRange: true, lrMin: 1e-5, lrMax: 10, batch: 64, epochs: 1, seed: Number(this.seed.value) };
    this.store.command({ type: "start", label: "LR range test", config }, (ev) => {
      if (ev.type === "error") this.error.textContent = errorText(ev);
      if (ev.type === "runCreated") { this.lrRun = ev.run.id; this.store.subscribe(ev.run.id); this.schedule(); }
    });
  }

  /** groups returns the sweeps (and single runs) by id, newest last. */
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

  show(key) {
    this.sweep = key;
    const runs = this.groups().get(key) || [];
    runs.forEach((r) => this.store.subscribe(r.id));
    if (this.sweepSel.value !== key) { this.refreshSweeps(); }
    this.schedule();
  }

  refreshSweeps() {
    if (!this.sweepSel) return;
    const g = this.groups();
    const opts = [...g.entries()].filter(([, runs]) => runs.length > 1 || runs[0].info.sweep).map(([key, runs]) =>
      h("option", { value: key }, `${key} · ${runs.map((r) => r.info.label || r.id).join(", ")}`));
    this.sweepSel.replaceChildren(...opts);
    if (!this.sweep && opts.length) this.sweep = opts[opts.length - 1].value;
    if (this.sweep) this.sweepSel.value = this.sweep;
    if (this.sweep) (g.get(this.sweep) || []).forEach((r) => this.store.subscribe(r.id));
    if (!this.lrRun) {
      const lr = [...this.store.runs.values()].filter((r) => r.info.config.lrRange);
      if (lr.length) { this.lrRun = lr[lr.length - 1].id; this.store.subscribe(this.lrRun); }
    }
  }

  onStore(kind) {
    if (!this.sweepSel) return;
    if (kind === "runs" || kind === "hello" || kind === "status") this.refreshSweeps();
    this.schedule();
  }

  schedule() {
    if (this.dirty) return;
    this.dirty = true;
    setTimeout(() => requestAnimationFrame(() => { this.dirty = false; if (!this.root.hidden) this.redraw(); }), 200);
  }

  redraw() {
    if (!this.sweepSel) return;
    const runs = (this.sweep && this.groups().get(this.sweep)) || [];
    this.drawOverlay(runs);
    this.drawMultiples(runs);
    this.drawTable(runs);
    this.drawRange();
  }

  drawOverlay(runs) {
    const key = runs.map((r) => r.id).join(",");
    const tables = runs.map((r) => [r.steps.step.map((s) => s / r.info.stepsPerEpoch), ema(r.steps.loss, SMOOTH)]);
    const lasts = runs.map((r, i) => { const y = tables[i][1]; return { x: tables[i][0][y.length - 1], y: y[y.length - 1] }; });
    // The y-scale ignores diverged runs' blow-up, so that the others stay readable.
    let lo = Infinity, hi = -Infinity;
    runs.forEach((r, i) => {
      const ys = tables[i][1];
      const diverged = r.info.status === "diverged";
      for (const y of ys) if (y != null && (!diverged || y < 2 * Math.log(10))) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    });
    if (!isFinite(lo)) { lo = 0; hi = 2.5; }
    if (!this.overlay || this.overlayKey !== key) {
      if (this.overlay) this.overlay.destroy();
      this.overlayKey = key;
      this.overlay = new Chart(this.overlayBox, { xLabel: t("xEpochs"), height: 280,
        series: runs.map((r, i) => ({ label: r.info.label || r.id, color: palette[i % palette.length], width: 2 })),
        yRange: () => [Math.max(0, this.yr[0] - 0.05 * (this.yr[1] - this.yr[0])), this.yr[1] + 0.05 * (this.yr[1] - this.yr[0] || 1)],
        draw: (u) => this.runsNow.forEach((r, i) => { if (r.info.status === "diverged") marker(u, this.lasts[i].x, this.lasts[i].y, palette[i % palette.length]); }) });
    }
    this.yr = [lo, hi];
    this.runsNow = runs;
    this.lasts = lasts;
    this.overlay.setData(runs.length ? join(tables) : [[]]);
  }

  drawMultiples(runs) {
    const ids = new Set(runs.map((r) => r.id));
    for (const [id, m] of this.small) if (!ids.has(id)) { m.chart.destroy(); m.el.remove(); this.small.delete(id); }
    runs.forEach((r, i) => {
      let m = this.small.get(r.id);
      const color = palette[i % palette.length];
      if (!m) {
        const box = h("div", { class: "plot" });
        const title = h("h4", {});
        const el = h("div", { class: "multiple" }, title, box);
        this.multiples.append(el);
        const lastOf = () => { const s = r.steps; const n = s.step.length; return n ? { x: s.step[n - 1] / r.info.stepsPerEpoch, y: ema(s.loss, SMOOTH)[n - 1] } : {}; };
        m = { el, title, chart: new Chart(box, { xLabel: t("xEpochs"), height: 150, legend: false,
          series: [{ label: t("raw"), color: fade(color, 0.25), width: 1 }, { label: t("smoothed"), color, width: 2 }],
          draw: (u) => { if (r.info.status === "diverged") { const l = lastOf(); marker(u, l.x, l.y, color); } } }) };
        this.small.set(r.id, m);
      }
      m.title.textContent = `${r.info.label || r.id} — ${statusText(r.info)}`;
      m.title.className = r.info.status === "diverged" ? "diverged" : "";
      const s = r.steps;
      m.chart.setData([s.step.map((x) => x / r.info.stepsPerEpoch), s.loss, ema(s.loss, SMOOTH)]);
    });
  }

  drawTable(runs) {
    const head = h("tr", {}, ["colRun", "colStatus", "colLoss", "colAcc", "colTime"].map((k) => h("th", { scope: "col" }, t(k))));
    const rows = runs.map((r, i) => {
      const ep = r.epochs[r.epochs.length - 1];
      const sm = ema(r.steps.loss, SMOOTH);
      const loss = ep ? ep.trainLoss : sm[sm.length - 1];
      const secs = r.info.result ? r.info.result.seconds : null;
      return h("tr", { class: r.info.status === "diverged" ? "diverged" : "" },
        h("td", {}, h("span", { class: "swatch", style: `background:${palette[i % palette.length]}` }), r.info.label || r.id),
        h("td", {}, statusText(r.info)), h("td", { class: "num" }, fmtNum(loss)),
        h("td", { class: "num" }, ep ? `${(ep.testAccuracy * 100).toFixed(2)}%` : "–"),
        h("td", { class: "num" }, secs != null ? fmtTime(secs) : "–"));
    });
    this.table.replaceChildren(h("table", { class: "results" }, h("thead", {}, head), h("tbody", {}, rows)));
  }

  /** drawRange plots loss against rate and marks the steepest descent. */
  drawRange() {
    const r = this.lrRun && this.store.run(this.lrRun);
    if (!r) { this.lrChart.setData([[], [], []]); this.lrText.textContent = ""; return; }
    const s = r.steps, sm = ema(s.loss, 0.9);
    this.suggested = suggest(s.lr, sm);
    this.lrChart.setData([s.lr, s.loss, sm]);
    this.lrText.textContent = this.suggested ? t("suggested", { lr: fmtNum(this.suggested, 2) }) : statusText(r.info);
  }

  relabel() {
    if (!this.sweepSel) return;
    applyStatic(this.root);
    this.overlayKey = null; // rebuilt with the new axis label
    for (const m of this.small.values()) m.chart.relabel(t("xEpochs"), [t("raw"), t("smoothed")]);
    this.lrChart.relabel("α", [t("raw"), t("smoothed")]);
    this.root.querySelectorAll("[data-batch]").forEach((el) => { el.textContent = t(el.dataset.batch, { n: this.store.hello.limits.trainSize }); });
    this.redraw();
  }
}

/** suggest returns the rate where the smoothed loss falls fastest, before its minimum. */
export function suggest(lrs, loss) {
  const n = loss.length;
  if (n < 20) return null;
  let minAt = 0;
  for (let i = 0; i < n; i++) if (loss[i] != null && loss[i] < loss[minAt]) minAt = i;
  let best = null, bestSlope = 0;
  const w = Math.max(2, Math.floor(n / 50));
  for (let i = w; i <= minAt; i++) {
    const slope = (loss[i] - loss[i - w]) / (Math.log(lrs[i]) - Math.log(lrs[i - w]));
    if (slope < bestSlope) { bestSlope = slope; best = lrs[i - Math.floor(w / 2)]; }
  }
  return best;
}
