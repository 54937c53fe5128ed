#!/usr/bin/env bash
# Instructions per `jobs.get` in `jobsim serve` (issue #11), counted by callgrind so the figure
# does not depend on how loaded the shared machine is: a release server in manual clock mode
# answers N sequential keep-alive `jobs.get` (one Node client connection); the same with 0
# requests is the start-up and shutdown baseline; (total − baseline) / N is printed.
#
#   cargo build --release -p jobsim-cli && bash bench/serve-callgrind.sh [N=2000]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=$(for i in 0 1 2 3 4 5 6 7 8 9; do
  printf '{"call":"jobs.create","body":{"metadata":{"name":"b%s"},"spec":{"template":{"spec":{"taskCount":1,"template":{"spec":{"containers":[{"image":"us-docker.pkg.dev/demo/b:1"}]}}}}}}}' "$i"
  if [ "$i" -lt 9 ]; then printf ,; fi
done)
printf '{"seed":5,"profile":"realistic","steps":[%s]}' "$jobs" >"$tmp/world.json"
cat >"$tmp/gets.mjs" <<'JS'
import http from "node:http";
const [port, n] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const path = "/apis/run.googleapis.com/v1/namespaces/demo-project/jobs/b1";
const get = () => new Promise((res, rej) =>
  http.get({ host: "127.0.0.1", port, agent, path }, (r) => { r.resume(); r.on("end", () => res(r.statusCode)); }).on("error", rej));
for (let i = 0; i < n; i++) if ((await get()) !== 200) throw new Error("not 200");
agent.destroy();
JS
count() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out.$1" "$root/target/release/jobsim" serve "$tmp/world.json" \
    --port 0 --clock manual >"$tmp/srv.$1" 2>"$tmp/vg.$1" &
  local pid=$!
  for _ in $(seq 300); do grep -q listening "$tmp/srv.$1" 2>/dev/null && break; sleep 0.2; done
  node "$tmp/gets.mjs" "$(sed -n 's#.*:\([0-9]*\)$#\1#p' "$tmp/srv.$1")" "$1"
  kill -TERM "$pid"
  wait "$pid" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/vg.$1"
}
base=$(count 0)
total=$(count "$n")
echo "baseline $base, with $n jobs.get $total: $(((total - base) / n)) instructions per request"
callgrind_annotate "$tmp/out.$n" 2>/dev/null | sed -n '/file:function/,+15p' | cut -c1-140
