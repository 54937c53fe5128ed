// The "What if" panel's Web Worker: runs `Simulator.sweep` off the page's thread, one shard at a
// time so the page can show progress, then merges the shards' records with
// `Simulator.sweepMerge` — the same bytes as one unsplit sweep (and as `jobsim sweep`).
//
// Messages in:  {pkg: URL of the web build's jobsim_wasm.js, scenario, runs, vary: string[], shards}
// Messages out: {progress: done, of}, then {summary, durations: {configuration index: seconds[]}}
//               or {error: {message, code}}.

let wasm;

async function load(pkg) {
  if (!wasm) {
    wasm = await import(pkg);
    await wasm.default();
  }
  return wasm;
}

self.onmessage = async ({ data }) => {
  try {
    const { Simulator } = await load(data.pkg);
    const options = { runs: data.runs, vary: data.vary };
    const shards = [];
    for (let i = 0; i < data.shards; i++) {
      shards.push(Simulator.sweep(data.scenario, { ...options, shard: `${i}/${data.shards}`, format: "jsonl" }));
      self.postMessage({ progress: i + 1, of: data.shards });
    }
    const summary = Simulator.sweepMerge(shards, "object");
    // Execution durations per (configuration, job) for the histogram, from the same records.
    const durations = {};
    for (const text of shards) {
      for (const line of text.split("\n")) {
        if (!line) continue;
        const r = JSON.parse(line);
        if (r.durationMicros === null || r.durationMicros === undefined) continue;
        (durations[`${r.configuration}/${r.job}`] ??= []).push(r.durationMicros / 1e6);
      }
    }
    self.postMessage({ summary, durations });
  } catch (error) {
    self.postMessage({ error: { message: error.message ?? String(error), code: error.code } });
  }
};
