// Virtual time in the demo: microseconds since the epoch (plain JS numbers; exact up to year
// 2255), converted to and from the RFC 3339 strings jobsim writes (6 fractional digits, UTC).

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i;

/** RFC 3339 text → microseconds since the epoch; NaN if it is not a timestamp. */
export function parseTime(text) {
  const m = RFC3339.exec(String(text).trim());
  if (!m) return Number.NaN;
  const seconds = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(seconds)) return Number.NaN;
  const fraction = Number((m[2] ?? "").padEnd(6, "0").slice(0, 6));
  return (seconds / 1000) * 1e6 + fraction;
}

/** Microseconds → `2026-01-01T00:00:33.821525Z`, exactly as jobsim formats times. */
export function formatTime(micros) {
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(fraction).padStart(6, "0")}Z`;
}

/** Time since the world's start as a clock, `00:01:30` or `00:01:30.5` (like jobsim's explain). */
export function formatClock(micros, start) {
  let d = Math.max(0, micros - start);
  const h = Math.floor(d / 3.6e9);
  d -= h * 3.6e9;
  const m = Math.floor(d / 6e7);
  d -= m * 6e7;
  const s = Math.floor(d / 1e6);
  const frac = d - s * 1e6;
  const pad = (n) => String(n).padStart(2, "0");
  const tail = frac ? `.${String(frac).padStart(6, "0").replace(/0+$/, "")}` : "";
  return `${pad(h)}:${pad(m)}:${pad(s)}${tail}`;
}

/** A duration in microseconds, short: `1m30.5s`, `450ms`, `2h0m5s`. */
export function formatDuration(micros) {
  if (micros < 1000) return `${Math.round(micros)}µs`;
  if (micros < 1e6) return `${+(micros / 1000).toFixed(1)}ms`;
  let rest = micros;
  const h = Math.floor(rest / 3.6e9);
  rest -= h * 3.6e9;
  const m = Math.floor(rest / 6e7);
  rest -= m * 6e7;
  const s = +(rest / 1e6).toFixed(3);
  if (h) return `${h}h${m}m${Math.round(s)}s`;
  if (m) return `${m}m${+s.toFixed(1)}s`;
  return `${+s.toFixed(2)}s`;
}
