// Loading from CommonJS: require() of the pkg folder (its "main") and of the package name.
const assert = require("node:assert/strict");
const { join } = require("node:path");
const { test } = require("node:test");

const pkgDir = join(__dirname, "..", "pkg");

test('require("…/bindings/wasm/pkg") gives the Node build', () => {
  const jobsim = require(pkgDir);
  assert.equal(typeof jobsim.Simulator, "function");
  assert.match(jobsim.version(), /^\d+\.\d+\.\d+/);
  assert.equal(require.resolve(pkgDir), join(pkgDir, "node", "jobsim_wasm.cjs"));
});

test('require("jobsim") resolves through exports to the same module', async () => {
  const { linkPackage } = await import("../test-support/common.mjs");
  linkPackage();
  assert.equal(require.resolve("jobsim"), join(pkgDir, "node", "jobsim_wasm.cjs"));
  assert.equal(require("jobsim"), require(pkgDir));
});

test("errors are real Errors with a code in CommonJS too", () => {
  const { Simulator } = require(pkgDir);
  let caught;
  try {
    new Simulator({ seed: "x" });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, "JobsimError");
  assert.equal(caught.code, "INVALID_SCENARIO");
  assert.equal(caught.httpStatus, 400);
  assert.equal(caught.details.error.status, "INVALID_ARGUMENT");
});
