// A small YAML reader and writer for the documents the demo handles: Cloud Run Jobs as
// `gcloud run jobs describe --format export` prints them, and jobsim scenario files.
//
// Reads: block mappings and sequences (including sequences at their key's indent), flow
// collections (`{job: etl, task: 3}`, `[a, b]`, over several lines too), plain, single- and
// double-quoted scalars (folded over lines), block scalars (`|`, `>`, with `-`/`+`), comments,
// one optional `---`. Plain scalars resolve as the core's serde_yaml does (YAML 1.2 core schema:
// null, booleans, numbers; "007" stays a string).
// Refuses, with the line, what it does not read: anchors, aliases, tags, complex keys,
// several documents, tabs in indentation.
//
// It is the stand-in until the wasm package exports the core's own parser
// (`parseDocument(text)`, over `resources::from_json_or_yaml`): `parseDocument` below uses that
// export when it exists.

/** A YAML syntax error at a 1-based line (and column, when known). */
export class YamlError extends Error {
  constructor(message, line, column) {
    super(column ? `line ${line}, column ${column}: ${message}` : `line ${line}: ${message}`);
    this.name = "YamlError";
    this.line = line;
    this.column = column;
    this.reason = message;
  }
}

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** The value a plain scalar stands for (core schema). */
export function resolvePlain(text) {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  // Like serde_yaml: integers with a leading zero ("007") stay strings.
  if (INT.test(text)) return /^[-+]?0[0-9]/.test(text) ? text : Number(text);
  if (FLOAT.test(text)) return Number(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^0b[01]+$/.test(text)) return Number.parseInt(text.slice(2), 2);
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
}

const indentOf = (line) => line.length - line.trimStart().length;
const isBlank = (line) => /^\s*(#.*)?$/.test(line);

/** Removes a trailing ` # comment` outside quotes from a piece of a line. */
function stripComment(text) {
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = null;
      } else if (c === "\\" && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[{,:]/.test(text[i - 1])) quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      return text.slice(0, i).trimEnd();
    }
  }
  return text.trimEnd();
}

