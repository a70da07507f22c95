#!/usr/bin/env bash
# The Java peer engine's own figures (issue: Java peer engine):
#  1. One JVM holding VIEWERS virtual viewers of the demo's live stream (./cdn peer simulate against
#     ./cdn demo on this machine): resident memory sampled every second, native memory by the JVM's
#     own tracking (NMT; libwebrtc's allocations are outside it: RSS minus NMT's committed total),
#     CPU time of the simulating JVM per MB it moved (segment bytes received plus bytes served).
#  2. One segment (SEGMENT_MB) between two Java peers in one JVM over real WebRTC, through the
#     engine's link and uploader: every round's time and MB/s, the median and the slowest.
# Prints markdown. Needs a built ./cdn (mvn -B -q -DskipTests package).
#
#   load-tests/peer/peer-bench.sh [VIEWERS] [RAMP_S] [DURATION_S]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
viewers="${1:-200}"
ramp="${2:-30}"
duration="${3:-60}"
segment_mb="${SEGMENT_MB:-2}"
transfer_rounds="${TRANSFER_ROUNDS:-20}"
classpath="$root/launcher/target/cdn.jar:$root/launcher/target/lib/*"
lean_heap="-XX:+UseSerialGC -Xmx1g -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:TrimNativeHeapInterval=1000"

source "$here/../lib.sh"
[[ -f "$root/launcher/target/cdn.jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
new_workdir peer-bench
ulimit -n "$(ulimit -Hn)"

mkdir -p "$work/media"
"$root/cdn" demo --data-dir "$work/demo" --media-root "$work/media" > "$work/demo.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:8090/health"
wait_up "http://127.0.0.1:8081/live/demo/master.m3u8"

# 1. Virtual viewers. The heap is kept close to what is live (serial collector, 5-10 % free after a
# collection, freed C heap returned every second), as in the tracker benchmark: so that the RSS
# follows what the viewers hold rather than how lazily a collector gives memory back.
CDN_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${SIM_JVM:-$lean_heap}" "$root/cdn" peer simulate \
  http://127.0.0.1:8081/live/demo/master.m3u8 --tracker ws://127.0.0.1:8090/ws \
  --viewers "$viewers" --ramp-s "$ramp" --duration-s "$duration" > "$work/simulate.out" 2> "$work/simulate.log" &
sim=$!
pids+=($sim)
# ./cdn execs java: the simulating JVM is $sim itself.
ticks=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
peak=0; steady=0
end=$(( $(date +%s) + ramp + duration ))
nmt=""
while kill -0 "$sim" 2>/dev/null && (( $(date +%s) < end )); do
  rss=$(rss_of "$sim" 2>/dev/null || echo 0)
  (( rss > peak )) && peak=$rss
  steady=$rss
  cpu=$(cpu_of "$sim" 2>/dev/null || echo 0)
  # Native memory near the end, every viewer playing.
  if [[ -z $nmt ]] && (( $(date +%s) >= end - 5 )); then
    nmt=$(jcmd "$sim" VM.native_memory summary 2>/dev/null | awk '/^Total:/ {for (i=1;i<=NF;i++) if ($i ~ /^committed=/) {sub("committed=","",$i); sub("KB","",$i); print $i}}')
  fi
  sleep 1
done
wait "$sim" || true
summary=$(grep -E "^[0-9]+ viewers:" "$work/simulate.out" | tail -n 1)
[[ -n $summary ]] || { echo "the simulation printed no summary:" >&2; tail -n 20 "$work/simulate.log" >&2; exit 1; }
# "N viewers: S % from peers (H MB http, P MB p2p), ..." and the bytes served are not printed whole:
# MB moved = received (http + p2p) + served, the served bytes equal the p2p bytes received.
http_mb=$(sed -E 's/.*\(([0-9]+) MB http.*/\1/' <<< "$summary")
p2p_mb=$(sed -E 's/.*, ([0-9]+) MB p2p.*/\1/' <<< "$summary")
moved=$(( http_mb + 2 * p2p_mb ))
echo "## $viewers virtual viewers in one JVM ($(date -u +%F), ramp ${ramp} s, ${duration} s after)"
echo
echo "$summary"
echo
echo "| RSS peak | RSS at the end | per viewer | NMT committed | outside NMT (libwebrtc) | CPU s | MB moved | CPU ms per MB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
cpu_s=$(awk -v t="$cpu" -v hz="$ticks" 'BEGIN {printf "%.1f", t / hz}')
printf "| %d MiB | %d MiB | %.2f MiB | %s MiB | %s MiB | %s | %d | %s |\n" $(( peak / 1024 )) $(( steady / 1024 )) \
  "$(awk -v r="$steady" -v n="$viewers" 'BEGIN {print r / 1024 / n}')" \
  "$([[ -n $nmt ]] && echo $(( nmt / 1024 )) || echo '?')" \
  "$([[ -n $nmt ]] && echo $(( (steady - nmt) / 1024 )) || echo '?')" \
  "$cpu_s" "$moved" "$(awk -v c="$cpu_s" -v m="$moved" 'BEGIN {if (m > 0) printf "%.1f", c * 1000 / m; else print "?"}')"
echo

# 2. One segment between two Java peers.
echo "## ${segment_mb} MB between two Java peers (one JVM, real WebRTC)"
echo
echo '```'
java -cp "$classpath" dev.swarmcdn.peer.simulate.TransferBenchmark "$segment_mb" "$transfer_rounds" 2>/dev/null | grep -E '^(round|[0-9]+ MB)'
echo '```'
