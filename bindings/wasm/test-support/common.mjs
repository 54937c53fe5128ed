// Shared by the Node tests in ../test (kept outside test/ because `node --test test/` runs every
// file in that folder as a test file).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = join(wasmDir, "..", "..");
export const pkgDir = join(wasmDir, "pkg");

if (!existsSync(join(pkgDir, "package.json"))) {
  throw new Error(`${pkgDir} is missing: build it first with scripts/build-wasm.sh (or run bindings/wasm/scripts/test.sh)`);
}

/** Every `code` a JobsimError may carry. */
export const ERROR_CODES = [
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "INVALID_ARGUMENT",
  "ABORTED",
  "FAILED_PRECONDITION",
  "RESOURCE_EXHAUSTED",
  "INVALID_SCENARIO",
  "INVALID_EVENT_LOG",
];

const HTTP = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  INVALID_SCENARIO: 400,
  INVALID_EVENT_LOG: 400,
};

/** Asserts that `error` is a well-formed JobsimError (of `code`, when given) and returns it. */
export function assertJobsimError(error, code) {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  assert.equal(error.name, "JobsimError", `not a JobsimError: ${error.stack}`);
  assert.ok(ERROR_CODES.includes(error.code), `unknown code ${error.code}`);
  if (code !== undefined) assert.equal(error.code, code, error.message);
  assert.equal(error.httpStatus, HTTP[error.code]);
  assert.ok(error.message.startsWith(`${error.code}: `), error.message);
  assert.equal(typeof error.details, "object");
  assert.equal(error.details.error.code, error.httpStatus);
  const status = error.code.startsWith("INVALID_") ? "INVALID_ARGUMENT" : error.code;
  assert.equal(error.details.error.status, status);
  assert.equal(typeof error.details.error.message, "string");
  assert.ok(error.message.endsWith(error.details.error.message));
  return error;
}

/** Runs `fn`, expecting it to throw a JobsimError (of `code`, when given); returns the error. */
export function throwsJobsim(fn, code) {
  try {
    fn();
  } catch (error) {
    return assertJobsimError(error, code);
  }
  assert.fail(`expected a JobsimError${code ? ` ${code}` : ""}, nothing was thrown`);
}

/** A small v1 Job body, as a client would send it. */
export function jobBody(name = "etl", extra = {}) {
  return {
    apiVersion: "run.googleapis.com/v1",
    kind: "Job",
    metadata: { name, labels: { team: "data" } },
    spec: {
      template: {
        spec: {
          taskCount: 3,
          parallelism: 2,
          template: {
            spec: {
              maxRetries: 1,
              timeoutSeconds: "300",
              containers: [
                {
                  image: "us-docker.pkg.dev/cloudrun/container/job:latest",
                  args: ["--date", "2026-01-01"],
                  env: [{ name: "MODE", value: "full" }],
                },
              ],
            },
          },
        },
      },
    },
    ...extra,
  };
}

/** Deterministic PRNG (mulberry32) for the fuzz tests. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Makes `node_modules/jobsim` a link to pkg/, so tests load the package by its name through its
 * `exports` as a consumer would (scripts/test.sh does the same after `npm ci`).
 */
export function linkPackage() {
  const link = join(wasmDir, "node_modules", "jobsim");
  if (!existsSync(join(link, "package.json"))) {
    mkdirSync(join(wasmDir, "node_modules"), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(join("..", "pkg"), link, "dir");
  }
}

/**
 * The native CLI the cross-target tests compare with: $JOBSIM_BIN, else the newer of
 * target/release/jobsim and target/debug/jobsim (under $CARGO_TARGET_DIR when set).
 */
export function findCli() {
  if (process.env.JOBSIM_BIN) return process.env.JOBSIM_BIN;
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, "target");
  const exe = process.platform === "win32" ? "jobsim.exe" : "jobsim";
  const found = ["release", "debug"].map((p) => join(targetDir, p, exe)).filter((p) => existsSync(p));
  found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0];
}
