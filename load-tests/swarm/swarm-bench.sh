#!/usr/bin/env bash
# The swarm benchmark (issue 13, item 2): VIEWERS virtual viewers (the Java peer engine, one JVM)
# of a live stream, joining over RAMP_S seconds and playing DURATION_S more, against an origin
# (`./cdn origin --live demo`, ffmpeg test pattern), a tracker and an edge registered with it, each
# its own process on this machine. Scenarios: steady; churn (10 % leave and 10 % join every 10 s);
# slow (20 % of viewers upload at most 1 Mbit/s); liar (one viewer serves corrupted bytes). Each
# runs with P2P on, then off, in the same run. Writes summary.json and report.html (Chart.js,
# inlined) and prints their paths; the stack's logs go next to them, with every process's and
# viewer thread's CPU second by second (logs/cpu.txt, read with cpu-sampler.py report).
#
#   load-tests/swarm/swarm-bench.sh [VIEWERS] [RAMP_S] [DURATION_S]     # 100 30 180
#   SCENARIOS=steady,churn OUT=/tmp/sb load-tests/swarm/swarm-bench.sh 6 10 30   # a smoke run
#
# RTC_RUNTIMES (default 4): libwebrtc runtimes the viewers' sessions are spread over, each with a
# network thread of its own, as every real viewer has (one runtime for all: RTC_RUNTIMES=1).
# LADDER overrides the origin's ladder (default: the origin's own, 360p 800 kbit/s and 180p; the
# viewers play the first listed). Needs a built ./cdn (mvn -B -q -DskipTests package), npm, python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
viewers="${1:-100}"
ramp="${2:-30}"
duration="${3:-180}"
scenarios="${SCENARIOS:-steady,churn,slow,liar}"
out="${OUT:-$here/target/$(date -u +%Y%m%dT%H%M%SZ)}"
classpath="$root/launcher/target/cdn.jar:$root/launcher/target/lib/*"

source "$here/../lib.sh"
[[ -f "$root/launcher/target/cdn.jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
chart_js="$here/node_modules/chart.js/dist/chart.umd.min.js"
[[ -f "$chart_js" ]] || (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund >&2)
chart_version=$(sed -nE 's/^ *"version": *"([^"]+)".*/\1/p' "$here/node_modules/chart.js/package.json" | head -n 1)
new_workdir swarm-bench
mkdir -p "$out/logs" "$work/media"
ulimit -n "$(ulimit -Hn)"

# Ports the OS says are free now: other people's demos on this machine keep the default ones.
free_port() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}
origin_port=$(free_port tcp); tracker_port=$(free_port tcp); edge_port=$(free_port tcp); stun_port=$(free_port udp)
origin="http://127.0.0.1:$origin_port"; tracker="http://127.0.0.1:$tracker_port"; edge="http://127.0.0.1:$edge_port"
# The tracker's edge registry takes a shared secret; given through the environment, not argv (ps).
secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')

"$root/cdn" origin --live demo --port "$origin_port" --data-dir "$work/origin" --media-root "$work/media" \
  ${LADDER:+--ladder "$LADDER"} > "$out/logs/origin.log" 2>&1 &
pids+=($!)
# ./cdn execs java: $! is the tracker's JVM, whose /proc the benchmark reads.
CDN_TRACKER_EDGE_SECRET="$secret" "$root/cdn" tracker --port "$tracker_port" --rate-limit-per-second 0 > "$out/logs/tracker.log" 2>&1 &
tracker_pid=$!
pids+=($tracker_pid)
wait_up "$origin/live/demo/master.m3u8"
wait_up "$tracker/metrics"
CDN_EDGE_TRACKER_SECRET="$secret" "$root/cdn" edge --origin "$origin" --port "$edge_port" --tracker "$tracker" \
  --stun-port "$stun_port" --disk-dir "$work/edge-disk" --seeder --rate-limit-per-second 0 > "$out/logs/edge.log" 2>&1 &
pids+=($!)
wait_up "$edge/live/demo/master.m3u8"

# Bounded waits: the edge registered (the tracker routes viewers to it), and a live window of 4
# segments, where a player starts, so the first scenario does not wait for the stream itself.
wait_for() {
  local what="$1"; shift
  for _ in $(seq 1 120); do "$@" && return 0; sleep 0.5; done
  echo "swarm-bench: $what did not happen within 60 s (logs: $out/logs)" >&2
  return 1
}
wait_for "the edge registering with the tracker" \
  bash -c "curl -fs '$tracker/route?stream=demo' | grep -q '127.0.0.1:$edge_port'"
first_rendition=$(curl -fs "$edge/live/demo/master.m3u8" | grep -v '^#' | head -n 1)
wait_for "a live window of 4 segments" \
  bash -c "(( \$(curl -fs '$edge/live/demo/$first_rendition' | grep -c '^#EXTINF') >= 4 ))"

# Every process's and every viewer thread's CPU, second by second, for reading a slow moment
# afterwards (cpu-sampler.py report "$out/logs/cpu.txt"); stopped with the stack, bounded anyway.
python3 "$here/cpu-sampler.py" record "$out/logs/cpu.txt" 14400 &
pids+=($!)

echo "stack up: origin $origin, tracker $tracker (pid $tracker_pid), edge $edge; $viewers viewers," \
  "ramp $ramp s, $duration s of live; scenarios $scenarios" >&2
java -Xmx1536m "-Xlog:gc:file=$out/logs/viewers-gc.log:uptime" -cp "$classpath" dev.swarmcdn.peer.simulate.SwarmBenchmark \
  --src "$edge/live/demo/master.m3u8" --tracker "ws://127.0.0.1:$tracker_port/ws" \
  --origin-http "$origin" --edge-http "$edge" --tracker-http "$tracker" \
  --tracker-pid "$tracker_pid" --clock-ticks "$(getconf CLK_TCK)" \
  --viewers "$viewers" --ramp-s "$ramp" --duration-s "$duration" --scenarios "$scenarios" \
  --rtc-runtimes "${RTC_RUNTIMES:-4}" \
  --chart-js "$chart_js" --chart-js-version "$chart_version" --out "$out" 2> >(tee "$out/logs/benchmark.log" >&2)
echo "cpu:     $here/cpu-sampler.py report $out/logs/cpu.txt" >&2
