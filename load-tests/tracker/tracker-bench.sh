#!/usr/bin/env bash
# The tracker, ours vs bittorrent-tracker's server, side by side in one run, under the same
# WebTorrent load: many peers on their own WebSockets, in swarms, announcing with offers, answering
# every offer they get. Each tracker runs on CPU 0, the load generators (WebTorrentLoad.java, several
# processes, each on its own source address) on CPU 1.
#
#  1. Memory: MEMORY_PEERS peers connect and announce, then idle; growth per peer of the RSS and of
#     the live memory after a full collection (JVM heap; V8 heap plus buffers) against no peers.
#  2. Relaying: PEERS peers announce with 5 offers each as fast as their replies come (closed loop,
#     so the tracker saturates); offers and answers received per second, relay latency from the
#     sender's clock to the receiver's, CPU used by the tracker per relayed signal; then the same at
#     a fixed moderate load (MODERATE announces/s, 10 signals each).
# Prints markdown tables. Needs node and npm (bittorrent-tracker from npm) and a built ./cdn.
#
#   load-tests/tracker/tracker-bench.sh [PEERS] [MEMORY_PEERS] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${1:-5000}"
memory_peers="${2:-19000}"
rounds="${3:-1}"
swarm_size=50
offers=5
warm="${WARMUP_SECONDS:-20}"
saturate="${SATURATE_SECONDS:-20}"
moderate_seconds="${MODERATE_SECONDS:-15}"
moderate_rate="${MODERATE:-2000}"
settle=3
ours_port=18390
reference_port=18391
# The serial collector suits a tracker given one core. The heap is kept close to what is live
# (fixed 16 MB young generation, old generation 5-10% free after a collection, initial heap
# touched at start) and the JVM returns freed C heap to the system every second: so that the RSS
# the OS charges follows the peers held, as an operator running many peers per process would want.
lean_heap="-XX:+UseSerialGC -Xms24m -Xmx1g -Xmn16m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10"
ours_jvm="${OURS_JVM:-$lean_heap -XX:+AlwaysPreTouch -XX:TrimNativeHeapInterval=1000}"
trackers="${TRACKERS:-ours reference}"
generator_jvm="-XX:+UseSerialGC -Xms256m -Xmx1g"
per_generator=7000
classpath="$root/launcher/target/cdn.jar:$root/launcher/target/lib/*"

