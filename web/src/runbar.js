// The Train view's run bar: which run is watched, its controls, its status
// and headline, its progress, its pace while it trains, and its replay once
// it is over.
import { t } from "./i18n.js";
import { h, tx, paceSelect } from "./forms.js";
import { Cmd, Status, isTraining, isEnded } from "./protocol.js";
import { fmtNum, runNumber } from "./format.js";
import { optimizerTitle, runLabel } from "./labels.js";
import { statusText, summaryLine, progressLine, resumeFrom } from "./pictures.js";
import { Replay } from "./replay.js";

export class RunBar {
  /** hooks: {watch(id), control(type), rename(), pace(seconds), moment(i)} */
  constructor(hello, hooks) {
    this.hello = hello;
    this.sel = h("select", { "aria-label": t("run"), "data-i18n-label": "run", name: "run" });
    this.sel.addEventListener("change", () => hooks.watch(this.sel.value));
    const btn = (key, f) => tx("button", key, { type: "button", onclick: f });
    this.btns = {
      pause: btn("pause", () => hooks.control(Cmd.pause)), resume: btn("resume", () => hooks.control(Cmd.resume)),
      stop: btn("stop", () => hooks.control(Cmd.stop)), rename: btn("rename", () => hooks.rename()),
      del: btn("delete", () => hooks.control(Cmd.delete)),
    };
    this.status = h("span", { class: "status", role: "status", "aria-live": "polite" });
    this.summary = h("p", { class: "summary", "aria-live": "polite" });
    this.note = h("p", { class: "muted small resume-note" });
    this.bar = h("progress", { max: 1, value: 0, "aria-label": t("progress"), "data-i18n-label": "progress" });
    this.progress = h("span", { class: "muted" });
    this.pace = paceSelect("runPace");
    this.pace.addEventListener("change", () => hooks.pace(Number(this.pace.value)));
    this.paceLabel = h("label", { class: "inline run-pace", hidden: true }, tx("span", "pace"), this.pace);
    this.replay = new Replay((i) => hooks.moment(i));
    this.el = h("div", { class: "card runbar" },
      h("div", { class: "runbar-top" }, h("label", { class: "inline" }, tx("span", "watching"), this.sel), this.status),
      this.summary,
      h("div", { class: "buttons" }, ...Object.values(this.btns), this.paceLabel),
      this.note,
      h("div", { class: "progress" }, this.bar, this.progress),
      this.replay.el);
  }

  /** list fills the run picker, newest first (again after a change of language). */
  list(runs, current) {
    const sorted = [...runs].sort((a, b) => runNumber(b.id) - runNumber(a.id));
    this.sel.replaceChildren(...sorted.map((r) => h("option", { value: r.id }, runName(r, this.hello))));
    if (current) this.sel.value = current;
    this.sel.disabled = runs.length === 0;
  }

  /** render shows run r (or none); online and paceable say what the server can do now. */
  render(r, { online, paceable }) {
    const st = r ? r.info.status : null;
    const b = this.btns;
    b.pause.disabled = !online || !(st === Status.running || st === Status.queued) || r.info.paused;
    b.resume.disabled = !online || !(r && (r.info.paused || st === Status.interrupted)); // an interrupted run restarts
    b.stop.disabled = !online || !(st === Status.running || st === Status.paused || st === Status.queued);
    b.del.disabled = b.rename.disabled = !online || !r;
    this.paceLabel.hidden = !(paceable && r && isTraining(st));
    if (r && r.info.pace && document.activeElement !== this.pace) this.pace.value = String(r.info.pace.epochSeconds);
    this.status.textContent = r ? statusText(r.info) : "";
    this.status.className = `status st-${st}`;
    this.summary.textContent = r ? summaryLine(r.info) : "";
    this.note.textContent = st === Status.interrupted ? t("resumeFrom", { k: resumeFrom(r.info), n: r.info.config.epochs }) : "";
    b.resume.title = st === Status.interrupted ? this.note.textContent : "";
    const p = r ? progressLine(r) : { fraction: 0, text: "" };
    this.bar.value = p.fraction;
    this.progress.textContent = p.text;
    this.replay.show(r, r && isEnded(st));
  }
}

/** runName is a run's line in a picker: "r3 · SGD α=0.1 b=64", or its label. */
export function runName(r, hello) {
  const c = r.info.config;
  const sp = hello.optimizers.find((s) => s.name === c.optimizer);
  const base = r.info.label ? runLabel(r, hello) : `${optimizerTitle(sp)} α=${fmtNum(c.lr)} b=${c.batch}`;
  return `${r.id} · ${base}`;
}
