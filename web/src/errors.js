// A refused command, said in the page's language: by the error's code (the
// kind of refusal), its field (as the label of its control), its value and
// what is allowed. The server's English message is the fallback for an
// error without a code.
import { t, has } from "./i18n.js";
import { Ev, ErrorCode } from "./protocol.js";
import { fieldLabel } from "./labels.js";

/** errorText writes an error event for people: "Refused: Learning rate α: 0 is out of range (allowed: (0, 1000])". */
export function errorText(ev, hello) {
  const field = fieldLabel(ev.field, hello);
  const vars = { field, value: ev.value ?? "", allowed: ev.allowed ?? "" };
  const code = ev.code && ev.code !== ErrorCode.invalid && has(`err_${ev.code}`) ? ev.code : null;
  let body;
  if (code) {
    const key = !vars.value && has(`err_${code}0`) ? `err_${code}0` : `err_${code}`;
    body = t(key, vars);
    if (field && !t(key).includes("{field}") && code !== ErrorCode.limit) body = `${field}: ${body}`;
    if (ev.allowed && code !== ErrorCode.limit && code !== ErrorCode.tooLarge) body += ` (${t("allowed")}: ${ev.allowed})`;
  } else {
    body = field ? `${field}: ${ev.message}` : ev.message;
    if (ev.allowed) body += ` (${t("allowed")}: ${ev.allowed})`;
  }
  return `${t("errorPrefix")}: ${body}`;
}

/**
 * ErrorLine is an element that shows the latest refusal of one part of a
 * view; attempt() clears it at the start of the next try, so that a stale
 * error never stays beside a new answer.
 */
export class ErrorLine {
  constructor(el, hello) { this.el = el; this.hello = hello; }
  attempt() { this.el.textContent = ""; }
  show(ev) { this.el.textContent = errorText(ev, this.hello()); }
  say(text) { this.el.textContent = text; }
  /** answer is a command callback that shows a refusal and passes the other events on. */
  answer(then) {
    return (ev) => {
      if (ev.type === Ev.error) this.show(ev);
      else if (then) then(ev);
    };
  }
}
