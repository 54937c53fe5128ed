#!/usr/bin/env bash
# Optimizes a wasm-bindgen output with binaryen's wasm-opt, pinned in bindings/wasm/package-lock.json
# (its Node build, so nothing native is downloaded; installed on first use):
#
#   bash scripts/wasm-opt.sh IN.wasm OUT.wasm [-g]
#
# The flags are the shipped package's (scripts/build-wasm.sh) unless JOBSIM_WASM_OPT_FLAGS gives
# others (e.g. "-O3" for the speed build BENCHMARKS.md compares). Why these: -Oz alone made the file
# 10 % smaller but its gzip 7 % larger: it inlines every function that has one caller, which gzip
# compresses worse. Inlining only those of at most 20 instructions (-ocimfs=20) measured smallest in
# both (BENCHMARKS.md, "Issue 10 — wasm size, third pass"); --converge repeats the passes while they
# still shrink the file ("fourth pass"). The features are those rustc's wasm32 target emits.
# Extra arguments (e.g. -g to keep the name section for twiggy) are passed on.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: scripts/wasm-opt.sh IN.wasm OUT.wasm [wasm-opt flags]" >&2; exit 2; }
in=$1 out=$2
shift 2
bash "$root/bindings/wasm/scripts/dev-tools.sh"
read -r -a flags <<<"${JOBSIM_WASM_OPT_FLAGS:--Oz -ocimfs=20 --converge}"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)
node "$root/bindings/wasm/node_modules/binaryen/bin/wasm-opt" "${flags[@]}" "${features[@]}" "$@" "$in" -o "$out"
