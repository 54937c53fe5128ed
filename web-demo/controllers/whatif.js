// What the user does in the "What if" panel: run the current scenario N times (seeds S, S+1, …)
// over an optional `--vary` grid in a Web Worker (workers/sweep.js), with a progress bar, or stop
// it. The page stays responsive: the main thread only receives messages.

import { elements } from "../lib/dom.js";
import { showProgress, showStopped, showSummary } from "../views/whatif.js";

const el = elements("whatif-runs", "whatif-vary");
/** Most runs per configuration the panel offers. */
export const MAX_RUNS = 10000;
/** Shards a sweep is cut into: one progress step each. */
const SHARDS = 20;

let worker = null;

function stop() {
  worker?.terminate();
  worker = null;
}

/** Starts a sweep of the current scenario; resolves when it is shown (rejects on an error). */
export function onWhatIf(ctx) {
  const { state } = ctx;
  const runs = Number(el.whatifRuns.value);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) {
    throw new Error(`Runs must be a whole number from 1 to ${MAX_RUNS}.`);
  }
  const vary = el.whatifVary.value
    .split(/\s+/)
    .map((v) => v.trim())
    .filter(Boolean);
  const scenario = state.session.scenario();
  // Bad input fails here, on the page, before a worker starts: the core checks the scenario and
  // the options and plans the grid, and a shard that owns no item (the last of 2^53 − 1) runs nothing.
  const none = `${Number.MAX_SAFE_INTEGER - 1}/${Number.MAX_SAFE_INTEGER}`;
  state.Simulator.sweep(scenario, { runs, vary, shard: none, format: "jsonl" });
  stop();
  const started = performance.now();
  worker = new Worker(new URL("../workers/sweep.js", import.meta.url), { type: "module" });
  showProgress(0, SHARDS);
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.progress) return showProgress(data.progress, data.of);
      stop();
      if (data.error) {
        showStopped();
        const error = new Error(data.error.message);
        error.code = data.error.code;
        return reject(error);
      }
      showSummary(data.summary, data.durations, performance.now() - started);
      window.jobsimDemo && (window.jobsimDemo.whatIf = data.summary);
      resolve();
    };
    worker.onerror = (e) => {
      stop();
      showStopped();
      reject(new Error(e.message || "the sweep worker failed"));
    };
    worker.postMessage({ pkg: import.meta.resolve("jobsim"), scenario, runs, vary, shards: SHARDS });
  });
}

/** Stops a running sweep. */
export function onWhatIfStop() {
  stop();
  showStopped();
}