const ESCAPES = { 0: "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };

class Parser {
  constructor(text) {
    this.lines = text.replace(/\r\n?/g, "\n").split("\n");
    this.i = 0;
    this.docStart = -1; // lines up to here may hold the opening `---`
  }

  fail(message, line = this.i, column) {
    throw new YamlError(message, Math.min(line, this.lines.length - 1) + 1, column);
  }

  /** Index of the next line with content (skipping blanks and comments), or -1. */
  peek() {
    for (let j = this.i; j < this.lines.length; j++) {
      const line = this.lines[j];
      if (isBlank(line)) continue;
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(line) && j > this.docStart) return -1;
      const tab = /^ *\t/.exec(line);
      if (tab) this.fail("tabs are not allowed in indentation; use spaces", j, tab[0].length);
      return j;
    }
    return -1;
  }

  document() {
    this.docStart = this.lines.length;
    let j = this.peek();
    this.docStart = -1;
    if (j >= 0 && this.lines[j].startsWith("%")) this.fail("directives (%YAML, %TAG) are not supported", j);
    if (j >= 0 && /^---(\s|$)/.test(this.lines[j])) {
      const rest = stripComment(this.lines[j].slice(3)).trim();
      this.lines[j] = rest ? `    ${rest}` : "";
      this.i = rest ? j : j + 1;
      j = this.peek();
    }
    if (j < 0) return null;
    const value = this.block(-1);
    const after = this.peek();
    if (after >= 0) this.fail("unexpected content (check the indentation)", after, indentOf(this.lines[after]) + 1);
    // After the end of the document: only comments, `...`, or a `---` that starts nothing.
    for (let k = this.i; k < this.lines.length; k++) {
      const line = this.lines[k];
      if (isBlank(line) || /^\.\.\.(\s|$)/.test(line)) continue;
      if (/^---(\s|$)/.test(line)) {
        const rest = stripComment(line.slice(3)).trim();
        if (rest || this.lines.slice(k + 1).some((l) => !isBlank(l) && !/^\.\.\.(\s|$)/.test(l))) {
          this.fail("only one document is supported here", k);
        }
        continue;
      }
      this.fail("unexpected content after the end of the document", k);
    }
    return value;
  }

  /** A node whose lines are indented more than `parent`. */
  block(parent) {
    const j = this.peek();
    if (j < 0) return null;
    const line = this.lines[j];
    const indent = indentOf(line);
    if (indent <= parent) return null;
    const text = line.slice(indent);
    this.i = j;
    if (text === "-" || text.startsWith("- ")) return this.sequence(indent);
    if (text.startsWith("? ") || text === "?") this.fail("complex mapping keys (`? `) are not supported", j);
    if (this.splitKey(text, j)) return this.mapping(indent);
    return this.inline(text, j, indent, parent);
  }

  /** `key: rest` at the start of `text`, or null if the line is not a mapping entry. */
  splitKey(text, j) {
    if (text[0] === '"' || text[0] === "'") {
      const { value, end } = this.quotedOnLine(text, j);
      if (end < 0) return null;
      const after = text.slice(end);
      const m = /^\s*:(?:\s|$)/.exec(after);
      if (!m) return null;
      return { key: value, rest: after.slice(m[0].length) };
    }
    if (/^[[{]/.test(text)) return null;
    const m = /:(?:\s|$)/.exec(text);
    if (!m) return null;
    const key = text.slice(0, m.index).trimEnd();
    if (key.includes(" #") || key.startsWith("#")) return null;
    return { key: key === "" ? null : resolvePlainKey(key), rest: text.slice(m.index + 1) };
  }

  /** A quoted scalar that must close on this line (keys). */
  quotedOnLine(text, j) {
    const q = text[0];
    let out = "";
    for (let k = 1; k < text.length; k++) {
      const c = text[k];
      if (c === q) {
        if (q === "'" && text[k + 1] === "'") {
          out += "'";
          k++;
          continue;
        }
        return { value: out, end: k + 1 };
      }
      if (c === "\\" && q === '"') {
        const { ch, len } = this.escape(text, k, j);
        out += ch;
        k += len - 1;
        continue;
      }
      out += c;
    }
    return { value: null, end: -1 }; // not closed on this line: not a key
  }

  escape(text, k, j) {
    const e = text[k + 1];
    if (e in ESCAPES) return { ch: ESCAPES[e], len: 2 };
    const width = { x: 2, u: 4, U: 8 }[e];
    if (width) {
      const hex = text.slice(k + 2, k + 2 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) this.fail(`bad escape \\${e}${hex}`, j, k + 1);
      return { ch: String.fromCodePoint(Number.parseInt(hex, 16)), len: 2 + width };
    }
    this.fail(`unknown escape \\${e ?? ""}`, j, k + 1);
  }

  mapping(indent) {
    const out = {};
    for (;;) {
      const j = this.peek();
      if (j < 0) break;
      const line = this.lines[j];
      const n = indentOf(line);
      if (n < indent) break;
      if (n > indent) this.fail("bad indentation of a mapping entry", j, n + 1);
      const text = line.slice(n);
      if (text === "-" || text.startsWith("- ")) {
        this.fail("a sequence item where a mapping key was expected", j, n + 1);
      }
      const kv = this.splitKey(text, j);
      if (!kv) this.fail("expected `key: value`", j, n + 1);
      const key = kv.key === null ? "null" : String(kv.key);
      if (Object.hasOwn(out, key)) this.fail(`duplicate key ${JSON.stringify(key)}`, j, n + 1);
      this.i = j + 1;
      const rest = stripComment(kv.rest).trim();
      let value;
      if (rest === "") {
        const next = this.peek();
        const nextLine = next >= 0 ? this.lines[next] : "";
        const nextText = nextLine.trimStart();
        if (next >= 0 && indentOf(nextLine) === indent && (nextText === "-" || nextText.startsWith("- "))) {
          value = this.sequence(indent);
        } else {
          value = this.block(indent);
        }
      } else {
        value = this.inline(kv.rest.trimStart(), j, indent, indent, true);
      }
      // Own data property even for "__proto__".
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  sequence(indent) {
    const out = [];
    for (;;) {
      const j = this.peek();
      if (j < 0) break;
      const line = this.lines[j];
      const n = indentOf(line);
      if (n < indent) break;
      const text = line.slice(n);
      if (n > indent) this.fail("bad indentation of a sequence item", j, n + 1);
      if (!(text === "-" || text.startsWith("- "))) break;
      const body = text.slice(1);
      const content = stripComment(body).trim();
      if (content === "") {
        this.i = j + 1;
        out.push(this.block(indent));
        continue;
      }
      // The item's content behaves as if it started its own line at its column.
      const col = n + 1 + (body.length - body.trimStart().length);
      this.lines[j] = " ".repeat(col) + body.trimStart();
      this.i = j;
      out.push(this.block(indent));
    }
    return out;
  }

  /**
   * A scalar or flow collection starting with `text` on line `j`; it may continue on the
   * following lines indented more than `parent`. `inMapping`: the value of a `key:`.
   */
  inline(text, j, indent, parent, inMapping = false) {
    const c = text[0];
    if (c === "&" || c === "*") this.fail("anchors and aliases are not supported", j);
    if (c === "!") this.fail("tags are not supported", j);
    if (c === "@" || c === "`") this.fail(`a plain value cannot start with ${c}`, j);
    if (c === "|" || c === ">") return this.blockScalar(text, j, parent);
    if (c === '"' || c === "'") return this.quoted(text, j, parent);
    if (c === "[" || c === "{") return this.flowBlock(text, j);
    // Plain scalar, possibly folded over more-indented lines.
    let value = stripComment(text).trim();
    if (!inMapping && this.splitKey(value, j)) this.fail("expected a value", j);
    if (inMapping && /:(\s|$)/.test(value)) this.fail("a plain value cannot contain `: `; quote it", j);
    this.i = j + 1;
    const parts = [value];
    let commented = stripComment(text) !== text.trimEnd();
    for (;;) {
      const k = this.peek();
      if (k < 0 || indentOf(this.lines[k]) <= parent) break;
      if (commented) break; // a comment ends a plain scalar
      const more = stripComment(this.lines[k]).trim();
      if (/:(\s|$)/.test(more) || more.startsWith("- ")) {
        this.fail("bad indentation (or a plain value that goes on over lines)", k, indentOf(this.lines[k]) + 1);
      }
      const blanks = this.lines.slice(this.i, k).filter((l) => l.trim() === "").length;
      parts.push(blanks ? "\n".repeat(blanks) : " ", more);
      this.i = k + 1;
      commented = stripComment(this.lines[k]) !== this.lines[k].trimEnd();
    }
    value = parts.join("").replace(/ \n/g, "\n");
    return parts.length > 1 ? value : resolvePlain(value);
  }

  quoted(text, j, parent) {
    const q = text[0];
    let out = "";
    let line = text;
    let k = 1;
    let row = j;
    for (;;) {
      if (k >= line.length) {
        // Fold: the line break becomes a space, empty lines become newlines.
        out = out.replace(/[ \t]+$/, "");
        let blanks = 0;
        row++;
        while (row < this.lines.length && this.lines[row].trim() === "") {
          blanks++;
          row++;
        }
        if (row >= this.lines.length) this.fail(`unterminated ${q === '"' ? "double" : "single"}-quoted string`, j);
        if (indentOf(this.lines[row]) <= parent && this.lines[row].trim() !== "") {
          this.fail(`unterminated ${q === '"' ? "double" : "single"}-quoted string`, j);
        }
        out += blanks ? "\n".repeat(blanks) : " ";
        line = this.lines[row].trimStart();
        k = 0;
        continue;
      }
      const c = line[k];
      if (c === q) {
        if (q === "'" && line[k + 1] === "'") {
          out += "'";
          k += 2;
          continue;
        }
        const rest = stripComment(line.slice(k + 1)).trim();
        if (rest) this.fail(`unexpected ${JSON.stringify(rest)} after the quoted string`, row);
        this.i = row + 1;
        return out;
      }
      if (c === "\\" && q === '"') {
        if (k === line.length - 1) {
          // Escaped line break: joins the lines without a space.
          row++;
          if (row >= this.lines.length) this.fail("unterminated double-quoted string", j);
          line = this.lines[row].trimStart();
          k = 0;
          continue;
        }
        const { ch, len } = this.escape(line, k, row);
        out += ch;
        k += len;
        continue;
      }
      out += c;
      k++;
    }
  }

  blockScalar(text, j, parent) {
    const header = stripComment(text);
    const m = /^([|>])([1-9]?)([-+]?)([1-9]?)\s*$/.exec(header);
    if (!m) this.fail(`bad block scalar header ${JSON.stringify(header)}`, j);
    const literal = m[1] === "|";
    const chomp = m[3];
    const explicit = Number(m[2] || m[4] || 0);
    const lines = [];
    let k = j + 1;
    let indent = explicit ? Math.max(parent, 0) + explicit : 0;
    for (; k < this.lines.length; k++) {
      const line = this.lines[k];
      if (line.trim() === "") {
        lines.push("");
        continue;
      }
      const n = indentOf(line);
      if (!indent) {
        if (n <= parent) break;
        indent = n;
      }
      if (n < indent) break;
      lines.push(line.slice(indent));
    }
    this.i = k;
    // Trailing empty lines belong to chomping, not to the content.
    let trailing = 0;
    while (lines.length && lines[lines.length - 1] === "") {
      lines.pop();
      trailing++;
    }
    this.i = k;
    let body;
    if (literal) {
      body = lines.join("\n");
    } else {
      body = "";
      for (let n = 0; n < lines.length; n++) {
        const line = lines[n];
        if (n === 0) body = line;
        else if (line === "" || lines[n - 1] === "" || /^\s/.test(line) || /^\s/.test(lines[n - 1])) body += `\n${line}`;
        else body += ` ${line}`;
      }
      body = body.replace(/\n\n/g, "\n");
    }
    if (lines.length === 0) return chomp === "+" ? "\n".repeat(trailing) : "";
    if (chomp === "-") return body;
    if (chomp === "+") return `${body}\n${"\n".repeat(trailing)}`;
    return `${body}\n`;
  }

  /** A flow collection, gathered over lines until its brackets balance (any indentation). */
  flowBlock(text, j) {
    let source = "";
    let depth = 0;
    let quote = null;
    let row = j;
    let line = text;
    for (;;) {
      const piece = stripComment(line);
      for (let k = 0; k < piece.length; k++) {
        const c = piece[k];
        if (quote) {
          if (c === quote) {
            if (quote === "'" && piece[k + 1] === "'") k++;
            else quote = null;
          } else if (c === "\\" && quote === '"') k++;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === "[" || c === "{") depth++;
        else if (c === "]" || c === "}") depth--;
      }
      source += `${piece}\n`;
      if (depth <= 0 && !quote) break;
      row++;
      if (row >= this.lines.length) this.fail("unclosed flow collection (a missing ] or })", j);
      line = this.lines[row];
    }
    this.i = row + 1;
    const flow = new FlowParser(source, j, (message, offset) => {
      const before = source.slice(0, offset);
      const lineOffset = (before.match(/\n/g) ?? []).length;
      this.fail(message, j + lineOffset);
    });
    const value = flow.node();
    flow.ws();
    if (flow.p < source.length) flow.error(`unexpected ${JSON.stringify(source.slice(flow.p).trim().slice(0, 20))}`);
    return value;
  }
}

function resolvePlainKey(text) {
  const v = resolvePlain(text);
  return v === null ? "null" : v;
}

class FlowParser {
  constructor(source, line, fail) {
    this.s = source;
    this.p = 0;
    this.fail = fail;
  }

  error(message) {
    this.fail(message, this.p);
  }

  ws() {
    while (this.p < this.s.length && /\s/.test(this.s[this.p])) this.p++;
  }

  node() {
    this.ws();
    const c = this.s[this.p];
    if (c === "{") return this.map();
    if (c === "[") return this.seq();
    if (c === '"' || c === "'") return this.quoted();
    if (c === "&" || c === "*") this.error("anchors and aliases are not supported");
    if (c === "!") this.error("tags are not supported");
    return this.plain();
  }

  map() {
    this.p++;
    const out = {};
    for (;;) {
      this.ws();
      if (this.s[this.p] === "}") {
        this.p++;
        return out;
      }
      if (this.p >= this.s.length) this.error("missing }");
      const key = this.node();
      this.ws();
      let value = null;
      if (this.s[this.p] === ":") {
        this.p++;
        this.ws();
        value = this.s[this.p] === "," || this.s[this.p] === "}" ? null : this.node();
      }
      const k = key === null ? "null" : typeof key === "object" ? this.error("keys must be scalars") : String(key);
      if (Object.hasOwn(out, k)) this.error(`duplicate key ${JSON.stringify(k)}`);
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      this.ws();
      if (this.s[this.p] === ",") this.p++;
      else if (this.s[this.p] !== "}") this.error("expected , or } in a flow mapping");
    }
  }

  seq() {
    this.p++;
    const out = [];
    for (;;) {
      this.ws();
      if (this.s[this.p] === "]") {
        this.p++;
        return out;
      }
      if (this.p >= this.s.length) this.error("missing ]");
      let item = this.node();
      this.ws();
      if (this.s[this.p] === ":") {
        this.p++;
        const value = this.node();
        item = { [String(item)]: value };
        this.ws();
      }
      out.push(item);
      if (this.s[this.p] === ",") this.p++;
      else if (this.s[this.p] !== "]") this.error("expected , or ] in a flow sequence");
    }
  }

  quoted() {
    const q = this.s[this.p++];
    let out = "";
    while (this.p < this.s.length) {
      const c = this.s[this.p];
      if (c === q) {
        if (q === "'" && this.s[this.p + 1] === "'") {
          out += "'";
          this.p += 2;
          continue;
        }
        this.p++;
        return out;
      }
      if (c === "\\" && q === '"') {
        const e = this.s[this.p + 1];
        if (e in ESCAPES) {
          out += ESCAPES[e];
          this.p += 2;
          continue;
        }
        const width = { x: 2, u: 4, U: 8 }[e];
        const hex = width ? this.s.slice(this.p + 2, this.p + 2 + width) : "";
        if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) this.error(`bad escape \\${e}`);
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        this.p += 2 + width;
        continue;
      }
      out += c === "\n" ? " " : c;
      this.p++;
    }
    this.error("unterminated quoted string");
  }

  plain() {
    const start = this.p;
    while (this.p < this.s.length) {
      const c = this.s[this.p];
      if (c === "," || c === "]" || c === "}" || c === "[" || c === "{") break;
      if (c === ":" && /[\s,\]}[{]/.test(this.s[this.p + 1] ?? " ")) break;
      this.p++;
    }
    const text = this.s.slice(start, this.p).replace(/\s+/g, " ").trim();
    if (text === "" && start === this.p) this.error(`unexpected ${JSON.stringify(this.s[this.p] ?? "end")}`);
    return resolvePlain(text);
  }
}

/** Parses one YAML document into plain JS values; throws a {@link YamlError}. */
export function parseYaml(text) {
  return new Parser(String(text)).document();
}

/**
 * Parses a document that is JSON or YAML as the core's `from_json_or_yaml` does: JSON when it
 * starts with `{` or `[`, YAML otherwise. Uses the wasm package's own
 * `parseDocument` when given one. Errors carry `line` when it is known.
 */
export function parseDocument(text, coreParse) {
  if (typeof coreParse === "function") return coreParse(text);
  const trimmed = String(text).trim();
  if (trimmed === "") {
    const e = new YamlError("the document is empty", 1);
    throw e;
  }
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch (jsonError) {
      const lead = String(text).slice(0, String(text).indexOf(trimmed[0]));
      throw jsonSyntaxError(jsonError, trimmed, (lead.match(/\n/g) ?? []).length);
    }
  }
  return parseYaml(text);
}

function jsonSyntaxError(error, text, lineOffset) {
  const lineMatch = /line (\d+)/.exec(error.message);
  const position = /position (\d+)/.exec(error.message);
  let line = 1;
  if (lineMatch) line = Number(lineMatch[1]);
  else if (position) line = (text.slice(0, Number(position[1])).match(/\n/g) ?? []).length + 1;
  const reason = error.message.replace(/\s*(?:at )?position \d+(?: \(line \d+ column \d+\))?/, "");
  return new YamlError(`invalid JSON: ${reason}`, line + lineOffset);
}

// ---------------------------------------------------------------------------------------------
// Writing

// Words that YAML 1.1 readers take for booleans: always quoted when written.
const YAML11 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@%+=:()-]*$/;

function scalar(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  const s = String(value);
  if (PLAIN.test(s) && !s.endsWith(":") && resolvePlain(s) === s && !YAML11.test(s) && !/^\d{4}-\d\d-\d\d/.test(s)) {
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

/** Writes plain JS values as block-style YAML that {@link parseYaml} and the core read back. */
export function stringifyYaml(value) {
  if (value === null || typeof value !== "object" || isEmptyCollection(value)) return `${flowScalar(value)}\n`;
  const out = [];
  emit(value, 0, out);
  return `${out.join("\n")}\n`;
}
