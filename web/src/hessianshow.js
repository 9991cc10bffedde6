// The Hessian panel's answer (a hessianResult): each number with a line that
// says what it means, the spectral density on a log axis with the top
// eigenvalues marked, and the sharpest direction, the eigenvector of λmax
// on the first layer, as the weights view draws the weights (one 28×28 tile
// per hidden unit). Its figures are the server's: the page posts the result
// back to /api/export/hessian/{density|eigenvalues}.{png|svg|csv}.
import { t, language } from "./i18n.js";
import { h, tx } from "./forms.js";
import { Chart, palette, vline } from "./charts.js";
import { HessianAt } from "./protocol.js";
import { decodeBase64, fmtNum } from "./format.js";
import { drawWeights } from "./pictures.js";
import { downloadMenu } from "./downloads.js";

/** paramsOf is the number of parameters of a network 784 → hidden… → 10: Σ (inputs + 1)·outputs. */
export function paramsOf(arch) {
  const sizes = [784, ...arch.hidden, 10];
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += (sizes[i - 1] + 1) * sizes[i];
  return n;
}

const LMAX_COLOR = palette[6]; // as λmax on the sharpness chart and the figures
const DENSITY_COLOR = palette[0];

/** shown keeps the density's values within six decades of its peak, the part a log axis can show (the tails underflow to 0). */
const shown = (ys) => { const top = Math.max(...ys); return ys.map((y) => (y > top * 1e-6 ? y : null)); };

export class HessianResult {
  constructor() {
    this.res = null;
    this.menu = downloadMenu(() => this.items());
    this.head = h("p", { class: "hess-head" });
    this.numbers = h("dl", { class: "hess-numbers" });
    this.densityBox = h("div", { class: "plot", "data-chart": "hess-density" });
    this.densityFig = h("figure", { class: "hess-fig" }, tx("h4", "hessDensity"), this.densityBox, tx("figcaption", "hessDensityNote", { class: "hint" }));
    this.tiles = h("canvas", { class: "hess-tiles", width: 289, height: 289, role: "img", "data-i18n-label": "hessSharpest", "aria-label": t("hessSharpest") });
    this.tilesFig = h("figure", { class: "hess-fig" }, tx("h4", "hessSharpest"), this.tiles, tx("figcaption", "hessSharpestNote", { class: "hint" }));
    this.el = h("div", { class: "hess-result", hidden: true }, this.head, this.numbers, h("div", { class: "hess-figs" }, this.densityFig, this.tilesFig));
  }

  /** show draws the answer res to the request for the target tg (hessianpanel.js). */
  show(res, tg, hello) {
    this.res = res;
    this.tg = tg;
    this.hello = hello;
    this.el.hidden = false;
    this.write();
    this.densityFig.hidden = !res.density;
    if (res.density) this.plotDensity();
    this.tilesFig.hidden = !res.sharpest;
    if (res.sharpest) drawWeights(this.tiles, { units: res.sharpest.units, bytes: decodeBase64(res.sharpest.pixels) });
  }

  /** where says which weights were analysed: "r3 at its weights now (step 1,240)". */
  where() {
    const r = this.res, name = r.run || r.model;
    if (r.at === HessianAt.model) return t("hessAtModelHead", { name });
    if (r.at === HessianAt.current) return t("hessAtNowHead", { name, step: r.step.toLocaleString() });
    return r.epoch > 0 ? t("hessAtEpochHead", { name, e: r.epoch, step: r.step.toLocaleString() }) : t("hessAtStartHead", { name });
  }

  /** write fills the headline and the numbers, each with its meaning. */
  write() {
    const r = this.res, eig = r.eigenvalues, lmax = eig[0], n = paramsOf(this.tg.arch);
    this.head.textContent = `${this.where()} · ${t("hessOnImages", { n: r.examples.toLocaleString() })}`;
    const rate = lmax > 0 ? fmtNum(2 / lmax, 3) : "–";
    const lmaxNote = !(lmax > 0) ? t("hessLmaxNone") : this.tg.lr ? t("hessLmaxRun", { rate, lr: this.tg.lr }) : t("hessLmaxNote", { rate });
    const chips = h("span", { class: "hess-eigs" }, eig.map((v, k) => h("span", { class: v < 0 ? "hess-eig neg" : "hess-eig", title: `λ${k + 1}` },
      v < 0 ? `${fmtNum(v, 4)} (${t("hessNegative")})` : fmtNum(v, 4))));
    const rows = [
      ["λmax", fmtNum(lmax, 4), lmaxNote],
      [t("hessTopK", { k: eig.length }), chips, `${t("hessTopNote")} ${t(r.converged ? "hessConverged" : "hessNotConverged")}`],
      [t("hessTrace"), `${fmtNum(r.trace, 4)} ± ${fmtNum(r.traceStdErr, 2)}`, t("hessTraceNote", { n: n.toLocaleString(), p: r.traceProbes })],
      [t("hessLoss"), fmtNum(r.loss, 4), t("hessLossNote", { n: r.examples.toLocaleString() })],
      [t("hessCostTerm"), t("hessCost", { n: r.hvps, s: fmtNum(r.seconds, 2) }), t("hessCostNote", { n: n.toLocaleString() })],
    ];
    this.numbers.replaceChildren(...rows.map(([term, value, note]) => h("div", { class: "hess-row" },
      h("dt", {}, term), h("dd", {}, h("span", { class: "hess-value" }, value), h("span", { class: "hint" }, note)))));
  }

  plotDensity() {
    const d = this.res.density, eig = this.res.eigenvalues;
    if (this.chart) this.chart.destroy();
    this.chart = new Chart(this.densityBox, { xLabel: () => t("axisEigen"), yLabel: () => t("axisDensity"), logY: true, height: 220, legend: false,
      series: [{ label: "φ(λ)", color: DENSITY_COLOR, width: 2 }],
      draw: (u) => eig.forEach((v, k) => vline(u, v, LMAX_COLOR, k === 0 ? "λmax" : "")) });
    this.chart.setData([d.x, shown(d.y)]);
  }

  /** caption is the figures' line of settings: the network, its weights and the probe set. */
  caption() {
    const r = this.res;
    return `${this.where()} · ${t("hessOnImages", { n: r.examples.toLocaleString() })} · ${t("hessCost", { n: r.hvps, s: fmtNum(r.seconds, 2) })}`;
  }

  /** items are the ⤓ menu's: the density's and the eigenvalues' figures, and the CSV, posted with the result. */
  items() {
    const r = this.res;
    if (!r) return [];
    const body = () => ({ lang: language(), caption: this.caption(), result: { ...r, sharpest: undefined } });
    const post = (kind, ext) => ({ url: `/api/export/hessian/${kind}.${ext}`, body, name: `descent-hessian-${r.run || r.model}-${kind}.${ext}` });
    const out = r.density ? [{ key: "hessDlDensityPNG", post: post("density", "png") }, { key: "hessDlDensitySVG", post: post("density", "svg") }] : [];
    return [...out, { key: "hessDlEigenPNG", post: post("eigenvalues", "png") }, { key: "hessDlEigenSVG", post: post("eigenvalues", "svg") },
      { key: "dlCSV", post: post("eigenvalues", "csv") }];
  }

  relabel() {
    if (!this.res) return;
    this.write();
    if (this.res.density) this.plotDensity();
  }
}
