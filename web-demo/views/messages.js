// What the page says back: the status line, the notice banner, inline errors next to the control
// that caused them (with a "Go to line" button for text that does not parse) and the global
// error banner. Every error, whatever its kind, is described here and nowhere else.

import { h, elements } from "../lib/dom.js";

const el = elements("status", "notice", "global-error", "settings-form");

/** Each inline error slot and the control it marks invalid (by id). */
const SLOTS = {
  "job-error": "job-editor",
  "run-error": "run-job",
  "exec-error": "exec-select",
  "clock-error": "advance-by",
  "settings-error": null,
  "events-error": null,
  "scenario-error": null,
  "whatif-error": "whatif-vary",
};
const slots = Object.fromEntries(Object.entries(SLOTS).map(([slot, control]) => [slot, { box: document.getElementById(slot), control: control && document.getElementById(control) }]));

/** A readable description of any error: JobsimError (code, Google body), YAML/JSON, or plain. */
export function describeError(error) {
  const lines = [];
  if (error && error.name === "JobsimError" && typeof error.line === "number") {
    // parseDocument's errors name their place ("… at line 4 column 9"): the text, not the API.
    lines.push(`Not valid YAML or JSON — ${error.details?.error?.message ?? error.message}`);
  } else if (error && error.name === "JobsimError") {
    const body = error.details?.error ?? {};
    lines.push(`${error.code} (HTTP ${error.httpStatus}): ${body.message ?? error.message}`);
    for (const d of body.details ?? []) {
      for (const v of d.fieldViolations ?? []) lines.push(`• ${v.field ? `${v.field}: ` : ""}${v.description}`);
    }
  } else {
    lines.push(String(error?.message ?? error));
  }
  return lines;
}

/** Shows `error` in an inline slot (e.g. `job-error`), optionally titled and with its place. */
export function showError(slot, error, { title, line, column } = {}) {
  const { box, control } = slots[slot];
  const children = [];
  if (title) children.push(h("strong", {}, title));
  children.push(...describeError(error).map((l) => h("div", {}, l)));
  if (line && control) {
    const where = column ? `line ${line}, column ${column}` : `line ${line}`;
    children.push(h("button", { type: "button", class: "link", onclick: () => gotoLine(control, line) }, `Go to ${where}`));
  }
  box.replaceChildren(...children);
  box.hidden = false;
  control?.setAttribute("aria-invalid", "true");
}

/** Prepends a heading to the error already shown in `slot`. */
export function prefixError(slot, text) {
  slots[slot].box.prepend(h("strong", {}, text));
}

export function clearError(slot) {
  const { box, control } = slots[slot];
  box.hidden = true;
  box.replaceChildren();
  control?.removeAttribute("aria-invalid");
  if (slot === "settings-error") {
    for (const marked of el.settingsForm.querySelectorAll("[aria-invalid]")) marked.removeAttribute("aria-invalid");
  }
}

/** Selects line `line` (1-based; past the end: the last line) of a textarea. */
function gotoLine(textarea, line) {
  const lines = textarea.value.split("\n");
  line = Math.min(Math.max(1, line), lines.length);
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[line - 1] ?? "").length);
}

export function status(text) {
  el.status.textContent = text;
}

export function notice(text) {
  el.notice.textContent = text ?? "";
  el.notice.hidden = !text;
}

export function showGlobalError(error) {
  el.globalError.replaceChildren(h("strong", {}, "Something went wrong: "), describeError(error).join(" "));
  el.globalError.hidden = false;
}

/** The package could not be loaded: how to build and serve it. */
export function showLoadFailure(error) {
  el.globalError.replaceChildren(
    h("strong", {}, "The simulator could not be loaded. "),
    "Build the wasm package first (",
    h("code", {}, "scripts/build-wasm.sh"),
    ") and serve the repository root, e.g. ",
    h("code", {}, "bash web-demo/scripts/serve.sh"),
    `. (${error.message})`,
  );
  el.globalError.hidden = false;
}

/** Wraps an event handler: errors go to `slot` (or the global banner), nothing escapes to the console. */
export function action(slot, fn) {
  return async (event) => {
    if (event?.type === "submit") event.preventDefault();
    if (slot) clearError(slot);
    try {
      await fn(event);
    } catch (error) {
      if (slot) showError(slot, error);
      else showGlobalError(error);
    }
  };
}
