#!/usr/bin/env bash
# Runs every test of jobsim — the README's test command, and what CI runs.
#
# On a fresh machine (Rust toolchain, Node 20, npm) it installs what it needs first, each
# step skipped when already present: the wasm32 target, wasm-bindgen-cli at the version
# Cargo.lock pins, cargo-insta, cargo-fuzz, Debian's chromium, and the npm dev packages.
#
# Suites, in order: guardrails (rustfmt, clippy -D warnings with the workspace's unwrap/panic
# and wall-clock bans, jobsim-core's dependencies free of JS/OS-randomness crates), Rust (unit,
# integration, insta snapshots, proptest, bad-input table, the embed example), CLI determinism on
# the shipped scenarios, the wasm package (build, TypeScript incl. the drift test of every shipped
# scenario's outputs against the published types, node --test incl. native-vs-wasm determinism),
# the real clients (gcloud, Node googleapis, Python google-api-python-client; crash test and bad
# input on the wire) against `jobsim serve`, the web demo in headless Chromium, and a short fuzz run of every cargo-fuzz target
# (FUZZ_SECONDS each).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

passed=0
suite() { echo; echo "==> $*"; }
ok() { passed=$((passed + 1)); echo "--> ok: $*"; }

suite "tools"
# clippy and rustfmt (toolchain components) and the wasm32 target, each added when missing.
if command -v rustup >/dev/null; then
  installed=$(rustup component list --installed)
  for component in clippy rustfmt; do
    grep -q "^$component" <<<"$installed" || rustup component add "$component"
  done
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
fi
if ! cargo insta --version >/dev/null 2>&1; then
  cargo install cargo-insta --version 1.49.0
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
ok "tools present"

suite "guardrails: cargo fmt --check"
cargo fmt --all --check
ok "format"

suite "guardrails: cargo clippy -D warnings (workspace, all targets; and the wasm32 build)"
# Enforces the workspace lints (unwrap_used, expect_used, panic) and clippy.toml's
# disallowed-methods (no wall clock, no OS randomness), besides clippy's defaults.
cargo clippy -q --workspace --all-targets -- -D warnings
# The wasm32 build too: code under cfg(target_arch = "wasm32") is only seen there.
cargo clippy -q -p jobsim-core -p jobsim-wasm --target wasm32-unknown-unknown -- -D warnings
ok "clippy"

suite "guardrails: jobsim-core depends on no JS or OS-randomness crate"
bash scripts/check-core-deps.sh
ok "core dependencies"

suite "Rust: cargo insta test --workspace (snapshots must all be referenced and accepted)"
# CI=true makes insta fail on a new or changed snapshot instead of writing it.
cargo insta test --workspace --unreferenced=reject
# The criterion benches are not run here (speed is measured, never asserted), but they must build.
cargo build -q -p jobsim-core --benches
ok "rust tests"

suite "CLI: the main job runs, and every shipped scenario gives byte-identical output twice"
cargo build -q -p jobsim-cli
bin=target/debug/jobsim
"$bin" run >/dev/null
for f in scenarios/*.yaml scenarios/*.json; do
  [ -e "$f" ] || continue
  a=$("$bin" run "$f" --format json | sha256sum)
  b=$("$bin" run "$f" --format json | sha256sum)
  [ "$a" = "$b" ] || { echo "not deterministic: $f" >&2; exit 1; }
done
ok "cli determinism"

suite "wasm: build the npm package, type-check (usage and drift), node --test"
JOBSIM_BIN="$root/$bin" bash bindings/wasm/scripts/test.sh
ok "wasm package"

suite "clients: gcloud, Node googleapis, Python google-api-python-client against jobsim serve"
# After the wasm suite: the in-process googleapis run uses the package it built.
JOBSIM_BIN="$root/$bin" bash tests/clients/run.sh
ok "real clients"

suite "web demo: end-to-end in headless Chromium"
JOBSIM_BIN="$root/$bin" bash web-demo/scripts/test.sh
ok "web demo"

suite "fuzz: every cargo-fuzz target for ${FUZZ_SECONDS:-30}s"
bash scripts/fuzz.sh
ok "fuzz"

echo
echo "suites: $passed passed, 0 failed"
