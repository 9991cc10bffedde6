// The names the page shows for what the server names in code: a
// hyperparameter is labelled in words with its symbol ("Weight decay λ"),
// with what it does and torch's name as the hint; optimizers, functions,
// schedules and activations in the page's language; and the fields that an
// error names, by the label of their control.
import { t, tOr, tIn, has, languages } from "./i18n.js";

// torchNames are the keyword arguments of torch.optim and torch.optim.lr_scheduler.
const torchNames = {
  lr: "lr", momentum: "momentum", dampening: "dampening", weightDecay: "weight_decay", nesterov: "nesterov",
  lrDecay: "lr_decay", initialAccumulatorValue: "initial_accumulator_value", eps: "eps", alpha: "alpha",
  centered: "centered", beta1: "betas[0]", beta2: "betas[1]", amsgrad: "amsgrad",
  stepSize: "step_size", gamma: "gamma", tMax: "T_max", etaMin: "eta_min", warmupSteps: "total_iters", startFactor: "start_factor",
};

/** paramLabel is a hyperparameter's label: "Weight decay λ" (p_weightDecay), else the server's doc. */
export function paramLabel(p) {
  if (has(`p_${p.name}`)) return t(`p_${p.name}`);
  const doc = p.doc || p.name;
  return doc.charAt(0).toUpperCase() + doc.slice(1);
}

/** paramHint is what a hyperparameter does, its range and torch's name: "in the momentum buffer · [0, 1] · torch: dampening". */
export function paramHint(p) {
  const parts = [];
  if (has(`hp_${p.name}`)) parts.push(t(`hp_${p.name}`));
  if (!p.bool && p.min != null) parts.push(`${p.minOpen ? "(" : "["}${p.min}, ${p.max}${p.maxOpen ? ")" : "]"}`);
  return parts.join(" · ");
}

/** torchName is torch's keyword for a hyperparameter, or "". */
export function torchName(name) { return torchNames[name] || ""; }

/** optimizerTitle is a method's name in the page's language ("Gradient descent", "경사 하강법"). */
export function optimizerTitle(spec) { return spec ? tOr(`opt_${spec.name}`, spec.title) : ""; }

/** functionTitle is a test function's name in the page's language. */
export function functionTitle(fn) { return tOr(`fn_${fn.name}`, fn.title); }

/** functionFormula is J(x, y) of a function, with its words translated. */
export function functionFormula(fn) { return tOr(`fnFormula_${fn.name}`, fn.formula); }

/** scheduleTitle is a schedule kind's name. */
export function scheduleTitle(s) { return tOr(`sched_${s.kind}`, s.title); }

/** activationTitle is an activation's name ("sigmoid" → "Sigmoid", "시그모이드"). */
export function activationTitle(a) { return tOr(`act_${a}`, a); }

// fieldKeys are the i18n keys of the controls that an error's field path names.
const fieldKeys = {
  trainExamples: "dataExamples", sharpness: "dataTrack", top: "hessTop", at: "hessAt", density: "hessDensityAsk",
  lr: "lr", batch: "batch", epochs: "epochs", seed: "seed", optimizer: "optimizer", hidden: "hidden",
  activation: "activation", schedule: "schedule", run: "run", name: "renameField", label: "renameField",
  lrMin: "lrMin", lrMax: "lrMax", evalLimit: "evalLimit", variants: "variants", pace: "pace", epochSeconds: "pace",
  fn: "surfFunction", start: "surfStart", steps: "surfSteps", tol: "surfTol", optimizers: "optimizer",
  method: "optimizer", rate: "surfSpeed", traj: "surfSet", pixels: "drawTitle", model: "drawModel", step: "step",
  grid: "landGrid", range: "landRange", domain: "landRange", examples: "landImages", testExamples: "landTestToo",
  plane: "landPlane", follow: "landFollowBox", sweep: "sweepOf",
};

/**
 * fieldLabel is the label of the control behind an error's field path:
 * "config.lr" → "Learning rate α", "variants[2].batch" → "Run 3: Batch size",
 * "config.hyper.weightDecay" → "Weight decay λ"; an unknown path stays as it is.
 */
export function fieldLabel(path, hello) {
  if (!path) return "";
  const parts = path.split(".");
  const last = parts[parts.length - 1].replace(/\[\d+\]$/, "");
  const variant = /variants\[(\d+)\]/.exec(path) || /optimizers\[(\d+)\]/.exec(path);
  let label = fieldKeys[last] ? t(fieldKeys[last]) : null;
  if (!label) {
    const p = findParam(hello, last);
    label = p ? paramLabel(p) : path;
  }
  return variant && last !== "variants" ? `${t("runN", { n: Number(variant[1]) + 1 })}: ${label}` : label;
}

function findParam(hello, name) {
  if (!hello) return null;
  for (const s of [...hello.optimizers, ...hello.schedules, ...hello.functions]) {
    const p = (s.params || []).find((x) => x.name === name);
    if (p) return p;
  }
  return null;
}

// namedKeys are the texts the page itself gives runs as names (the range
// test, the drawing's quick model): in another language they are said anew.
const namedKeys = ["lrRangeTitle", "drawQuickLabel"];

/**
 * runLabel is a run's name in the page's language: a name the page made (a
 * range test's, a sweep's "Adam α=0.001") is made again in the current
 * language; a name the user gave stays. Runs without one are "SGD α=0.1".
 */
export function runLabel(r, hello) {
  const l = r.info.label || "";
  for (const k of namedKeys) if (languages.some((lang) => tIn(lang, k) === l)) return t(k);
  const c = r.info.config, sp = hello.optimizers.find((s) => s.name === c.optimizer);
  const auto = (title) => `${title} α=${c.lr}`;
  if (!l || languages.some((lang) => l === auto(tIn(lang, `opt_${c.optimizer}`) ?? sp.title))) return auto(optimizerTitle(sp));
  return l;
}