source "$here/../lib.sh"
command -v taskset >/dev/null || { echo "needs taskset (util-linux)" >&2; exit 1; }
command -v node >/dev/null || { echo "needs node and npm (scripts/install-deps)" >&2; exit 1; }
[[ -f "$root/launcher/target/cdn.jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
# bittorrent-tracker's client side pulls a native WebRTC module whose install fails here; the server needs none.
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
# Every connection is a file: as many as this sandbox allows (20,000 per process).
ulimit -n "$(ulimit -Hn)"

new_workdir tracker-bench

start_tracker() { # NAME: starts it on CPU 0, sets $tracker_pid, $port, $path
  if [[ $1 == ours ]]; then
    port=$ours_port; path=/announce
    CDN_JAVA_OPTS="$ours_jvm" taskset -c 0 "$root/cdn" tracker --port "$port" --rate-limit-per-second 0 > "$work/ours.log" 2>&1 &
    tracker_pid=$!
    wait_up "http://127.0.0.1:$port/health"
  else
    port=$reference_port; path=/
    taskset -c 0 node --expose-gc "$here/bittorrent-tracker-server.mjs" "$port" > "$work/reference.log" 2>&1 &
    tracker_pid=$!
    for _ in $(seq 1 150); do grep -q listening "$work/reference.log" && break; sleep 0.2; done
  fi
  pids+=("$tracker_pid")
}

stop_tracker() {
  kill "$tracker_pid"; wait "$tracker_pid" 2>/dev/null || true
}

# generate DIR COUNT PHASES: COUNT peers over enough generator processes on CPU 1, each from its own
# address (ephemeral ports and the file limit are per address and per process); returns once all
# have announced. Without PHASES they hold their peers until DIR/*/stop.
generate() {
  local dir="$1" count="$2" phases="$3" n i first size
  n=$(( (count + per_generator - 1) / per_generator ))
  gen_pids=()
  for i in $(seq 1 "$n"); do
    first=$(( (i - 1) * count / n )); size=$(( i * count / n - first ))
    mkdir -p "$dir/g$i"
    taskset -c 1 java $generator_jvm -cp "$classpath" "$here/WebTorrentLoad.java" peers "ws://127.0.0.1:$port$path" \
      "127.0.0.$((i + 1))" "$first" "$size" "$swarm_size" "$offers" "$dir/g$i" "$phases" \
      > "$dir/g$i/out" 2> "$dir/g$i/err" &
    gen_pids+=($!); pids+=($!)
  done
  for _ in $(seq 1 600); do
    (( $(cat "$dir"/g*/out 2>/dev/null | grep -c READY || true) == n )) && return 0
    sleep 0.2
  done
  echo "generators did not get all $count peers in within 120 s; see $dir/g*/err" >&2
  return 1
}

finish_generators() { # FILE: tells them, waits (bounded) for them to exit
  local dir="$1" file="$2"
  for g in "$dir"/g*; do touch "$g/$file"; done
  for pid in "${gen_pids[@]}"; do
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill "$pid" 2>/dev/null || true
  done
}

# RSS after a full collection, the same for both: jcmd for ours (then a second for the JVM's
# native heap trim), SIGUSR2 for bittorrent-tracker (its server script then calls gc()).
rss_kb() {
  if [[ $name == ours ]]; then jcmd "$tracker_pid" GC.run >/dev/null; sleep 2; else kill -USR2 "$tracker_pid"; sleep 2; fi
  awk '/^VmRSS/ { print $2 }' "/proc/$tracker_pid/status"
}
# Live memory after a full collection, bytes: for ours the heap (the class histogram collects
# first), for bittorrent-tracker V8's used heap plus its buffers (its server script prints them).
heap_bytes() {
  if [[ $name == ours ]]; then
    jcmd "$tracker_pid" GC.class_histogram | awk '/^Total/ { print $3 }'
  else
    kill -USR2 "$tracker_pid"; sleep 2
    awk '/^live / { live = $2 } END { print live + 0 }' "$work/reference.log"
  fi
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$tracker_pid/stat"; }

: > "$work/results"
for round in $(seq 1 "$rounds"); do
  for name in $trackers; do
    echo "round $round: $name" >&2
    start_tracker "$name"
    # Warm-up: load the code paths of connecting and announcing, twice, then let the peers go.
    for pass in 1 2; do
      generate "$work/$name-$round-warm$pass" 2000 ""
      finish_generators "$work/$name-$round-warm$pass" stop
    done
    sleep 3
    heap0=$(heap_bytes)
    rss0=$(rss_kb)
    generate "$work/$name-$round-mem" "$memory_peers" ""
    sleep 5
    heap1=$(heap_bytes)
    rss1=$(rss_kb)
    finish_generators "$work/$name-$round-mem" stop
    sleep 3

    interval=$(( peers * 1000 / moderate_rate ))
    generate "$work/$name-$round-load" "$peers" "warm:0:$warm,saturate:0:$saturate,moderate:$interval:$moderate_seconds"
    for g in "$work/$name-$round-load"/g*; do touch "$g/go"; done
    sleep $(( warm + settle ))
    ticks0=$(cpu_ticks); t0=$(date +%s.%N)
    sleep $(( (saturate - settle) / 2 )); busy=$(cpu_busy)
    sleep $(( saturate - settle - (saturate - settle) / 2 - 1 ))
    ticks1=$(cpu_ticks); t1=$(date +%s.%N)
    sleep $(( settle + moderate_seconds / 2 )); busy_moderate=$(cpu_busy)
    finish_generators "$work/$name-$round-load" never
    stop_tracker
    java -cp "$classpath" "$here/WebTorrentLoad.java" report "$work/$name-$round-load"/g* > "$work/$name-$round-report"
    read -r _ so sa _ sf sop50 sop99 sap50 sap99 < <(grep '^saturate ' "$work/$name-$round-report")
    read -r _ mo ma _ mf mop50 mop99 map50 map99 < <(grep '^moderate ' "$work/$name-$round-report")
    cpu_us=$(awk -v a="$ticks0" -v b="$ticks1" -v t0="$t0" -v t1="$t1" -v so="$so" -v sa="$sa" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.1f", 1e6 * (b - a) / hz / ((so + sa) * (t1 - t0)) }')
    echo "$name $round $memory_peers $rss0 $rss1 $heap0 $heap1 $so $sa $sf $sop50 $sop99 $sap50 $sap99 $cpu_us $mo $ma $mf $mop50 $mop99 $map50 $map99 ${busy// /_} ${busy_moderate// /_}" \
      >> "$work/results"
  done
done

echo "<details><summary>every run</summary>"
echo
echo '```'
echo "tracker round peers rss0_kB rss1_kB heap0 heap1 sat_offers/s sat_answers/s sat_failures offer_p50 offer_p99 answer_p50 answer_p99 cpu_us/signal mod_offers/s mod_answers/s mod_failures offer_p50 offer_p99 answer_p50 answer_p99 busy_sat busy_mod"
cat "$work/results"
echo '```'
echo "</details>"
echo
echo "| tracker | peers held | RSS per peer | live memory per peer (JVM heap; V8 heap + buffers) | offers/s | answers/s | relayed/s | tracker CPU per relayed signal | p99 relay at saturation (offer / answer) | p99 relay at $((moderate_rate * 10 / 1000))k signals/s (offer / answer) | CPU 0 (tracker) / CPU 1 (load) busy |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for name in $trackers; do
  label="ours (JVM: $ours_jvm)"; [[ $name == reference ]] && label="bittorrent-tracker $(node -p "require('$here/node_modules/bittorrent-tracker/package.json').version") (node $(node --version))"
  # The round with the median relayed/s stands for the row.
  grep "^$name " "$work/results" | awk '{ print $0, $8 + $9 }' | sort -n -k25 | sed -n "$(( (rounds + 1) / 2 ))p" \
    | awk -v label="$label" '{
        heap = ($7 > 0) ? sprintf("%.2f KiB", ($7 - $6) / $3 / 1024) : "n/a"
        printf "| %s | %d | %.2f KiB | %s | %.0f | %.0f | %.0f | %s µs | %.0f / %.0f ms | %.1f / %.1f ms | %s |\n",
          label, $3, ($5 - $4) / $3, heap, $8, $9, $8 + $9, $15, $12, $14, $20, $22, $23 }' \
    | sed 's/_/ /g'
done
echo
echo "$peers peers in swarms of $swarm_size for relaying, announcing $offers offers each (fake SDP of ~600 bytes);"
echo "saturation: each peer announces again as soon as its reply comes (${saturate} s after ${warm} s of warm-up);"
echo "moderate: $moderate_rate announces/s in all. Tracker on CPU 0, load generators on CPU 1 ($(nproc) cores);"
echo "$(uname -r), $(java -version 2>&1 | head -1), node $(node --version)"
