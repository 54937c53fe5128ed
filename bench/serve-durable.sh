#!/usr/bin/env bash
# The cost of a durable write in `jobsim serve --data` (issue #11): one Node client connection
# sends N sequential `jobs.create` (keep-alive) to a release server in manual clock mode, with
# a fresh log in $TMPDIR. Prints, per binary: the fsync-family syscalls per write (counted by
# strace: load-independent) and the writes per second without strace (wall time: on a shared
# machine compare binaries side by side, interleaved, never against an absolute figure).
#
#   cargo build --release -p jobsim-cli
#   bash bench/serve-durable.sh [N=300] [BIN=target/release/jobsim] [BIN2 …]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-300}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$root/target/release/jobsim")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/writes.mjs" <<'JS'
import http from "node:http";
const [port, n] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const path = "/apis/run.googleapis.com/v1/namespaces/demo-project/jobs";
const post = (i) => new Promise((res, rej) => {
  const body = JSON.stringify({ metadata: { name: `d${i}` },
    spec: { template: { spec: { template: { spec: { containers: [{ image: "us-docker.pkg.dev/demo/d:1" }] } } } } } });
  const req = http.request({ host: "127.0.0.1", port, agent, path, method: "POST",
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
    (r) => { r.resume(); r.on("end", () => res(r.statusCode)); });
  req.on("error", rej);
  req.end(body);
});
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) if ((await post(i)) !== 200) throw new Error("not 200");
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log((n / s).toFixed(0));
agent.destroy();
JS
# run BIN TAG [strace]: prints the writes/s (and leaves strace's summary in $tmp/strace.TAG)
run() {
  local bin=$1 tag=$2 wrap=()
  rm -f "$tmp/log.$tag.jsonl" "$tmp/log.$tag.jsonl.commit"
  [ "${3:-}" = strace ] && wrap=(strace -f -c -e trace=fsync,fdatasync -o "$tmp/strace.$tag")
  "${wrap[@]}" "$bin" serve "$root/tests/clients/world.json" --port 0 --clock manual \
    --data "$tmp/log.$tag.jsonl" >"$tmp/srv.$tag" 2>&1 &
  local pid=$!
  for _ in $(seq 300); do grep -q listening "$tmp/srv.$tag" 2>/dev/null && break; sleep 0.1; done
  node "$tmp/writes.mjs" "$(sed -n 's#.*:\([0-9]*\)$#\1#p' "$tmp/srv.$tag")" "$n"
  # Under strace, the server is strace's child: it gets the SIGTERM (strace exits with it).
  local server
  server=$(pgrep -P "$pid" || true)
  kill -TERM "${server:-$pid}"
  wait "$pid" || true
}
for i in "${!bins[@]}"; do
  run "${bins[$i]}" "s$i" strace >/dev/null
  calls=$(awk '$NF ~ /^(fsync|fdatasync)$/ {s += $4} END {print s + 0}' "$tmp/strace.s$i")
  echo "${bins[$i]}: $calls fsync/fdatasync calls for $n writes (start-up included)"
done
for round in 1 2 3; do
  for i in "${!bins[@]}"; do
    echo "round $round ${bins[$i]}: $(run "${bins[$i]}" "w$i") writes/s"
  done
done
