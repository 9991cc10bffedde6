// The Landscape panel's words built from data: what the plane is, the
// share of the path it holds, how the slice stands, the axes' titles, the
// legend, and the refusals that only a landscape meets, in the page's
// language.
import { t } from "./i18n.js";
import { h } from "./forms.js";
import { Plane, ErrorCode } from "./protocol.js";
import { fmtNum, pct } from "./format.js";
import { SliceState } from "./landscapedata.js";

/** planeLine says in one line what the plane is. */
export function planeLine(kind, plane) {
  if (kind === "sweep") return t("landPlaneSweep");
  return t(plane === Plane.random ? "landPlaneRandomLine" : "landPlanePCALine");
}

/**
 * explainedLine is the share of the path that a PCA plane holds ("this
 * plane holds 87 % of the path"), or on a random plane how little of it
 * lies in the plane.
 */
export function explainedLine(s) {
  const ex = s.start.explained;
  if (ex) {
    const vars = { p: pct(ex[0] + ex[1]), p1: pct(ex[0]), p2: pct(ex[1]) };
    return t(s.start.sweep ? "landHoldsEach" : "landHolds", vars);
  }
  // On a random plane: the share of Σ‖θᵢ − c‖² that lies in it, 1 − Σ dist²/Σ norm².
  let off = 0, all = 0;
  for (const tr of s.tracks) tr.dist.forEach((d, k) => { if (Number.isFinite(d) && Number.isFinite(tr.norm[k])) { off += d * d; all += tr.norm[k] ** 2; } });
  const share = Math.max(0, 1 - off / all);
  return all > 0 ? t("landRandomHolds", { p: pct(share, share < 0.1 ? 1 : 0) }) : "";
}

/**
 * statusLine says how the panel's slice stands: waiting for a slot, the
 * preview's rows, the full pass's, done (with J at the centre and the
 * time), cancelled, cut off or replaced.
 */
export function statusLine({ slice: s, pending, waiting, id, kind, current, live }) {
  if (!id) return t(kind === "run" ? "landNeedRun" : "landNeedSweep");
  if (waiting || (pending && s && pending.req !== s.req)) return t("landQueued"); // a new slice asked for; the last stays in sight meanwhile
  if (!s) return t("landIdle");
  const images = (n) => (n || 0).toLocaleString("en");
  const moving = live && current ? ` ${t("landGrowing")}` : "";
  switch (s.state) {
    case SliceState.queued: return t("landQueued");
    case SliceState.preview: if (!current) return t("landReplaced");
      return t("landPreview", { k: s.rowsDone, n: s.rowsTotal || s.preview.length, p: s.preview.length, images: images(s.examples) });
    case SliceState.full: if (!current) return t("landReplaced");
      return t("landFull", { k: s.rowsDone, n: s.rowsTotal || s.m, images: images(s.examples) });
    case SliceState.cancelled: return t("landCancelled");
    case SliceState.lost: return t("landLost");
    default: break;
  }
  const d = s.done;
  let text = t("landDone", { s: fmtNum(d.seconds.slice, 2), j: fmtNum(d.center), acc: pct(d.centerAccuracy, 1), images: images(s.start.examples) });
  if (pending) text += ` ${t("landNext")}`;
  else if (s.start.follow && live && current) text += ` ${t("landFollowing")}`;
  return text + moving;
}

/** axisTitles are the map's axes: a and b along the plane's directions. */
export function axisTitles(s) {
  const st = s.start, ex = st.explained;
  if (!ex) return { x: t("landAxisDelta"), y: t("landAxisEta") };
  return { x: t(st.sweep ? "landAxisPC1Each" : "landAxisPC1", { p: pct(ex[0]) }), y: t("landAxisPC2", { p: pct(ex[1]) }) };
}

/** legend is a swatch and a name per path (with its own share of a sweep's plane), the current weights' dot and the faded path. */
export function legend(s, source) {
  const items = s.tracks.map((tr) => {
    const ex = tr.explained && s.start.sweep ? ` (${t("landHoldsOwn", { p: pct(tr.explained[0] + tr.explained[1]) })})` : "";
    return h("span", { class: "land-legend-item", "data-run": tr.run },
      h("span", { class: "swatch", style: `background:${source.colorOf(tr.run)}` }), `${source.nameOf(tr.run)}${ex}`);
  });
  items.push(h("span", { class: "land-legend-item" }, h("span", { class: "land-dot" }), t("landCurrent")));
  if (s.tracks.length) items.push(h("span", { class: "land-legend-item" }, h("span", { class: "land-dash" }), t("landFaded")));
  return items;
}

// SYMBOLS are the formula's names written in Latin letters: kept in <code class="sym">, so that the
// Korean page holds no English word outside code.
const SYMBOLS = /(θ_end)/;

/** withSymbols splits text into text and the symbols it names. */
export function withSymbols(text) {
  return text.split(SYMBOLS).filter((x) => x !== "").map((x) => (SYMBOLS.test(x) ? h("code", { class: "sym" }, x) : x));
}

/** refusal is the words of a refusal that only a landscape meets, or null for the page's usual ones (errors.js). */
export function refusal(ev) {
  const key = ev.code === ErrorCode.busy && ev.field === "plane" ? "landErrNoPlane"
    : ev.code === ErrorCode.invalid && ev.field === "run" ? "landErrNoPath"
      : ev.code === ErrorCode.invalid && ev.field === "sweep" && /same weights/.test(ev.allowed || "") ? "landErrOrigins"
        : ev.code === ErrorCode.invalid && ev.field === "sweep" ? "landErrSweepPath" : null;
  return key ? `${t("errorPrefix")}: ${t(key)}` : null;
}
