// A finished run played again: a scrubber over its steps and a play button.
// The view draws the charts, the confusion matrix and the weights of the
// moment the scrubber is at; at its right end the run is shown whole.
import { t } from "./i18n.js";
import { h, tx } from "./forms.js";

const SECONDS_PER_EPOCH = 2; // a replay plays an epoch in about 2 s
const MAX_SECONDS = 30;

export class Replay {
  /** onMoment(i) is called with the step index shown, or null for the whole run. */
  constructor(onMoment) {
    this.onMoment = onMoment;
    this.slider = h("input", { type: "range", min: 0, max: 0, step: 1, value: 0, name: "replay", "aria-label": t("replayStep"), "data-i18n-label": "replayStep" });
    this.playBtn = h("button", { type: "button", class: "replay-play", "data-act": "replay", onclick: () => this.toggle() });
    this.text = h("span", { class: "replay-text muted" });
    this.el = h("div", { class: "replay", hidden: true }, tx("span", "replay", { class: "replay-title" }), this.playBtn, this.slider, this.text);
    this.slider.addEventListener("input", () => { this.stop(); this.moved(); });
    this.n = 0;
    this.timer = 0;
    this.label();
  }

  /** show fits the scrubber to run's steps; a run that is not over hides it. */
  show(run, ended) {
    const n = run ? run.steps.step.length : 0;
    this.el.hidden = !(ended && n > 1);
    if (this.el.hidden) { this.stop(); this.run = null; return; }
    const atEnd = this.run !== run || Number(this.slider.value) >= this.n - 1;
    this.run = run;
    this.n = n;
    this.slider.max = String(n - 1);
    if (atEnd) this.slider.value = String(n - 1);
    this.label();
  }

  /** moment is the step index shown, or null when the whole run is. */
  moment() {
    if (this.el.hidden || !this.run) return null;
    const i = Number(this.slider.value);
    return i >= this.n - 1 && !this.timer ? null : i;
  }

  moved() {
    this.label();
    this.onMoment(this.moment());
  }

  label() {
    this.playBtn.textContent = this.timer ? t("pause") : t("replayPlay");
    const i = Number(this.slider.value);
    const s = this.run ? this.run.steps.step[i] : 0;
    const spe = this.run ? this.run.info.stepsPerEpoch || 1 : 1;
    this.text.textContent = this.run ? t("replayAt", { step: s.toLocaleString(), epoch: (s / spe).toFixed(1) }) : "";
  }

  toggle() { if (this.timer) this.stop(); else this.play(); }

  play() {
    if (!this.run) return;
    if (Number(this.slider.value) >= this.n - 1) this.slider.value = "0";
    const epochs = this.run.info.config.epochs || 1;
    const seconds = Math.min(MAX_SECONDS, SECONDS_PER_EPOCH * epochs);
    const perFrame = Math.max(1, this.n / (seconds * 60));
    let at = Number(this.slider.value);
    const tick = () => {
      at = Math.min(this.n - 1, at + perFrame);
      this.slider.value = String(Math.round(at));
      const end = at >= this.n - 1;
      if (end) this.timer = 0; else this.timer = requestAnimationFrame(tick);
      this.moved();
    };
    this.timer = requestAnimationFrame(tick);
    this.label();
  }

  stop() {
    if (!this.timer) return;
    cancelAnimationFrame(this.timer);
    this.timer = 0;
    this.label();
  }
}
