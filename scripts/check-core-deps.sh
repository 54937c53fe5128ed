#!/usr/bin/env bash
# Fails when jobsim-core's normal (non-dev) dependencies include a crate that ties the core to
# JavaScript or to the host's clock and randomness: wasm-bindgen (and its helper crates), js-sys,
# web-sys, getrandom, web-time. The core is pure (ARCHITECTURE.md, "Determinism"); the wasm
# bindings, not the core, talk to JS. Checked for the host and for wasm32-unknown-unknown, where
# target-specific dependencies (e.g. `ulid` → `web-time` → `js-sys`) appear.
#
#   bash scripts/check-core-deps.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

banned='^(wasm-bindgen(-[a-z-]+)?|js-sys|web-sys|getrandom|web-time) '
host=$(rustc -vV | sed -n 's/^host: //p')
failed=0
for target in "$host" wasm32-unknown-unknown; do
  # --locked: the check reads Cargo.lock as committed and never updates it.
  crates=$(cargo tree --locked -q -p jobsim-core -e normal --target "$target" --prefix none --format '{p}' | sed 's/ (\*)$//' | sort -u)
  found=$(grep -E "$banned" <<<"$crates" || true)
  if [ -n "$found" ]; then
    failed=1
    while read -r name version _; do
      echo "check-core-deps: jobsim-core depends on $name $version on $target, through:" >&2
      cargo tree --locked -q -p jobsim-core -e normal --target "$target" -i "$name@${version#v}" >&2
    done <<<"$found"
  else
    echo "check-core-deps: $target: $(wc -l <<<"$crates") crates, none of wasm-bindgen, js-sys, web-sys, getrandom, web-time"
  fi
done
exit "$failed"
