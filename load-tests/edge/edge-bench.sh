#!/usr/bin/env bash
# Edge cache, ours vs nginx proxy_cache vs Varnish, side by side in one run, in front of the same
# origin.
#
#  1. Cache hits: wrk on CPU 1 against each cache on CPU 0, for a 2 MB segment and a 2 KB playlist
#     (64 connections), and the segment again with 16 connections. Receiving 2 MB bodies saturates
#     wrk's core either way, so its latency there is mostly wrk's own queueing.
#     Then the segment at one paced load for both (64 connections, each pausing ~150 ms between
#     requests), where neither cache nor wrk saturates and the latency is the servers'.
#  2. Herds: 200 clients ask for the same uncached 2 MB object at once, behind an origin that takes
#     200 ms to answer (after untimed herds for the warm-up time per cache); reports how many
#     requests reached the origin, the clients' first byte and completion at the median, and the
#     slowest completion.
# Prints markdown tables. Needs wrk, nginx and varnish (installed from Debian's packages if missing)
# and a built ./cdn.
#
#   load-tests/edge/edge-bench.sh [DURATION_SECONDS] [CONNECTIONS] [HERD_SIZE] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${1:-10}"
connections="${2:-64}"
# Warm-up per object and server: on one core the JIT compiler and the young collection's first
# promotions compete with the server for longer than ten seconds (young pauses of 3-8 ms at first,
# under 1 ms after some 20 s of playlist load); measuring before that measures them.
warmup="${WARMUP_SECONDS:-20}"
herd="${3:-200}"
rounds="${4:-3}"
origin_port=18280
ours_port=18281
nginx_port=18282
varnish_port=18283
servers=(ours nginx varnish)
declare -A port=([ours]=$ours_port [nginx]=$nginx_port [varnish]=$varnish_port)

source "$here/../lib.sh"
ensure_tools varnishd=varnish

new_workdir edge-bench

taskset -c 1 java "$here/SlowOrigin.java" "$origin_port" > "$work/origin.log" 2>&1 &
pids+=($!)
# Every load client is 127.0.0.1: no per-client rate limit, as nginx has none here.
taskset -c 0 "$root/cdn" edge --port "$ours_port" --origin "http://127.0.0.1:$origin_port" --rate-limit-per-second 0 \
  --memory-mb 512 --disk-dir "$work/ours-disk" --stun-port -1 > "$work/edge.log" 2>&1 &
pids+=($!)
sed -e "s|@@WORK@@|$work|g" -e "s|@@PORT@@|$nginx_port|g" -e "s|@@ORIGIN_PORT@@|$origin_port|g" \
  "$here/nginx-proxy-cache.conf.template" > "$work/nginx.conf"
taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
sed -e "s|@@ORIGIN_PORT@@|$origin_port|g" "$here/varnish.vcl.template" > "$work/varnish.vcl"
# 512 MB of memory storage, like our edge's memory tier; -F keeps it in the foreground for $pids.
taskset -c 0 varnishd -F -a "127.0.0.1:$varnish_port" -f "$work/varnish.vcl" -s malloc,512m \
  -n "$work/varnish" > "$work/varnish.log" 2>&1 &
pids+=($!)

wait_up "http://127.0.0.1:$origin_port/warm.m3u8"
wait_up "http://127.0.0.1:$ours_port/health"
wait_up "http://127.0.0.1:$nginx_port/warm.m3u8"
wait_up "http://127.0.0.1:$varnish_port/warm.m3u8"

echo "### Cache hits (median of $rounds interleaved rounds)"
echo
hit_rounds ours="http://127.0.0.1:$ours_port/hit" nginx="http://127.0.0.1:$nginx_port/hit" \
  varnish="http://127.0.0.1:$varnish_port/hit"
echo
# segment_rounds CONNECTIONS [WRK_OPTIONS...]: the 2 MB segment from both caches, every round a row.
segment_rounds() {
  local conns="$1" round server rps mb p50 p99
  shift
  echo "| server | round | req/s | MB/s | p50 ms | p99 ms | busy CPUs (0: server, 1: wrk) |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for round in $(seq 1 "$rounds"); do
    for server in "${servers[@]}"; do
      ( sleep $(( duration / 2 )); cpu_busy > "$work/cpu" ) &
      read -r rps mb p50 p99 _ < <(measure "$duration" "$conns" "http://127.0.0.1:${port[$server]}/hit/seg_00001.m4s" "$@")
      wait $! 2>/dev/null || true
      echo "| $server | $round | $rps | $mb | $p50 | $p99 | $(cat "$work/cpu") |"
    done
  done
  echo
}

# At 64 connections wrk's core saturates receiving 2 MB bodies, and the latency it measures is its
# own queueing; with 16 it still does, with a shorter queue.
echo "### 2 MB segment hits, 16 connections (every round)"
echo
segment_rounds 16
# The same object at one offered load for both, below what either cache or wrk saturates at: each
# connection pauses about PACE_MS between requests (paced.lua). Here the latency is the servers'.
echo "### 2 MB segment hits, $connections connections pacing ${PACE_MS:-150} ms between requests (every round)"
echo
# Its own warm-up first: the first paced run after the saturated ones made the edge's JIT compiler
# recompile (C2 took 6 % of the core for 10 s, and p99 was several times the later rounds').
for server in "${servers[@]}"; do
  measure 10 "$connections" "http://127.0.0.1:${port[$server]}/hit/seg_00001.m4s" -s "$here/paced.lua" >/dev/null
done
segment_rounds "$connections" -s "$here/paced.lua"
# Untimed herds first, on paths of their own, for the same warm-up time per server as the hits:
# 200 new connections at once and a fill streamed to its waiters are paths the hit rounds never
# took. After six warm herds the JIT compiler's threads still had as much of the edge's core as its
# event loop during the timed herds (perf), and the edge spent about twice the CPU per herd it
# spends after forty.
echo "warming up the herd..." >&2
for server in "${servers[@]}"; do
  i=0; until_s=$((SECONDS + warmup))
  while (( SECONDS < until_s )); do
    i=$((i + 1)); herd "http://127.0.0.1:${port[$server]}/slow/warm-$server-$i/seg.m4s" "$herd" > /dev/null
  done
done
echo "### Herd: $herd clients, one uncached 2 MB object, origin answers after 200 ms"
echo
echo "| cache | round | origin requests | first byte p50 ms | complete p50 ms | complete max ms | complete answers |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for server in "${servers[@]}"; do
    path="/slow/$server-$round/seg.m4s"
    read -r ttfb p50 max ok < <(herd "http://127.0.0.1:${port[$server]}$path" "$herd")
    asked=$(curl -fs "http://127.0.0.1:$origin_port/count?path=$path")
    echo "| $server | $round | $asked | $ttfb | $p50 | $max | $ok/$herd |"
  done
done
echo
echo "wrk -t1 -c$connections -d${duration}s --latency on CPU 1; herd: curl --parallel on CPU 1;"
echo "each cache on CPU 0, origin on CPU 1;"
echo "$(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'),"
echo "$(varnishd -V 2>&1 | head -1)"
