#!/usr/bin/env bash
# The real clients as judges of `jobsim serve` (issue #11): Node googleapis 178.0.0, Python
# google-api-python-client 2.202.0 and gcloud, unmodified, against the server over loopback;
# plus the crash test (--data under SIGKILL) and bad input on the wire. Part of scripts/test.sh.
#
#   bash tests/clients/run.sh                       # builds target/debug/jobsim when JOBSIM_BIN is unset
#   JOBSIM_BIN=path/to/jobsim bash tests/clients/run.sh
#
# Installs, each skipped when already in place: the Node packages by the lock (`npm ci`), a
# Python venv with the pinned requirements. gcloud is not installable from a registry: without
# it that part prints `skipped: gcloud not installed` and passes.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${JOBSIM_BIN:-}" ]; then
  (cd "$root" && cargo build -q -p jobsim-cli)
  JOBSIM_BIN="$root/target/debug/jobsim"
fi
export JOBSIM_BIN

# Node: googleapis by the lock; skipped when node_modules matches the lock already.
bash "$root/scripts/npm-ci-once.sh" "$here/node"

# Python: a venv with the pinned client; skipped when it matches the requirements already.
# Where `python3 -m venv` is missing (Debian without python3-venv), pip installs into a
# directory put on PYTHONPATH instead.
cd "$here/python"
req_sum=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f .venv/.jobsim-req.sha256 ] || [ "$(cat .venv/.jobsim-req.sha256)" != "$req_sum" ]; then
  rm -rf .venv
  if python3 -m venv .venv 2>/dev/null; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  else
    rm -rf .venv
    python3 -m pip install -q --disable-pip-version-check --target .venv/site -r requirements.txt
  fi
  echo "$req_sum" >.venv/.jobsim-req.sha256
fi
python=.venv/bin/python
if [ ! -x "$python" ]; then
  python=python3
  export PYTHONPATH="$here/python/.venv/site${PYTHONPATH:+:$PYTHONPATH}"
fi

if ! "$JOBSIM_BIN" serve --help >/dev/null 2>&1; then
  echo "skipped: $JOBSIM_BIN has no 'serve' subcommand (issue #11's server is not in this build)"
  exit 0
fi

echo "==> clients: Node googleapis (socket and in-process wasm), crash test, bad input on the wire"
cd "$here/node"
node --test --test-concurrency=1 ./*.test.mjs

echo "==> clients: Python google-api-python-client"
cd "$here/python"
"$python" -m unittest -v test_python_client.py

echo "==> clients: gcloud"
bash "$here/gcloud/gcloud.sh"
