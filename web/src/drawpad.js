// The drawing canvas: strokes from a mouse, a pen or a finger, kept as point
// lists so that Undo can redraw without the last one. White ink on black, as
// MNIST's digits are.

export const SIZE = 280; // backing pixels per side; CSS scales the canvas to fit
export const SEND = 140; // pixels per side sent to the server (26 KB of base64)
// BRUSH is the stroke width in backing pixels. An MNIST stroke is about 2.5
// pixels of a digit 20 pixels tall, one eighth; a digit drawn 200 pixels tall
// here gets the same proportion.
export const BRUSH = 24;
// A drawing is refused as too small when its ink's bounding box is under
// MIN_SIDE of the canvas's side both ways (a digit fills most of the square,
// as MNIST's fill 20 of 28 pixels), and as too sparse when its ink covers
// under MIN_INK of the canvas (a dot, a few specks): the network would
// still answer one of 0–9, and sound sure.
export const MIN_SIDE = 0.3;
export const MIN_INK = 0.02;
const INK_LEVEL = 64; // a pixel of the sent image at or above this grey is ink

export class DrawPad {
  /** onChange is called after every change of the drawing (move, up, undo, clear). */
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.onChange = onChange;
    this.strokes = [];
    this.active = null; // pointerId while a stroke is being drawn
    canvas.width = canvas.height = SIZE;
    canvas.addEventListener("pointerdown", (e) => this.down(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) canvas.addEventListener(type, (e) => this.up(e));
    this.small = document.createElement("canvas");
    this.small.width = this.small.height = SEND;
    this.paint();
  }

  get empty() { return this.strokes.length === 0; }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * SIZE) / r.width, y: ((e.clientY - r.top) * SIZE) / r.height };
  }

  down(e) {
    if (this.active !== null || (e.pointerType === "mouse" && e.button !== 0)) return;
    e.preventDefault();
    this.active = e.pointerId;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.strokes.push([this.point(e)]);
    this.paint();
    this.onChange(false);
  }

  move(e) {
    if (e.pointerId !== this.active) return;
    e.preventDefault();
    const stroke = this.strokes[this.strokes.length - 1];
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) stroke.push(this.point(ev));
    this.paint();
    this.onChange(false);
  }

  up(e) {
    if (e.pointerId !== this.active) return;
    this.active = null;
    this.onChange(true);
  }

  undo() {
    this.strokes.pop();
    this.active = null;
    this.paint();
    this.onChange(true);
  }

  clear() {
    this.strokes = [];
    this.active = null;
    this.paint();
    this.onChange(true);
  }

  /** paint draws every stroke: quadratic curves through the midpoints, round ends. */
  paint() {
    const c = this.ctx;
    c.fillStyle = "#000";
    c.fillRect(0, 0, SIZE, SIZE);
    c.strokeStyle = c.fillStyle = "#fff";
    c.lineWidth = BRUSH;
    c.lineCap = c.lineJoin = "round";
    for (const s of this.strokes) {
      if (s.length === 1) {
        c.beginPath();
        c.arc(s[0].x, s[0].y, BRUSH / 2, 0, 2 * Math.PI);
        c.fill();
        continue;
      }
      c.beginPath();
      c.moveTo(s[0].x, s[0].y);
      for (let i = 1; i < s.length - 1; i++) {
        const mx = (s[i].x + s[i + 1].x) / 2, my = (s[i].y + s[i + 1].y) / 2;
        c.quadraticCurveTo(s[i].x, s[i].y, mx, my);
      }
      const last = s[s.length - 1];
      c.lineTo(last.x, last.y);
      c.stroke();
    }
  }

  /** grey returns the drawing as SEND×SEND grey levels: 0 background, 255 ink. */
  grey() {
    const c = this.small.getContext("2d", { willReadFrequently: true });
    c.imageSmoothingEnabled = true;
    c.imageSmoothingQuality = "high";
    c.drawImage(this.canvas, 0, 0, SEND, SEND);
    const rgba = c.getImageData(0, 0, SEND, SEND).data;
    const grey = new Uint8Array(SEND * SEND);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i];
    return grey;
  }

  /**
   * ink measures the drawing: the larger side of its ink's bounding box and
   * the ink's area, as fractions of the canvas's side and area, and whether
   * it is big enough to be a digit (MIN_SIDE, MIN_INK).
   */
  ink() {
    const g = this.grey();
    let n = 0, x0 = SEND, x1 = -1, y0 = SEND, y1 = -1;
    for (let i = 0; i < g.length; i++) {
      if (g[i] < INK_LEVEL) continue;
      const x = i % SEND, y = (i - x) / SEND;
      n++;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    const side = n ? Math.max(x1 - x0 + 1, y1 - y0 + 1) / SEND : 0, area = n / g.length;
    return { side, area, ok: side >= MIN_SIDE && area >= MIN_INK };
  }

  /** pixels returns the drawing as SEND×SEND grey levels, base64: 0 background, 255 ink. */
  pixels() {
    const grey = this.grey();
    let bin = "";
    for (let i = 0; i < grey.length; i += 8192) bin += String.fromCharCode.apply(null, grey.subarray(i, i + 8192));
    return btoa(bin);
  }
}
