// Loading as a consumer would, from ES modules: Node `import` by package name, and the web
// target with its explicit `init()`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, test } from "node:test";
import { linkPackage, pkgDir, throwsJobsim, wasmDir } from "../test-support/common.mjs";

linkPackage();
const require = createRequire(join(wasmDir, "test", "esm.test.mjs"));

describe("Node, import", () => {
  test('import "jobsim" resolves to the ESM wrapper and shares the one instance with require', async () => {
    const esm = await import("jobsim");
    assert.deepEqual(Object.keys(esm).sort(), ["Simulator", "memoryBytes", "parseDocument", "version"]);
    const cjs = require("jobsim");
    assert.equal(esm.Simulator, cjs.Simulator);
    assert.equal(import.meta.resolve("jobsim"), new URL("file://" + join(pkgDir, "node", "jobsim_wasm.mjs")).href);
    throwsJobsim(() => new esm.Simulator({ seed: "x" }), "INVALID_SCENARIO");
  });
});

describe("web target", () => {
  const glue = join(pkgDir, "web", "jobsim_wasm.js");

  test("needs an explicit init(); no top-level await in the glue", async () => {
    const source = readFileSync(glue, "utf8") + readFileSync(join(pkgDir, "node", "jobsim_wasm.mjs"), "utf8");
    // The generated glue is indented by nesting: a top-level statement starts in column 0.
    const topLevelAwait = source.split("\n").filter((line) => /^[^\s/*].*\bawait\b/.test(line));
    assert.deepEqual(topLevelAwait, []);
    const web = await import("jobsim/web");
    assert.equal(typeof web.default, "function", "default export init");
    assert.equal(typeof web.initSync, "function");
    assert.throws(() => web.version(), "calling before init() fails");
    const bytes = readFileSync(join(pkgDir, "web", "jobsim_wasm_bg.wasm"));
    await web.default({ module_or_path: bytes });
    assert.equal(web.version(), require("jobsim").version());
    const e = throwsJobsim(() => new web.Simulator({ seed: "x" }), "INVALID_SCENARIO");
    assert.ok(e instanceof Error);
  });

  test("the browser condition and the default condition point at the web build", () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    const root = pkg.exports["."];
    assert.equal(root.browser.default, "./web/jobsim_wasm.js");
    assert.equal(root.default.default, "./web/jobsim_wasm.js");
    assert.equal(JSON.parse(readFileSync(join(pkgDir, "web", "package.json"), "utf8")).type, "module");
  });
});

test("package.json: every condition object lists `types` first, and every path exists", () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const visit = (node, where) => {
    if (typeof node === "string") {
      readFileSync(join(pkgDir, node)); // exists
      return;
    }
    const keys = Object.keys(node);
    if (keys.includes("types")) assert.equal(keys[0], "types", `${where}: types must come first`);
    for (const key of keys) visit(node[key], `${where}.${key}`);
  };
  visit(pkg.exports, "exports");
  assert.equal(pkg.name, "jobsim");
});
