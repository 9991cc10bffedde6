// The run forms' data and tracking settings: train on the first N training
// images (config.trainExamples; empty is all), so that a batch of N is
// full-batch gradient descent at a few steps a second, the setting of the
// edge of stability (Cohen et al. 2021); and whether the run's sharpness
// λmax is tracked beside it (start's and sweep's "sharpness" option: on by
// default for a run started alone, off for a comparison unless asked).
import { t } from "./i18n.js";
import { h, tx, live, field, numberInput, nextId } from "./forms.js";

export class DataFields {
  /** trackDefault: whether runs without the option are tracked (hello.hessian.sharpness.start or .sweep). */
  constructor(hello, trackDefault, name) {
    const all = hello.limits.trainSize;
    this.all = all;
    this.trackDefault = trackDefault;
    this.n = numberInput("", { min: 1, max: all, step: 1, name: `${name}Examples` });
    live(this.n, (el) => { el.placeholder = t("dataAll", { n: all }); });
    this.track = h("input", { type: "checkbox", name: `${name}Track`, id: nextId("track") });
    this.track.checked = trackDefault;
    this.el = h("div", { class: "stack data-fields" },
      field("dataExamples", this.n, tx("small", "dataExamplesHint", { class: "hint" })),
      h("div", { class: "field check" }, this.track, h("label", { for: this.track.id, "data-i18n": "dataTrack" }, t("dataTrack")),
        tx("small", "dataTrackHint", { class: "hint" })));
  }

  /** examples is N, or 0 for all the training images. */
  examples() {
    const v = Math.round(Number(this.n.value));
    return v > 0 && v < this.all ? v : 0;
  }

  /** size is the number of images a run trains on. */
  size() { return this.examples() || this.all; }

  /** changed counts the settings away from their defaults, for the note of "More". */
  changed() { return (this.examples() ? 1 : 0) + (this.track.checked === this.trackDefault ? 0 : 1); }

  /** apply writes N into a config; a batch larger than N is N (full-batch). */
  apply(config) {
    const n = this.examples();
    if (!n) return config;
    config.trainExamples = n;
    if (config.batch > n) config.batch = n;
    return config;
  }

  /** option is the start's or sweep's sharpness option: only what differs from the server's default. */
  option() {
    if (this.track.checked === this.trackDefault) return undefined;
    return this.track.checked ? {} : { track: false };
  }

  /** set fills the fields: N (0 for all) and tracking. */
  set(n, track) {
    this.n.value = n > 0 ? String(n) : "";
    this.track.checked = track;
    this.n.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

/**
 * EDGE is the edge of stability's run: full-batch gradient descent on the
 * first 2,000 training images at α = 2 (2/α = 1), 300 steps as fast as it
 * goes, tracked. λmax starts near 3.9, above 2/α: the first steps throw the
 * network to where λmax is just under 1, and it falls from there (measured
 * on this server, README "Sharpness and the Hessian on the page").
 */
export const EDGE = { optimizer: "sgd", lr: 2, examples: 2000, epochs: 300, pace: 0 };
