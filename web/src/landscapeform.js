// The Landscape panel's settings: the plane (for a run; a sweep has one
// plane), and folded under "Range and resolution" the points a side (up to
// the server's maxLandscapeGrid), the range, the training images (up to
// maxLandscapeImages) and the test images; then whether the slice is made
// again after each epoch of a live run. command() is the landscape
// command's settings.
import { t } from "./i18n.js";
import { h, tx, live, field, more, nextId } from "./forms.js";
import { Plane } from "./protocol.js";

const GRIDS = [11, 21, 31, 51, 101, 201, 401];
const DEFAULT_GRID = 51; // Li et al.'s (protocol.LandscapeGrid)
const RANGES = [0.25, 0.5, 1, 2, 5, 10, 20];
const IMAGES = [1000, 2500, 10000];
const DEFAULT_IMAGES = 10000; // protocol.LandscapeExamples

export class LandscapeForm {
  /** kind is "run" or "sweep"; limits are hello.limits. */
  constructor(kind, limits) {
    this.kind = kind;
    this.limits = limits;
    this.plane = h("select", { name: "landPlane" }, [Plane.pca, Plane.random].map((p) => tx("option", `landPlane_${p}`, { value: p })));
    this.grid = h("select", { name: "landGrid" }, grids(limits.maxLandscapeGrid).map((n) => live(h("option", { value: n }), (el) => {
      el.textContent = n === DEFAULT_GRID ? t("landGridLi", { n }) : `${n} × ${n}`;
    })));
    this.grid.value = String(Math.min(DEFAULT_GRID, limits.maxLandscapeGrid));
    this.range = h("select", { name: "landRange" }, h("option", { value: "" }), RANGES.map((r) => h("option", { value: r }, `±${r}`)));
    const most = Math.min(limits.maxLandscapeImages, limits.trainSize);
    this.images = h("select", { name: "landImages" }, images(most).map((n) => h("option", { value: n }, n.toLocaleString("en"))));
    this.images.value = String(Math.min(DEFAULT_IMAGES, most));
    this.test = checkbox("landTest", "landTestToo");
    this.follow = checkbox("landFollow", "landFollowBox");
    this.plane.addEventListener("change", () => this.relabel());
    this.more = more("landMore", h("div", { class: "stack" },
      h("div", { class: "row2" }, field("landGrid", this.grid), field("landRange", this.range)),
      field("landImages", this.images), this.test.el), () => this.note());
    this.more.addEventListener("change", () => this.more.note());
    this.plane.id = nextId();
    this.planeField = h("div", { class: "land-plane-pick" }, tx("label", "landPlane", { for: this.plane.id }), this.plane);
    this.planeField.hidden = kind !== "run";
    this.relabel();
  }

  /** planeName is the plane asked for: a sweep's is always its PCA plane. */
  get planeName() { return this.kind === "run" ? this.plane.value : Plane.pca; }

  /** command is the landscape command's settings, without its source. */
  command() {
    const cmd = { grid: Number(this.grid.value), examples: Number(this.images.value) };
    if (this.kind === "run") cmd.plane = this.plane.value;
    if (this.range.value) cmd.range = Number(this.range.value);
    if (this.test.input.checked) cmd.testExamples = Math.min(cmd.examples, this.limits.testSize, this.limits.maxLandscapeImages);
    if (this.follow.input.checked) cmd.follow = true;
    return cmd;
  }

  /** note is the folded settings in words: "51 × 51 · the path + 15 % · 10,000 images". */
  note() {
    const parts = [`${this.grid.value} × ${this.grid.value}`, this.range.value ? `±${this.range.value}` : this.autoRange(),
      t("landImagesN", { n: Number(this.images.value).toLocaleString("en") })];
    if (this.test.input.checked) parts.push(t("landTestShort"));
    return parts.join(" · ");
  }

  autoRange() { return t(this.planeName === Plane.random ? "landRangeRandom" : "landRangePath"); }

  relabel() {
    this.range.options[0].textContent = this.autoRange();
    this.more.note();
  }
}

/** checkbox is a box with its label (an i18n key) after it. */
function checkbox(name, key) {
  const input = h("input", { type: "checkbox", name, id: nextId() });
  return { input, el: h("div", { class: "field check" }, input, h("label", { for: input.id, "data-i18n": key }, t(key))) };
}

/** grids are the sides offered: the usual ones up to the server's limit, and the limit itself. */
function grids(most) {
  const out = GRIDS.filter((n) => n <= most);
  if (!out.includes(most)) out.push(most);
  return out;
}

/** images are the training images offered, up to most (the server's limit and the data set's size). */
function images(most) {
  const out = IMAGES.filter((n) => n < most);
  out.push(most);
  return out;
}
