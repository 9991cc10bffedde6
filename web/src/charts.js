// Thin wrappers around uPlot: a chart that follows its container's width,
// can switch to a log y-axis, and shows values under the cursor in its legend.
import uPlot from "uplot";

// palette is the colour of the i-th run, trajectory or metric, the same in
// the exported figures (figures.Palette): distinguishable, readable on white
// and on the surface's map, and never red, which means "diverged" alone.
export const palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#7b4fa0",
  "#8c6d31", "#3a3a3a", "#00a3a3", "#b8860b", "#5b6bd6", "#9c9c2e"];

/** DIVERGED is the colour of divergence: its ✕ marks, its labels and its rows. */
export const DIVERGED = "#d62728";

export function fade(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}

const axisStyle = { stroke: "#475569", grid: { stroke: "#e2e8f0", width: 1 }, ticks: { stroke: "#cbd5e1", width: 1 } };

/**
 * Chart draws series against a shared x. spec: {xLabel, yLabel, series:
 * [{label, color, width, dash, points}], height, logX, logY, xInt (whole
 * ticks: steps and epochs), xRange(u, min, max), yRange(u, min, max), draw(u),
 * xName (x in the legend, when not xLabel), hooks (more of uPlot's hooks, such as
 * setCursor)}. xLabel, yLabel and xName are functions of the language.
 */
export class Chart {
  constructor(el, spec) {
    this.el = el;
    this.spec = { height: 200, ...spec };
    this.data = [[], ...this.spec.series.map(() => [])];
    this.build();
    // Resizing in the next frame avoids a ResizeObserver loop.
    this.ro = new ResizeObserver(() => requestAnimationFrame(() => this.fit()));
    this.ro.observe(el);
  }

  build() {
    const s = this.spec;
    if (this.u) this.u.destroy();
    this.u = new uPlot({
      width: Math.max(this.el.clientWidth, 200),
      height: s.height,
      scales: {
        x: { time: false, distr: s.logX ? 3 : 1, range: s.xRange },
        y: { distr: s.logY ? 3 : 1, range: s.yRange },
      },
      axes: [{ ...axisStyle, label: s.xLabel(), labelSize: 20, size: 36, incrs: s.xInt ? wholeIncrs : undefined,
        values: (u, vals) => vals.map((v) => fmtTick(u, v)) },
      { ...axisStyle, label: s.yLabel ? s.yLabel() : undefined, labelSize: 20, size: 62, values: (u, vals) => vals.map((v) => fmtTick(u, v)) }],
      series: [{ label: (s.xName || s.xLabel)(), value: (u, v) => (v == null ? "–" : fmtTick(u, v)) },
        ...s.series.map((x) => ({
          label: x.label, stroke: x.color, width: x.width ?? 1.5, dash: x.dash,
          points: { show: x.points ?? false, size: 6, fill: x.color },
          spanGaps: true, show: x.show ?? true,
          value: (u, v) => (v == null ? "–" : fmtTick(u, v)),
        }))],
      legend: { live: true, show: s.legend ?? true },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      hooks: { ...s.hooks, ...(s.draw ? { draw: [s.draw] } : {}) },
    }, this.data, this.el);
  }

  fit() {
    if (!this.u) return;
    const w = Math.max(this.el.clientWidth, 200);
    if (w !== this.u.width) this.u.setSize({ width: w, height: this.spec.height });
  }

  /** setData replaces the data: [x, y1, y2, …]. */
  setData(data) {
    this.data = data;
    this.u.setData(data);
  }

  /** set changes spec fields (e.g. logY, series) and rebuilds the chart. */
  set(changes) {
    Object.assign(this.spec, changes);
    this.build();
  }

  /** relabel renames the series (the axes follow the language by themselves) and redraws. */
  relabel(names = []) {
    names.forEach((n, i) => { if (this.spec.series[i]) this.spec.series[i].label = n; });
    this.build();
  }

  destroy() { this.ro.disconnect(); this.u.destroy(); this.u = null; }
}

// wholeIncrs are the tick steps of steps and epochs: whole numbers only.
const wholeIncrs = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];

function fmtTick(u, v) {
  if (typeof v !== "number") return v;
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(0);
  return Number(v.toPrecision(3)).toString();
}

/** join aligns several (x, y) tables on one x axis, filling gaps with null. */
export function join(tables) {
  if (!tables.length) return [[]];
  return uPlot.join(tables);
}

/** marker draws a ✕ at (x, y) in data coordinates. */
export function marker(u, x, y, color) {
  if (x == null || y == null) return;
  const cx = u.valToPos(x, "x", true), cy = u.valToPos(y, "y", true);
  if (!isFinite(cx) || !isFinite(cy)) return;
  const ctx = u.ctx, r = 6 * devicePixelRatio;
  const top = u.bbox.top, bot = u.bbox.top + u.bbox.height;
  const yy = Math.min(Math.max(cy, top + r), bot - r);
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2.5 * devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(cx - r, yy - r); ctx.lineTo(cx + r, yy + r);
  ctx.moveTo(cx + r, yy - r); ctx.lineTo(cx - r, yy + r);
  ctx.stroke();
  ctx.restore();
}

/** vline draws a dashed vertical line at x with a label. */
export function vline(u, x, color, label) {
  const cx = u.valToPos(x, "x", true);
  if (!isFinite(cx)) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(cx, u.bbox.top);
  ctx.lineTo(cx, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
  const w = ctx.measureText(label).width;
  const tx = cx + 6 * devicePixelRatio + w > u.bbox.left + u.bbox.width ? cx - 6 * devicePixelRatio - w : cx + 6 * devicePixelRatio;
  ctx.fillText(label, tx, u.bbox.top + 14 * devicePixelRatio);
  ctx.restore();
}
