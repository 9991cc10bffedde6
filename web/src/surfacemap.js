// The one mapping between a function's domain and the surface image's
// pixels, the same formula as figures.Domain.ToPixel on the server:
//
//   px = l + (x − xMin)/(xMax − xMin)·(r − l)
//   py = t + (yMax − y)/(yMax − yMin)·(b − t)
//
// where area = {l, t, r, b} is the image's data area (the X-Plot-Area header)
// in image pixels. The origin is the image's top-left corner and y grows
// down, while the data's y grows up. A page that shows the image at a scale s
// (CSS width over the PNG's width) multiplies px and py by s.

/** toPixel maps (x, y) of dom onto the image's area. */
export function toPixel(dom, area, x, y) {
  return [
    area.l + ((x - dom.xMin) / (dom.xMax - dom.xMin)) * (area.r - area.l),
    area.t + ((dom.yMax - y) / (dom.yMax - dom.yMin)) * (area.b - area.t),
  ];
}

/** fromPixel is toPixel's inverse. */
export function fromPixel(dom, area, px, py) {
  return [
    dom.xMin + ((px - area.l) / (area.r - area.l)) * (dom.xMax - dom.xMin),
    dom.yMax - ((py - area.t) / (area.b - area.t)) * (dom.yMax - dom.yMin),
  ];
}

/** parseArea reads "l,t,r,b". */
export function parseArea(s) {
  const [l, t, r, b] = String(s).split(",").map(Number);
  return { l, t, r, b };
}

/** scaleArea multiplies an area by s (image pixels to CSS pixels). */
export function scaleArea(a, s) {
  return { l: a.l * s, t: a.t * s, r: a.r * s, b: a.b * s };
}

export const MIN_WIDTH = 1e-6, MAX_WIDTH = 1e6, MAX_COORD = 1e6;

/**
 * zoomAbout scales dom by f (> 1 zooms out) around the point (x, y), which
 * stays where it is, within the server's limits on widths and coordinates.
 */
export function zoomAbout(dom, f, x, y) {
  const w = dom.xMax - dom.xMin, hgt = dom.yMax - dom.yMin;
  const k = Math.min(Math.max(f, MIN_WIDTH / Math.min(w, hgt)), MAX_WIDTH / Math.max(w, hgt));
  return clampDomain({
    xMin: x - (x - dom.xMin) * k, xMax: x + (dom.xMax - x) * k,
    yMin: y - (y - dom.yMin) * k, yMax: y + (dom.yMax - y) * k,
  });
}

/** pan moves dom by (dx, dy) in data units. */
export function pan(dom, dx, dy) {
  return clampDomain({ xMin: dom.xMin + dx, xMax: dom.xMax + dx, yMin: dom.yMin + dy, yMax: dom.yMax + dy });
}

function clampDomain(d) {
  const shift = (lo, hi) => (lo < -MAX_COORD ? -MAX_COORD - lo : hi > MAX_COORD ? MAX_COORD - hi : 0);
  const sx = shift(d.xMin, d.xMax), sy = shift(d.yMin, d.yMax);
  return { xMin: d.xMin + sx, xMax: d.xMax + sx, yMin: d.yMin + sy, yMax: d.yMax + sy };
}

/**
 * imageTransform is the CSS matrix that moves an image drawn for domain d0
 * to where it belongs in the view of domain d, while its replacement loads.
 */
export function imageTransform(d0, d, a) {
  const kx = (d0.xMax - d0.xMin) / (d.xMax - d.xMin), ky = (d0.yMax - d0.yMin) / (d.yMax - d.yMin);
  const w = a.r - a.l, hgt = a.b - a.t;
  const tx = a.l * (1 - kx) + ((d0.xMin - d.xMin) / (d.xMax - d.xMin)) * w;
  const ty = a.t * (1 - ky) + ((d.yMax - d0.yMax) / (d.yMax - d.yMin)) * hgt;
  return `matrix(${kx},0,0,${ky},${tx},${ty})`;
}
