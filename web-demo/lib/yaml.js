// A small YAML writer for the documents the demo shows and exports: Jobs in the editor and
// scenario files. Reading YAML (and JSON) is the core's job: the wasm package's
// `parseDocument(text)`, the parser `jobsim run` uses, so the page reads text exactly as the CLI.
//
// It writes block mappings and sequences, and scalars quoted whenever a YAML reader could take
// them for something else (null, booleans, numbers, YAML 1.1 booleans, dates, indicators).

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL = /^(?:0x[0-9a-fA-F]+|0b[01]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Whether a plain (unquoted) scalar would read back as the same string (YAML 1.2 core schema). */
function readsAsString(text) {
  if (NULLS.has(text) || TRUES.has(text) || FALSES.has(text)) return false;
  // Like serde_yaml: integers with a leading zero ("007") stay strings.
  if (INT.test(text)) return /^[-+]?0[0-9]/.test(text);
  return !FLOAT.test(text) && !SPECIAL.test(text);
}

// Words that YAML 1.1 readers take for booleans: always quoted when written.
const YAML11 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@%+=:()-]*$/;

function scalar(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  const s = String(value);
  if (PLAIN.test(s) && !s.endsWith(":") && readsAsString(s) && !YAML11.test(s) && !/^\d{4}-\d\d-\d\d/.test(s)) {
    return s;
  }
  return JSON.stringify(s);
}

function isEmptyCollection(v) {
  return (Array.isArray(v) && v.length === 0) || (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);
}

function emit(value, indent, out) {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item && typeof item === "object" && !isEmptyCollection(item)) {
        const inner = [];
        emit(item, indent + 2, inner);
        // The first line of the item goes after "- ".
        inner[0] = `${pad}- ${inner[0].slice(indent + 2)}`;
        out.push(...inner);
      } else {
        out.push(`${pad}- ${flowScalar(item)}`);
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const k = scalar(key);
    if (v && typeof v === "object" && !isEmptyCollection(v)) {
      out.push(`${pad}${k}:`);
      emit(v, Array.isArray(v) ? indent + 2 : indent + 2, out);
    } else {
      out.push(`${pad}${k}: ${flowScalar(v)}`);
    }
  }
}

function flowScalar(v) {
  if (Array.isArray(v) && v.length === 0) return "[]";
  if (v && typeof v === "object" && Object.keys(v).length === 0) return "{}";
  return scalar(v);
}

/** Writes plain JS values as block-style YAML that the core (`parseDocument`, `jobsim run`) reads back. */
export function stringifyYaml(value) {
  if (value === null || typeof value !== "object" || isEmptyCollection(value)) return `${flowScalar(value)}\n`;
  const out = [];
  emit(value, 0, out);
  return `${out.join("\n")}\n`;
}
