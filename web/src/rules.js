// The update rule of a method, written from the values the form holds: a
// term whose coefficient is zero is left out, so that plain SGD reads as the
// report's θ ← θ − α∇J(θ), and Nesterov, momentum, weight decay or
// AMSGrad show up as they are switched on. One notation everywhere: J the
// loss, θ the parameters, g = ∇J(θ) (plus λθ with weight decay), as torch
// computes them (torch.optim's documentation, 2.x).
import { t } from "./i18n.js";

const G = "∇J(θ)";

/** gradient is g: ∇J(θ), or ∇J(θ) + λθ with weight decay λ (L2, added to the gradient as torch does). */
function gradient(v) { return v.weightDecay ? `${G} + λθ` : G; }

/** wrap parenthesises a sum that a product takes. */
function wrap(s) { return /[+−]/.test(s) ? `(${s})` : s; }

function sgdRule(v) {
  const g = gradient(v), mu = v.momentum || 0, tau = v.dampening || 0;
  if (!mu) return [`θ ← θ − α${wrap(g)}`];
  const fresh = tau ? `(1 − τ)${wrap(g)}` : g;
  const buf = `b ← μb + ${fresh}`;
  return v.nesterov ? [buf, `θ ← θ − α(${g} + μb)`] : [buf, "θ ← θ − αb"];
}

function adagradRule(v) {
  const g = v.weightDecay ? "g = ∇J(θ) + λθ" : "g = ∇J(θ)";
  const rate = v.lrDecay ? "αₜ = α/(1 + (t − 1)η)" : null;
  const a = rate ? "αₜ" : "α";
  const out = [g, v.initialAccumulatorValue ? "s ← s + g², s₀ > 0" : "s ← s + g²", `θ ← θ − ${a}g/(√s + ε)`];
  return rate ? [out[0], rate, ...out.slice(1)] : out;
}

function rmspropRule(v) {
  const out = [v.weightDecay ? "g = ∇J(θ) + λθ" : "g = ∇J(θ)", "v ← ρv + (1 − ρ)g²"];
  let den = "√v + ε";
  if (v.centered) { out.push("ḡ ← ρḡ + (1 − ρ)g"); den = "√(v − ḡ²) + ε"; }
  if (v.momentum) out.push(`b ← μb + g/(${den})`, "θ ← θ − αb");
  else out.push(`θ ← θ − αg/(${den})`);
  return out;
}

function adamRule(v, decoupled) {
  const out = [];
  if (decoupled && v.weightDecay) out.push("θ ← θ(1 − αλ)");
  out.push(!decoupled && v.weightDecay ? "g = ∇J(θ) + λθ" : "g = ∇J(θ)");
  out.push("m ← β₁m + (1 − β₁)g", "v ← β₂v + (1 − β₂)g²", "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)");
  if (v.amsgrad) out.push("v̂ₘₐₓ ← max(v̂ₘₐₓ, v̂)", "θ ← θ − α m̂/(√v̂ₘₐₓ + ε)");
  else out.push("θ ← θ − α m̂/(√v̂ + ε)");
  return out;
}

function newtonRule(v, damped) {
  const a = v.lr === 1 || v.lr == null ? "" : "α";
  if (!damped) return [`θ ← θ − ${a}H⁻¹∇J(θ)`];
  return [`θ ← θ − ${a}(H + λI)⁻¹∇J(θ)`, t("ruleDamping")];
}

const rules = {
  gd: () => [`θ ← θ − α${G}`],
  sgd: sgdRule,
  momentum: sgdRule,
  nesterov: (v) => sgdRule({ ...v, nesterov: 1 }),
  adagrad: adagradRule,
  rmsprop: rmspropRule,
  adam: (v) => adamRule(v, false),
  adamw: (v) => adamRule(v, true),
  newton: (v) => newtonRule(v, false),
  "newton-damped": (v) => newtonRule(v, true),
  "newton-ls": () => ["d ← −(H + λI)⁻¹∇J(θ)", `θ ← θ + t d, ${t("ruleLineSearch")}`, t("ruleDamping")],
  cg: (v) => ["d ← −∇J(θ) + βd", `θ ← θ + t d, ${t("ruleLineSearch")}`, v.fletcherReeves ? t("ruleFR") : t("rulePR")],
  bfgs: () => ["d ← −B⁻¹∇J(θ)", `θ ← θ + t d, ${t("ruleLineSearch")}`, t("ruleBFGS")],
};

/**
 * updateRule is the rule of spec's method for the values v (every
 * hyperparameter by name, the defaults filled in), one line per assignment,
 * or the server's formula for a method this table does not know.
 */
export function updateRule(spec, v) {
  const r = rules[spec.name];
  return r ? r(v).join(";  ") : spec.formula;
}

/** values fills the hyperparameters a form left out with the method's defaults. */
export function withDefaults(spec, given) {
  const v = {};
  for (const p of spec.params) v[p.name] = p.default;
  return { ...v, ...given };
}
