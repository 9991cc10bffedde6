// The loss landscape's colour scale, the same as the surface explorer's
// figures (server/figures/field.go, levels.go, ticks.go): Moreland's
// Kindlmann map from dark at the lowest loss to light at the highest, on a
// log scale of J − min J when the values span decades, with contour levels
// evenly spaced in the scale and round ticks on the colour bar.

// HEAT is figures' surfaceColors: Kindlmann at 0.05 + 0.83·i/255 for i in
// 0…255, darkest first (a browser test compares it with the figures').
const HEAT_HEX =
  "1c07271d07291e082b1f082d20082f21083122083323083624083825073a26073c27073e2806412906432b05452c0548" +
  "2d044a2e044c2e044e2f045030045230045431045631045832045a33045c33045f340461340463350465350567360569" +
  "36056b37056d3805703805723905743905763a05783a057a3b057d3b067f3b06813c06833c06853d06883d068a3e068c" +
  "3e068e3f06903e0a923d0d923d11933c14933b16943a1995391b95381d96371f9736219735239834259933279932289a" +
  "302a9b2f2c9b2e2d9c2c2f9d2b319d29329e27349f25359f2337a02138a11f39a11c3ba2193ca3163ea3123fa40e40a4" +
  "0842a50c43a31045a112469f14489d16499b184b99194c961a4e941b4f921c51901c528e1c548c1d558a1d57881c5886" +
  "1c59841c5b821b5c7f1a5d7d195f7b1860791762771563751364731166710e676f0a686c056a6a056b6b056b6d056c6e" +
  "066d70066e72066f73076f7507707607717807727a07737b08737d08747e087580087682087783087785097887097988" +
  "097a8a097b8c097b8d097c8f097d91097e92097f94097f9609809709819908829b08839c08849e0884a00885a10886a3" +
  "0787a50788a60789a80d8aa7188ba21f8c9c248e97288f912b908c2d92862f938130947b31967531977031996a319a64" +
  "309b5e2f9d582d9e522ba04c28a14524a33e20a4371ba52e13a72508a81a0ea91913aa1918ab191bac181fac1822ad17" +
  "25ae1728af172ab0162db1162fb21532b31534b31436b41438b5133ab6133cb7123eb81240b91142b91144ba1046bb0f" +
  "48bc0f49bd0e4bbe0d4dbf0c4fc00b50c00b52c10a54c20958c3085dc30862c40866c4086bc5086fc50873c60877c608" +
  "7bc6087fc70883c70887c8088ac8088ec90892c90895c90899ca089cca08a0cb08a3cb09a7cb09aacc09adcc09b1cc09" +
  "b4cd09b7cd09bacd09bece09c1ce09c4ce0ac6cf1ac8cf25cbd02ecdd035cfd13dd1d143d3d249d5d24fd7d255d9d35b" +
  "dbd360ddd465ded46be0d570e2d575e4d67ae6d67fe7d684e9d789ebd78eecd893eed897f0d99cf1d9a1f3daa6f4daab";

/** heatHex are the 256 colours as "#rrggbb". */
export const heatHex = [];
for (let i = 0; i < HEAT_HEX.length; i += 6) heatHex.push(`#${HEAT_HEX.slice(i, i + 6)}`);
const heatRGB = heatHex.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));

/** NAN_RGB is the colour of a loss that is not finite (an overflow far from the centre). */
export const NAN_RGB = [0xc8, 0xc8, 0xc8];

/** heatRGBAt is the colour at fraction f of the scale, as the heat map's index round(f·255). */
export function heatRGBAt(f) {
  const i = Math.round(Math.min(Math.max(f, 0), 1) * (heatRGB.length - 1));
  return heatRGB[i];
}

export const LOG_DECADES = 2; // figures.LogDecades
const LOG_FLOOR = 1e-5; // figures.LogFloor
export const LEVELS = 14; // figures.DefaultLevels

/**
 * Scale maps a loss J to [0, 1] along the colours: linearly, or as
 * log₁₀(J − min + ε) with ε = (max − min)·10⁻⁵ when the values span more
 * than LOG_DECADES decades above their minimum, measured as
 * log₁₀((max − min)/(J₁₀ − min)) with J₁₀ the 10th percentile.
 */
export class Scale {
  /** values: the finite losses shown. */
  constructor(values) {
    const v = Float64Array.from(values.filter(Number.isFinite)).sort();
    this.empty = v.length === 0;
    this.min = this.empty ? 0 : v[0];
    this.max = this.empty ? 1 : v[v.length - 1];
    const q = this.empty ? 0 : v[Math.floor(v.length / 10)];
    const spread = this.max === this.min ? 0 : Math.log10((this.max - this.min) / (q - this.min));
    this.log = spread > LOG_DECADES;
    this.eps = (this.max - this.min) * LOG_FLOOR;
    this.lo = this.apply(this.min);
    this.hi = this.apply(this.max);
  }

  apply(z) { return this.log ? Math.log10(Math.max(z - this.min, 0) + this.eps) : z; }
  invert(v) { return this.log ? Math.pow(10, v) - this.eps + this.min : v; }

  /** frac is J's place along the colours, in [0, 1]. */
  frac(z) { return this.hi > this.lo ? (this.apply(z) - this.lo) / (this.hi - this.lo) : 0.5; }

  /** levels are LEVELS contour levels, in the scale's units, strictly between the lowest and highest. */
  levels(n = LEVELS) {
    if (!(this.hi > this.lo)) return [];
    return Array.from({ length: n }, (_, k) => this.lo + ((this.hi - this.lo) * (k + 1)) / (n + 1));
  }

  /** ticks are the colour bar's labelled values: [{f, label}] with f in [0, 1]. */
  ticks() {
    if (!(this.max > this.min)) return [];
    const out = [];
    const add = (z, label) => { const f = this.frac(z); if (f >= -1e-9 && f <= 1 + 1e-9) out.push({ f, label }); };
    if (this.log) logTicks(this.eps, this.max - this.min).forEach(([v, label]) => add(this.min + v, label));
    else niceTicks(this.min, this.max).forEach(([v, label]) => add(v, label));
    return out;
  }
}

/** niceTicks are about five round values in [lo, hi] at 1, 2 or 5 × 10ᵏ, labelled with the decimals the step needs. */
export function niceTicks(lo, hi) {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const raw = (hi - lo) / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw * (1 - 1e-9));
  const prec = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k <= Math.floor(hi / step + 1e-9); k++) {
    const v = k * step;
    out.push([v, (v === 0 ? 0 : v).toFixed(prec)]);
  }
  return out;
}

/** logTicks are the powers of ten in [lo, hi] (and 2 and 5 × 10ᵏ within two decades), written as plain decimals. */
function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi)), few = b - a <= 2, out = [];
  for (let k = a; k <= b; k++) {
    for (const m of few ? [1, 2, 5] : [1]) {
      const v = Number(`${m}e${k}`);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push([v, k >= -4 && k <= 5 ? v.toFixed(Math.max(0, -k)) : `${m}e${k}`]);
    }
  }
  return out;
}
