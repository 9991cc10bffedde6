// The websocket protocol's names, as server/protocol.go defines them: the
// command and event types, the run statuses, the trajectory set states and
// the kinds of refusal. Views use these constants, never the strings.

/** Cmd are the command types the page sends. */
export const Cmd = Object.freeze({
  start: "start", sweep: "sweep", pause: "pause", resume: "resume", stop: "stop", delete: "delete",
  subscribe: "subscribe", unsubscribe: "unsubscribe", list: "list", restart: "restart", rename: "rename",
  pace: "pace", weightsAt: "weightsAt",
  hessian: "hessian",
  predict: "predict",
  explain: "explain", gradCheck: "gradCheck",
  learnStart: "learnStart", learnStep: "learnStep", learnReset: "learnReset", learnKeep: "learnKeep", learnDrop: "learnDrop",
  modelDelete: "modelDelete",
  trajStart: "trajStart", trajControl: "trajControl", trajDelete: "trajDelete",
  landscape: "landscape", landscapeLine: "landscapeLine", landscapeCancel: "landscapeCancel",
  present: "present",
});

/** Ev are the event types the server sends. */
export const Ev = Object.freeze({
  hello: "hello", runs: "runs", runCreated: "runCreated", history: "history", steps: "steps",
  hessianProgress: "hessianProgress", hessianResult: "hessianResult",
  epoch: "epoch", weights: "weights", status: "status", deleted: "deleted", error: "error",
  prediction: "prediction",
  explanation: "explanation", gradChecked: "gradChecked",
  learnCopy: "learnCopy", learned: "learned", kept: "kept", learnDropped: "learnDropped", models: "models",
  trajCreated: "trajCreated", trajPoints: "trajPoints", trajStatus: "trajStatus",
  landscapeQueued: "landscapeQueued", landscapeStart: "landscapeStart", landscapeRows: "landscapeRows",
  landscapePath: "landscapePath", landscapeDone: "landscapeDone", landscapeLineChart: "landscapeLineChart",
  presented: "presented",
});

/** Detail are the kinds of explanation (Explain.detail): the saliency while drawing, every layer for the chain rule. */
export const Detail = Object.freeze({ saliency: "saliency", layers: "layers" });
/** Plane are a landscape's planes, and Pass the passes of its rows (server/protocol/landscape.go). */
export const Plane = Object.freeze({ pca: "pca", random: "random" });
export const Pass = Object.freeze({ preview: "preview", full: "full" });

/** Status are a run's statuses (RunInfo.status). */
export const Status = Object.freeze({
  queued: "queued", running: "running", paused: "paused", done: "done",
  stopped: "stopped", diverged: "diverged", interrupted: "interrupted",
});

/** TrajState are a trajectory set's states (TrajStatus.state), and TrajAction its actions. */
export const TrajState = Object.freeze({ starting: "starting", paused: "paused", playing: "playing", done: "done", deleted: "deleted" });
export const TrajAction = Object.freeze({ play: "play", pause: "pause", step: "step", reset: "reset" });

/** TrajStatus are a trajectory's statuses (optim.Status). */
export const TrajStatus = Object.freeze({ running: "running", converged: "converged", diverged: "diverged", stepLimit: "stepLimit", failed: "failed" });

/** ErrorCode are the kinds of refusal an error event names in its code. */
export const ErrorCode = Object.freeze({
  missing: "missing", outOfRange: "outOfRange", unknown: "unknown", badType: "badType", tooLarge: "tooLarge",
  limit: "limit", ended: "ended", busy: "busy", watchOnly: "watchOnly", rate: "rate", invalid: "invalid",
});

/** HessianAt are the weights a Hessian is taken at (Hessian.at, HessianResult.at). */
export const HessianAt = Object.freeze({ current: "current", epoch: "epoch", model: "model" });

/** isTraining: the run has a trainer that may still take steps. */
export function isTraining(status) {
  return status === Status.queued || status === Status.running || status === Status.paused;
}

/** isEnded: the run will take no more steps unless it is restarted. */
export function isEnded(status) { return !isTraining(status); }

/**
 * features says which later additions the server speaks: the pace of a run
 * (start's and sweep's "pace", the "pace" command), the "weightsAt" command of
 * a replay, and the LR range test's own figure. They came with protocol
 * version 2; an older server refuses frames that carry them. The
 * derivatives of a drawing (explain, gradCheck, the learn copies) came
 * later under the same version: a server that has them says its learn
 * limits in hello.
 */
export function features(hello) {
  const v2 = !!hello && hello.version >= 2;
  const derivatives = v2 && !!hello.limits && hello.limits.learnQueue > 0;
  return { pace: v2, weightsAt: v2, rangeFigure: v2, explain: derivatives, learn: derivatives };
}
