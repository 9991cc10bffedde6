// The page's URL state: what follows "#" in its address, the same string a
// copied link carries and the teacher presents (server/protocol/present.go,
// at most 2,000 bytes). It is "key=value&key=value" with short keys, and
// lists inside a value joined by "," (and ":" within an item), so that a
// whole surface set-up stays a few hundred characters:
//
//	v=surface&fn=quadratic&fp=cond:100&s=-4,1.5&o=gd:0.01,adam:0.05:beta1=0.8&st=300
//
// This module knows no view: parseState and formatState turn the string
// into pairs and back, and a Reader takes checked values out of it, noting
// every unknown key and every value it cannot use (links.js shows the notes).

/** MAX_STATE is the longest state the server lets a teacher present (protocol.MaxPresentState). */
export const MAX_STATE = 2000;

/** enc escapes a value, keeping the list marks , : = readable (they are legal in a fragment). */
export function enc(v) {
  return encodeURIComponent(String(v)).replace(/%2C/gi, ",").replace(/%3A/gi, ":").replace(/%3D/gi, "=");
}

/** parseState splits "a=1&b=x" (with or without a leading # or ?) into a Map; an old "#surface" is v=surface. */
export function parseState(s) {
  const out = new Map();
  s = String(s || "").replace(/^[#?]/, "");
  if (!s) return out;
  if (!s.includes("=") && /^[a-z]+$/.test(s)) return new Map([["v", s]]);
  for (const part of s.split("&")) {
    if (!part) continue;
    const i = part.indexOf("=");
    const k = i < 0 ? part : part.slice(0, i), raw = i < 0 ? "" : part.slice(i + 1);
    let v;
    try { v = decodeURIComponent(raw.replace(/\+/g, " ")); } catch { v = raw; }
    out.set(k, v);
  }
  return out;
}

/** formatState joins pairs ([key, value] or a Map) into a state; empty values are left out. */
export function formatState(pairs) {
  const list = pairs instanceof Map ? [...pairs] : pairs;
  return list.filter(([, v]) => v != null && v !== "").map(([k, v]) => `${k}=${enc(v)}`).join("&");
}

/** num formats a number briefly: 0.001, 1e-8, 60000. */
export function num(x) { return String(Number(Number(x).toPrecision(6))); }

/** pairList is "a:1,b:2" from {a: 1, b: 2}; parsePairs the reverse (values as strings). */
export function pairList(obj) { return Object.entries(obj).map(([k, v]) => `${k}:${typeof v === "number" ? num(v) : v}`).join(","); }
export function parsePairs(s) {
  const out = [];
  for (const item of String(s).split(",").filter(Boolean)) {
    const i = item.indexOf(":");
    out.push(i < 0 ? [item, ""] : [item.slice(0, i), item.slice(i + 1)]);
  }
  return out;
}

/**
 * Reader takes checked values out of a parsed state. Each getter returns the
 * value, or the default when the key is absent or its value cannot be used
 * (then noted with why). rest() notes the keys no getter asked for.
 */
export class Reader {
  constructor(map, known = []) {
    this.map = map;
    this.used = new Set(known);
    this.notes = []; // [{key, value}]
  }

  has(key) { return this.map.has(key); }
  raw(key) { this.used.add(key); return this.map.get(key); }

  /** bad notes a value that cannot be used. */
  bad(key, value) { this.notes.push({ key, value: String(value) }); }

  /** number reads a number in [min, max] (an integer if int); open excludes min. */
  number(key, def, { min = -Infinity, max = Infinity, int = false, open = false } = {}) {
    if (!this.has(key)) return def;
    const s = this.raw(key), x = Number(s);
    if (s === "" || !Number.isFinite(x) || x < min || x > max || (open && x === min) || (int && !Number.isInteger(x))) { this.bad(key, s); return def; }
    return x;
  }

  /** pick reads one of the allowed strings. */
  pick(key, def, allowed) {
    if (!this.has(key)) return def;
    const s = this.raw(key);
    if (!allowed.includes(s)) { this.bad(key, s); return def; }
    return s;
  }

  /** flag reads 1 or 0 as true or false. */
  flag(key, def) {
    const s = this.pick(key, def == null ? null : def ? "1" : "0", ["1", "0"]);
    return s == null ? def : s === "1";
  }

  /** numbers reads a list "a,b,c" of n numbers (any count when n is 0) that each pass ok. */
  numbers(key, def, n = 0, ok = () => true) {
    if (!this.has(key)) return def;
    const s = this.raw(key), xs = s.split(",").map((v) => (v.trim() === "" ? NaN : Number(v)));
    if (!xs.length || (n && xs.length !== n) || xs.some((x) => !Number.isFinite(x) || !ok(x))) { this.bad(key, s); return def; }
    return xs;
  }

  /** rest notes every key that no getter read. */
  rest() {
    for (const [k, v] of this.map) if (!this.used.has(k)) this.bad(k, v);
    return this.notes;
  }
}

/**
 * readParams checks hyperparameters "name:value,…" against a method's (or a
 * function's) params from hello: known names, in range, switches 0 or 1.
 * Bad ones are noted under key and left out.
 */
export function readParams(r, key, items, params) {
  const out = {};
  for (const [name, s] of items) {
    const p = params.find((q) => q.name === name && q.name !== "lr");
    const x = Number(s);
    const ok = p && s !== "" && Number.isFinite(x) && (p.bool ? x === 0 || x === 1 : (p.min == null || x >= p.min) && (p.max == null || x <= p.max) && !(p.minOpen && x === p.min));
    if (ok) out[name] = x; else r.bad(key, `${name}:${s}`);
  }
  return out;
}

/** changedParams are the params of values that differ from their defaults. */
export function changedParams(values, params) {
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => { const p = params.find((q) => q.name === k); return p && v !== p.default; }));
}
