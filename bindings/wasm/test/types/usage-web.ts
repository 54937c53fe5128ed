// Typed usage of the web build (browsers, bundlers): explicit async init, checked by `tsc --noEmit`.
import init, { initSync, parseDocument, Simulator, type Job, type Timestamp } from "jobsim/web";

await init(); // fetches jobsim_wasm_bg.wasm next to the glue
await init({ module_or_path: new URL("jobsim_wasm_bg.wasm", import.meta.url) });
initSync({ module: new Uint8Array() });

const sim = new Simulator({ profile: "instant" });
const job: Job = sim.call("jobs.get", { name: "etl" });
const read: Job = sim.read("jobs.get", { name: "etl" });
const next: Timestamp | undefined = sim.nextTimerAt();
const doc: unknown = parseDocument("kind: Job\n");
sim.free();
