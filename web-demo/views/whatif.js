// The "What if" panel: the progress of a sweep, then per configuration and job the success rate
// with its 95 % interval, the cost, the duration percentiles and a histogram of execution
// durations (SVG). Reads only what controllers/whatif.js hands it.

import { elements, h } from "../lib/dom.js";

const el = elements("whatif-progress", "whatif-result", "whatif-run", "whatif-stop");
const SVG = "http://www.w3.org/2000/svg";
const BINS = 30;

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const usd = (x) => `$${x.toFixed(6)}`;
const secs = (x) => `${x.toFixed(1)} s`;

/** A sweep started (`of` shards) or moved on (`done` of them). */
export function showProgress(done, of) {
  el.whatifProgress.hidden = false;
  el.whatifProgress.max = of;
  el.whatifProgress.value = done;
  el.whatifRun.disabled = done < of;
  el.whatifStop.hidden = done >= of;
  el.whatifResult.dataset.done = done >= of ? "true" : "false";
}

/** The sweep stopped before the end (nothing is shown for it). */
export function showStopped() {
  el.whatifRun.disabled = false;
  el.whatifStop.hidden = true;
  el.whatifProgress.hidden = true;
  el.whatifResult.dataset.done = "stopped";
}

/** A histogram of `values` (seconds) in an SVG: BINS bars between the smallest and the largest. */
function histogram(values) {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = max > min ? (max - min) / BINS : 1;
  const counts = new Array(BINS).fill(0);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor((v - min) / width))]++;
  const top = Math.max(...counts);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${BINS * 10} 60`);
  svg.setAttribute("class", "histogram");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Execution durations from ${secs(min)} to ${secs(max)}, ${values.length} executions`);
  counts.forEach((n, i) => {
    if (!n) return;
    const bar = document.createElementNS(SVG, "rect");
    const height = (n / top) * 58;
    bar.setAttribute("x", String(i * 10 + 1));
    bar.setAttribute("y", String(60 - height));
    bar.setAttribute("width", "8");
    bar.setAttribute("height", String(height));
    bar.setAttribute("data-count", String(n));
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${secs(min + i * width)} – ${secs(min + (i + 1) * width)}: ${n}`;
    bar.append(title);
    svg.append(bar);
  });
  return svg;
}

/** The summary of a finished sweep (`durations`: seconds per "configuration/job"). */
export function showSummary(summary, durations, ms) {
  const configurations = summary.configurations;
  const cards = configurations.map((c, i) => {
    const vary = Object.entries(c.vary).map(([k, v]) => `${k}=${v}`).join(" ") || "as written";
    const values = durations[`${configurationIndex(summary, i)}/${c.job}`] ?? [];
    return h(
      "div",
      { class: "whatif-card", "data-job": c.job, "data-success-rate": c.successRate },
      h("h3", {}, `${c.job} · ${vary}`),
      h(
        "p",
        { class: "whatif-success" },
        `Succeeded ${c.succeeded} of ${c.executions} (${pct(c.successRate)}, 95 % interval ${pct(c.successInterval[0])} – ${pct(c.successInterval[1])})`,
      ),
      h("p", { class: "whatif-cost" }, `Cost per execution: median ${usd(c.cost.p50)}, p99 ${usd(c.cost.p99)}, mean ${usd(c.cost.mean)}`),
      c.duration
        ? h("p", {}, `Duration: p50 ${secs(c.duration.p50)}, p90 ${secs(c.duration.p90)}, p99 ${secs(c.duration.p99)}, max ${secs(c.duration.max)}`)
        : h("p", {}, "No execution ended."),
      values.length ? histogram(values) : null,
      h("p", { class: "muted" }, `Attempts per execution: mean ${c.attempts.mean.toFixed(2)}, max ${c.attempts.max}; retries mean ${c.retries.mean.toFixed(2)}, max ${c.retries.max}`),
    );
  });
  const head = configurations.length
    ? h("p", { class: "muted" }, `${summary.runs} runs per configuration in ${(ms / 1000).toFixed(1)} s (Web Worker).`)
    : h("p", {}, "The scenario runs no execution: add a jobs.run step (Run) first.");
  el.whatifResult.replaceChildren(head, ...cards);
}

/** The grid index of the i-th summary entry: entries are by configuration, then job. */
function configurationIndex(summary, i) {
  const jobs = new Set(summary.configurations.map((c) => c.job)).size || 1;
  return Math.floor(i / jobs);
}
