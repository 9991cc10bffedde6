// The Train view's hook for the Hessian: the Sharpness chart, second among
// the charts (sharpchart.js), and the Hessian panel below the pictures
// (hessianpanel.js), for a server that tracks sharpness (hello.hessian).
// The view calls draw(run, moment) when its steps redraw, so that a replay
// shows the sharpness of its moment.
import { onLanguage } from "./i18n.js";
import { tracks } from "./sharpness.js";
import { SharpnessCard } from "./sharpchart.js";
import { HessianPanel } from "./hessianpanel.js";
import { Change } from "./store.js";

/** trainHessian mounts the chart and the panel in view (train.js) and returns {draw(r, i)}. */
export function trainHessian(view) {
  const hello = view.store.hello;
  if (!tracks(hello)) return { draw() {} };
  const card = new SharpnessCard(hello, view.source, () => { view.form.edge(); view.form.submit(); });
  const charts = view.charts.el;
  charts.insertBefore(card.el, charts.children[1] || null); // after the loss, before the epochs' charts
  const panel = new HessianPanel(view.store, view.source);
  view.root.querySelector(".main").append(panel.el);
  onLanguage(() => card.relabel());
  const online = () => { card.edge.disabled = !view.store.online; };
  view.store.on((kind) => { if (kind === Change.online) online(); });
  online();
  return {
    card, panel,
    draw(r, i) { card.draw(r, i); panel.watch(r); },
  };
}
