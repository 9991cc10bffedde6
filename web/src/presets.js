// The learning rates that the surface's learning-rate mode starts with, per
// function: four rates of gradient descent from the function's first start
// that show it crawl, zig-zag, overshoot and diverge. On a quadratic with
// Hessian H, gradient descent θ ← θ − α∇J(θ) converges exactly when
// α < 2/λmax(H) (λmax the largest eigenvalue): a step shrinks the error
// along each eigenvector by |1 − αλ|. Where H is constant (the quadratic
// bowl, Booth) the rates are 0.2, 1.2, 1.9 and 2.1 over λmax; elsewhere
// they are read from λmax of H at the minimum and at the start and checked
// by running gradient descent (TestBrowserSurfacePresets runs each with optim).

// FACTORS multiply 1/λmax: crawl, zig-zag, overshoot (each step jumps past the
// valley's floor, |1 − αλ| = 0.9), diverge (|1 − αλ| = 1.1).
const FACTORS = [0.2, 1.2, 1.9, 2.1];

const fixed = {
  // λmax(H) = 18 everywhere (H = [[10, 8], [8, 10]]).
  booth: { lmax: 18, steps: 300 },
  // H = diag(2, −2): every rate escapes the saddle along y, the smallest slowest; α > 1/2 zig-zags in x.
  saddle: { rates: [0.02, 0.1, 0.5, 0.95], steps: 300 },
  // λmax = 1002 at the minimum (1, 1), 2092 at the start (−1.5, 2).
  rosenbrock: { rates: [0.0002, 0.001, 0.002, 0.0022], steps: 2000, lmax: 1002 },
  // λmax = 49 at the minimum (3, 0.5), 78 at the start (1, 1).
  beale: { rates: [0.002, 0.045, 0.07, 0.1], steps: 1000, lmax: 49 },
  // λmax = 134 at the minimum (3, 2) that the start (0, 0) leads to.
  himmelblau: { rates: [0.0005, 0.022, 0.03, 0.04], steps: 300, lmax: 134 },
  // λmax = 397 at the local minimum near the start (3.2, −2.1); the overshoot jumps between basins.
  rastrigin: { rates: [0.0001, 0.004, 0.3, 1.2], steps: 300, lmax: 397 },
  // λmax = 40 at the start (−1.5, −1), 16.5 at the minimum it reaches.
  camel: { rates: [0.0025, 0.1, 0.15, 0.2], steps: 300, lmax: 40 },
  // λmax = 80 at the start (4, 4), 35 at the minimum (2.75, 2.75).
  "styblinski-tang": { rates: [0.0005, 0.05, 0.08, 0.12], steps: 300, lmax: 80 },
  // λmax = 7·10⁵ at the start (−0.5, 1.5): only tiny rates survive its first steps.
  "goldstein-price": { rates: [3e-7, 3e-6, 8e-6, 1.2e-5], steps: 2000, lmax: 7.01e5 },
};

const round = (x) => Number(x.toPrecision(2));

/**
 * ratePreset returns {rates, steps, lmax} for fn with its parameters fp: the
 * quadratic bowl's λmax is its condition number κ (its eigenvalues are 1
 * and κ), the others' come from the table above.
 */
export function ratePreset(fn, fp = {}) {
  if (fn.name === "quadratic") {
    const lmax = Math.max(1, fp.cond ?? 25);
    return { rates: FACTORS.map((f) => round(f / lmax)), steps: 300, lmax };
  }
  const p = fixed[fn.name];
  if (!p) return { rates: [0.0002, 0.001, 0.002, 0.003], steps: 2000, lmax: null };
  if (p.rates) return { rates: p.rates, steps: p.steps, lmax: p.lmax ?? null };
  return { rates: FACTORS.map((f) => round(f / p.lmax)), steps: p.steps, lmax: p.lmax };
}
