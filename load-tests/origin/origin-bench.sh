#!/usr/bin/env bash
# Origin throughput, ours vs nginx serving the same files, side by side in one run.
#
# Each server gets CPU 0 (taskset), wrk gets CPU 1: one core each, so the ratio means something on
# a shared machine even when the absolute numbers drift. Objects: a 2 MB segment and a 2 KB playlist,
# both in the page cache (warmed). Prints a markdown table; needs wrk and nginx (installed here from
# Debian's packages if missing) and a built ./cdn.
#
#   load-tests/origin/origin-bench.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${1:-10}"
connections="${2:-64}"
rounds="${3:-3}"
# Warm-up per object and server: on one core the JIT compiler competes with the server for a
# good ten seconds; measuring before it is done measures the compiler.
warmup="${WARMUP_SECONDS:-8}"
ours_port=18181
nginx_port=18182

source "$here/../lib.sh"
ensure_tools

new_workdir origin-bench

media="$work/media"
mkdir -p "$media/bench" "$work/data"
head -c $((2 * 1024 * 1024)) /dev/urandom > "$media/bench/seg_00001.m4s"
{
  printf '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-MAP:URI="init.mp4"\n'
  for i in $(seq 1 40); do printf '#EXTINF:2.000000,\nseg_%05d.m4s\n' "$i"; done
} | head -c 2048 > "$media/bench/index.m3u8"

taskset -c 0 "$root/cdn" origin --port "$ours_port" --media-root "$media" --data-dir "$work/data" \
  > "$work/origin.log" 2>&1 &
pids+=($!)
sed -e "s|@@WORK@@|$work|g" -e "s|@@MEDIA@@|$media|g" -e "s|@@PORT@@|$nginx_port|g" \
  "$here/nginx-static.conf.template" > "$work/nginx.conf"
taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)

wait_up "http://127.0.0.1:$ours_port/vod/bench/index.m3u8"
wait_up "http://127.0.0.1:$nginx_port/vod/bench/index.m3u8"

echo "### Files from the page cache (median of $rounds interleaved rounds)"
echo
hit_rounds ours="http://127.0.0.1:$ours_port/vod/bench" nginx="http://127.0.0.1:$nginx_port/vod/bench"
echo
echo "wrk -t1 -c$connections -d${duration}s --latency on CPU 1; each server on CPU 0; $(nproc) cores, $(uname -r)"
