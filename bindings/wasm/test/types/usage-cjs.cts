// Typed usage from CommonJS (require), checked by `tsc --noEmit`.
import jobsim = require("jobsim");

const sim = new jobsim.Simulator({ seed: 1 });
const job: jobsim.Job = sim.call("jobs.create", { body: { metadata: { name: "a" }, spec: {} } });
const v: string = jobsim.version();
const read: jobsim.ListJobsResponse = sim.read("jobs.list");
const next: string | undefined = sim.nextTimerAt();
const doc: unknown = jobsim.parseDocument("{}");
// @ts-expect-error: the Node build has no init()
jobsim.initSync;
sim.free();
