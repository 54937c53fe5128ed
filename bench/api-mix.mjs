// The API mix on the JS side, shared by bench/node-bench.mjs (wall time) and
// bench/wasm-callgrind.mjs (instructions): the world of workloads::api_prepared and one op of
// api-mix-ops.json (written by `cargo bench -p jobsim-core --bench api_mix`) as a wasm call.

/** The `jobs.create` body of the mix's jobs (workloads::job_body). */
export function jobBody(name, i) {
  const tier = ["gold", "silver", "bronze"][i % 3];
  return {
    metadata: { name, labels: { team: `t${i % 20}`, tier } },
    spec: { template: { spec: { taskCount: 2 + (i % 3), parallelism: 2,
      template: { spec: { maxRetries: 1, containers: [{ image: "us-docker.pkg.dev/demo/app:1" }] } } } } },
  };
}

/** The prepared world (workloads::api_prepared): 1,000 jobs, each run once, then 2 s; with the
 *  client's memory of each job's last execution. */
export function prepare(Simulator, seed) {
  const sim = new Simulator({ seed });
  const latest = new Map();
  for (let j = 0; j < 1000; j++) {
    const name = `job-${j}`;
    sim.call("jobs.create", { body: jobBody(name, j) });
    latest.set(name, sim.call("jobs.run", { name }).metadata.name);
  }
  sim.advance(2);
  return { sim, latest };
}

/** The method of an op (`"clock moves"` for a tick). */
export const methodOf = (op) =>
  op[0] === "call" ? op[1] : op[0] === "taskGet" ? "tasks.get" : op[0] === "taskList" ? "tasks.list" : "clock moves";

/** Runs one op as workloads::api_run does; true when it was a call answered 2xx. */
export function runOp(sim, latest, op) {
  if (op[0] === "tick") {
    sim.advance(1);
    return false;
  }
  try {
    if (op[0] === "call") {
      const answer = sim.call(op[1], op[2]);
      if (op[1] === "jobs.run") latest.set(op[2].name, answer.metadata.name);
    } else if (op[0] === "taskGet") {
      sim.call("tasks.get", { name: `${latest.get(op[1]) ?? "none"}-task0` });
    } else {
      const exec = latest.get(op[1]) ?? "none";
      sim.call("tasks.list", {
        query: { labelSelector: `run.googleapis.com/execution=${exec},run.googleapis.com/runningState in (Running,Failed)` },
      });
    }
    return true;
  } catch (e) {
    if (typeof e?.code !== "string") throw e;
    return false;
  }
}
