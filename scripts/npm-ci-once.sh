#!/usr/bin/env bash
# `npm ci` in DIR by its package-lock.json, skipped when node_modules already matches that lock
# (a stamp of the lock's hash): the idempotent install of every Node package dir of the tests.
#
#   bash scripts/npm-ci-once.sh DIR
set -euo pipefail
cd "$1"
stamp=node_modules/.jobsim-lock.sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_sum" >"$stamp"
fi
