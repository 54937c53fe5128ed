#!/usr/bin/env bash
# What each face of jobsim costs in the wasm: builds bench/wasm-floor (a cdylib over jobsim-core,
# not shipped) once per feature set with the package's own steps (opt-level "z", the workspace's
# LTO profile, wasm-bindgen, scripts/wasm-opt.sh) and prints raw and gzip -9 bytes per row, then
# the shipped package's file for comparison (BENCHMARKS.md, "Issue 10 — what each face costs").
#
#   bash bench/wasm-floor.sh            # ~1 minute a row on 2 cores
#   JOBSIM_WASM_OPT_LEVEL=3 JOBSIM_WASM_OPT_FLAGS=-O3 bash bench/wasm-floor.sh   # the speed build
#
# Builds are deterministic, so the bytes are exact whatever the load. The crate resolves its
# dependencies from the workspace's Cargo.lock (copied in), so the versions are the shipped ones.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
floor=bench/wasm-floor
target_dir=${CARGO_TARGET_DIR:-$root/target}/wasm-floor
out=$target_dir/out
cp Cargo.lock "$floor/Cargo.lock"
mkdir -p "$out"

rows=(
  "engine|"
  "+ JSON API (call)|api"
  "+ options|api options"
  "+ replay, snapshot|api options replay"
  "+ scenarios (JSON, YAML)|api options replay scenario"
)
printf '| %-28s | %9s | %9s |\n' "build" "raw" "gzip -9"
for row in "${rows[@]}"; do
  label=${row%%|*} features=${row#*|}
  CARGO_PROFILE_RELEASE_OPT_LEVEL=${JOBSIM_WASM_OPT_LEVEL:-z} cargo build -q --release --target wasm32-unknown-unknown \
    --manifest-path "$floor/Cargo.toml" --target-dir "$target_dir" --features "$features"
  rm -rf "$out/glue" && mkdir -p "$out/glue"
  wasm-bindgen "$target_dir/wasm32-unknown-unknown/release/wasm_floor.wasm" --out-dir "$out/glue" \
    --target web --weak-refs --remove-name-section
  bash scripts/wasm-opt.sh "$out/glue/wasm_floor_bg.wasm" "$out/floor.wasm"
  printf '| %-28s | %9d | %9d |\n' "$label" "$(stat -c %s "$out/floor.wasm")" "$(gzip -9c "$out/floor.wasm" | wc -c)"
done
shipped=bindings/wasm/pkg/web/jobsim_wasm_bg.wasm
if [ -f "$shipped" ]; then
  printf '| %-28s | %9d | %9d |\n' "the package (every face)" "$(stat -c %s "$shipped")" "$(gzip -9c "$shipped" | wc -c)"
else
  echo "(no $shipped: bash scripts/build-wasm.sh adds the package's row)"
fi
