#!/usr/bin/env bash
# Builds the npm package of jobsim's wasm bindings into bindings/wasm/pkg/ (idempotent).
#
#   pkg/package.json   name "jobsim"; `exports` (types first): node → import/require, browser/default → web
#   pkg/node/          wasm-bindgen --target nodejs; glue renamed to .cjs, plus an ESM wrapper .mjs
#   pkg/web/           wasm-bindgen --target web (explicit `await init()`, no top-level await)
#
# Needs: rustup, cargo, Node 20 and npm. Adds the wasm32 target and the wasm-bindgen CLI (at the
# exact version Cargo.lock pins) and binaryen (by bindings/wasm/package-lock.json) when missing.
# Prints the raw and gzip sizes of the shipped .wasm.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
crate=bindings/wasm
pkg=$crate/pkg
target=wasm32-unknown-unknown
target_dir=${CARGO_TARGET_DIR:-$root/target}

# 1. Toolchain: the wasm target and the wasm-bindgen CLI matching the pinned crate.
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$want" ] || { echo "build-wasm: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-wasm: installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  [ "$have" = "$want" ] || {
    echo "build-wasm: wasm-bindgen on PATH is ${have:-missing}, not $want (is ~/.cargo/bin first on PATH?)" >&2
    exit 1
  }
fi

# 2. The release wasm: the root [profile.release] (lto, codegen-units = 1) with opt-level "z",
#    which measured 13% smaller than "s" here (BENCHMARKS.md, "WASM size"). The override only
#    touches this wasm32 build; JOBSIM_WASM_OPT_LEVEL=s|3 builds the alternatives to compare.
CARGO_PROFILE_RELEASE_OPT_LEVEL=${JOBSIM_WASM_OPT_LEVEL:-z} \
  cargo build -p jobsim-wasm --release --target "$target"
wasm=$target_dir/$target/release/jobsim_wasm.wasm

# 3. Glue for Node and for the web, each in its own folder.
rm -rf "$pkg"
mkdir -p "$pkg/node" "$pkg/web"
# The name section (function names for wasm stack traces) is a quarter of the file: dropped.
bindgen=(--weak-refs --typescript --remove-name-section)
wasm-bindgen "$wasm" --out-dir "$pkg/node" --target nodejs "${bindgen[@]}"
wasm-bindgen "$wasm" --out-dir "$pkg/web" --target web "${bindgen[@]}"
# wasm-opt with the shipped flags (scripts/wasm-opt.sh says why these). JOBSIM_WASM_OPT=0 skips
# it (to compare sizes); JOBSIM_WASM_OPT_FLAGS replaces the flags (e.g. "-O3" with
# JOBSIM_WASM_OPT_LEVEL=3 for the speed build BENCHMARKS.md compares).
if [ "${JOBSIM_WASM_OPT:-1}" != 0 ]; then
  bash scripts/wasm-opt.sh "$pkg/web/jobsim_wasm_bg.wasm" "$pkg/web/jobsim_wasm_bg.wasm"
  cp "$pkg/web/jobsim_wasm_bg.wasm" "$pkg/node/jobsim_wasm_bg.wasm"
fi
# `Simulator.call` / `read` are JS: one JSON text each way through `callJson` / `readJson`.
cat "$crate/src/call.js" >>"$pkg/node/jobsim_wasm.js"
cat "$crate/src/call.js" >>"$pkg/web/jobsim_wasm.js"

# Node: the glue is CommonJS; name it .cjs so it stays CommonJS whatever the importer's "type",
# and give ESM importers a .mjs that re-exports it (one wasm instance for both).
node_glue=$pkg/node/jobsim_wasm
mv "$node_glue.js" "$node_glue.cjs"
sed -i 's|@ts-self-types="./jobsim_wasm.d.ts"|@ts-self-types="./jobsim_wasm.d.cts"|' "$node_glue.cjs"
cp "$node_glue.d.ts" "$node_glue.d.cts"
mv "$node_glue.d.ts" "$node_glue.d.mts"
exports=$(sed -n 's/^exports\.\([A-Za-z_$][A-Za-z0-9_$]*\) = .*/\1/p' "$node_glue.cjs" | sort -u)
[ -n "$exports" ] || { echo "build-wasm: found no exports in the Node glue" >&2; exit 1; }
{
  echo '/* @ts-self-types="./jobsim_wasm.d.mts" */'
  echo '// ESM entry for Node: re-exports the CommonJS glue (one module instance for require and import).'
  echo 'import glue from "./jobsim_wasm.cjs";'
  for name in $exports; do echo "export const $name = glue.$name;"; done
} >"$node_glue.mjs"
# Web: its .js files are ES modules wherever they are loaded from.
echo '{ "type": "module" }' >"$pkg/web/package.json"

# 4. package.json of the npm package.
version=$(awk '/^\[workspace.package\]/ { f = 1 } f && /^version *=/ { gsub(/"/, "", $3); print $3; exit }' Cargo.toml)
cat >"$pkg/package.json" <<EOF
{
  "name": "jobsim",
  "version": "$version",
  "description": "Deterministic, event-sourced simulator of Google Cloud Run Jobs (Admin API v1), as WebAssembly",
  "license": "Apache-2.0",
  "main": "./node/jobsim_wasm.cjs",
  "types": "./node/jobsim_wasm.d.cts",
  "exports": {
    ".": {
      "node": {
        "import": { "types": "./node/jobsim_wasm.d.mts", "default": "./node/jobsim_wasm.mjs" },
        "require": { "types": "./node/jobsim_wasm.d.cts", "default": "./node/jobsim_wasm.cjs" }
      },
      "browser": { "types": "./web/jobsim_wasm.d.ts", "default": "./web/jobsim_wasm.js" },
      "default": { "types": "./web/jobsim_wasm.d.ts", "default": "./web/jobsim_wasm.js" }
    },
    "./web": { "types": "./web/jobsim_wasm.d.ts", "default": "./web/jobsim_wasm.js" },
    "./web/jobsim_wasm_bg.wasm": "./web/jobsim_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["node/", "web/"]
}
EOF
cp "$crate/README.md" "$pkg/README.md" 2>/dev/null || true

# 5. Sizes of the shipped .wasm (the same bytes in node/ and web/).
shipped=$pkg/web/jobsim_wasm_bg.wasm
raw=$(wc -c <"$shipped")
gz=$(gzip -9 -c "$shipped" | wc -c)
line="jobsim_wasm_bg.wasm: raw $raw bytes ($((raw / 1024)) KiB), gzip -9 $gz bytes ($((gz / 1024)) KiB)"
if command -v brotli >/dev/null; then
  br=$(brotli -c -q 11 "$shipped" | wc -c)
  line="$line, brotli $br bytes ($((br / 1024)) KiB)"
fi
echo "build-wasm: $line"
echo "build-wasm: package at $pkg (issue 10 targets: raw <= 400 KB, gzip <= 130 KB; must <= 600 KB / 180 KB; BENCHMARKS.md)"
