#!/usr/bin/env bash
# gcloud (unmodified) against `jobsim serve` (issue #11): jobs create/describe/list/update/
# execute --wait/delete and executions list/describe/cancel/delete, each under `timeout` so every
# wait ends. The server runs in wall-clock mode at a high --speed so executions finish on their
# own. gcloud prefixes the region to the host (us-central1-localhost): each command runs under
# `unshare -m` with a private hosts file bind-mounted on /etc/hosts, so the machine's own
# /etc/hosts stays untouched.
#
#   JOBSIM_BIN=target/debug/jobsim bash tests/clients/gcloud/gcloud.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=${JOBSIM_BIN:-$root/target/debug/jobsim}

if ! command -v gcloud >/dev/null; then
  echo "skipped: gcloud not installed"
  exit 0
fi
# A private mount namespace needs root (as in CI) or unprivileged user namespaces.
if [ "$(id -u)" = 0 ]; then unshare=(unshare -m); else unshare=(unshare -m -r); fi
if ! "${unshare[@]}" true 2>/dev/null; then
  echo "skipped: cannot make a private mount namespace for gcloud's regional host name"
  exit 0
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

printf '127.0.0.1 localhost\n127.0.0.1 us-central1-localhost\n' >"$tmp/hosts"
"$bin" serve "$here/world.yaml" --port 0 --clock wall --speed 20 >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^jobsim serve: listening on ' "$tmp/server.out" 2>/dev/null && break
  sleep 0.1
done
port=$(sed -n 's#^jobsim serve: listening on http://[^:]*:\([0-9]*\)$#\1#p' "$tmp/server.out")
[ -n "$port" ] || { echo "jobsim serve did not start:"; cat "$tmp/server.err"; exit 1; }
base="http://127.0.0.1:$port/apis/run.googleapis.com/v1/namespaces/demo-project"

export CLOUDSDK_CONFIG="$tmp/gcloud" CLOUDSDK_AUTH_ACCESS_TOKEN=fake CLOUDSDK_CORE_PROJECT=demo-project \
  CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN="http://localhost:$port/" CLOUDSDK_CORE_DISABLE_PROMPTS=1 \
  CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=1 CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=1
# One gcloud command, under timeout, in the private mount namespace; stdout kept in $tmp/out.
g() {
  echo "+ gcloud $*" >&2
  if ! timeout 90 "${unshare[@]}" sh -c 'mount --bind "$0" /etc/hosts && shift && exec gcloud "$@"' \
    "$tmp/hosts" _ "$@" --region us-central1 >"$tmp/out" 2>"$tmp/err"; then
    echo "gcloud $* failed:" >&2
    cat "$tmp/err" "$tmp/out" >&2
    echo "server stderr:" >&2
    tail -20 "$tmp/server.err" >&2
    exit 1
  fi
}
# One gcloud command that must fail, printing MESSAGE (gcloud's own words for the server's error).
g_fails() {
  local message=$1
  shift
  echo "+ gcloud $* (must fail)" >&2
  if timeout 90 "${unshare[@]}" sh -c 'mount --bind "$0" /etc/hosts && shift && exec gcloud "$@"' \
    "$tmp/hosts" _ "$@" --region us-central1 >"$tmp/out" 2>"$tmp/err"; then
    echo "gcloud $* succeeded" >&2
    exit 1
  fi
  grep -qF "$message" "$tmp/err" || { echo "gcloud $*: no '$message' in:" >&2; cat "$tmp/err" >&2; exit 1; }
}
# Asserts on the JSON gcloud printed: python3 evaluates EXPR with `d` bound to it.
check() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert eval(sys.argv[2]), (sys.argv[2], d)' "$tmp/out" "$1"
}
# The server's own answer for a path under the namespace, keys sorted; vs gcloud's JSON, keys sorted.
same_as_server() {
  curl -sf "$base/$1" >"$tmp/server.json"
  python3 - "$tmp/out" "$tmp/server.json" <<'EOF'
import json, sys
a, b = (json.dumps(json.load(open(p)), sort_keys=True) for p in sys.argv[1:3])
assert a == b, f"gcloud's body differs from the server's own GET:\n{a}\n{b}"
EOF
}

image=us-docker.pkg.dev/demo/etl:1
# jobs create waits for Ready with observedGeneration == generation (R-conditions, D17).
g run jobs create j1 --image "$image" --tasks 3 --max-retries 1 --format json
g run jobs describe j1 --format json
check 'd["spec"]["template"]["spec"]["taskCount"] == 3'
check 'd["spec"]["template"]["spec"]["template"]["spec"]["maxRetries"] == 1'
check 'd["status"]["observedGeneration"] == d["metadata"]["generation"] == 1'
check '[c["status"] for c in d["status"]["conditions"] if c["type"] == "Ready"] == ["True"]'
same_as_server jobs/j1
# A second create of the same name: 409, which gcloud words as "already exists".
g_fails "Job [j1] already exists" run jobs create j1 --image "$image"
g run jobs list --format json
check 'sorted(j["metadata"]["name"] for j in d) == ["j1", "slow"]'

# update: a replaceJob with the body gcloud read; generation 2.
g run jobs update j1 --tasks 2 --format json
g run jobs describe j1 --format json
check 'd["metadata"]["generation"] == 2 and d["spec"]["template"]["spec"]["taskCount"] == 2'

# execute --wait: POST :run, then polls the execution until Completed.
g run jobs execute j1 --wait --format json
check 'd["metadata"]["labels"]["run.googleapis.com/job"] == "j1"'
check '[c["status"] for c in d["status"]["conditions"] if c["type"] == "Completed"] == ["True"]'
check 'd["status"]["succeededCount"] == 2'
ex1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["name"])' "$tmp/out")
g run jobs executions describe "$ex1" --format json
check 'd["status"]["succeededCount"] == 2'
same_as_server "executions/$ex1"

# A long execution (the scenario's workload for "slow": 1 h virtual = 3 min here), cancelled.
g run jobs execute slow --async --format json
ex2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["name"])' "$tmp/out")
g run jobs executions list --job slow --format json
check '[e["metadata"]["name"] for e in d] == ["'"$ex2"'"]'
g run jobs executions cancel "$ex2" --quiet
g run jobs executions describe "$ex2" --format json
# R28: a cancelled execution completes with Completed=False, reason Cancelled; its task is cancelled.
check '[(c["status"], c.get("reason")) for c in d["status"]["conditions"] if c["type"] == "Completed"] == [("False", "Cancelled")]'
check 'd["status"]["cancelledCount"] == 1'
same_as_server "executions/$ex2"
g run jobs executions list --format json
check 'sorted(e["metadata"]["name"] for e in d) == sorted(["'"$ex1"'", "'"$ex2"'"])'

# deletes: gcloud polls GET until 404.
g run jobs executions delete "$ex2" --quiet
g run jobs executions list --job slow --format json
check 'd == []'
g run jobs delete j1 --quiet
g run jobs list --format json
check '[j["metadata"]["name"] for j in d] == ["slow"]'
# A missing job: gcloud's own message for a 404.
g_fails "Cannot find job [nope]" run jobs describe nope

echo "gcloud: create (and a 409), describe, list, update, execute --wait, executions list/describe/cancel/delete, delete, a 404: ok"
