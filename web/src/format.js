// Numbers, times and bytes for people and for the page.

/** fmtNum writes a number compactly: 4 significant digits, exponents outside [1e-3, 1e5). */
export function fmtNum(x, digits = 4) {
  if (x == null || !isFinite(x)) return "–";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

/** fmtTime writes seconds as m:ss or h:mm:ss. */
export function fmtTime(sec) {
  if (!isFinite(sec)) return "–";
  sec = Math.max(0, Math.round(sec));
  const m = Math.floor(sec / 60), s = sec % 60;
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

/** pct writes a probability or fraction as a percentage with a space, "52 %". */
export function pct(p, decimals) {
  const d = decimals ?? (p >= 0.1 || p < 0.001 ? 0 : 1);
  return `${(100 * p).toFixed(d)} %`;
}

/** decodeBase64 returns the bytes of a base64 string. */
export function decodeBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** runNumber is the number in a run id ("r12" → 12), for newest-first order. */
export function runNumber(id) { return Number(String(id).replace(/\D/g, "")) || 0; }
