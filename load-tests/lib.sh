# Shared by the benchmark scripts: tools, server start-up waits, and wrk runs parsed into numbers.
# Source it; it expects $root (repository root) to be set.

# ensure_tools [COMMAND=PACKAGE...]: wrk, nginx, taskset and the commands named, from Debian's
# packages when missing, and a built ./cdn.
ensure_tools() {
  local packages=() pair
  command -v wrk >/dev/null || packages+=(wrk)
  command -v nginx >/dev/null || packages+=(nginx-light)
  command -v taskset >/dev/null || packages+=(util-linux)
  for pair in "$@"; do command -v "${pair%%=*}" >/dev/null || packages+=("${pair#*=}"); done
  if (( ${#packages[@]} )); then
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -q && $sudo apt-get install -y -q "${packages[@]}"
  fi
  [[ -f "$root/launcher/target/cdn.jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
}

# new_workdir NAME: a scratch folder removed on exit, with every process in $pids killed first.
new_workdir() {
  work="$(mktemp -d "/tmp/$1.XXXXXX")"
  pids=()
  trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
  # nginx workers run as an unprivileged user: let them into the folder.
  chmod 755 "$work"
}

# wait_up URL: until it answers 2xx, bounded at 30 s.
wait_up() {
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "server at $1 did not come up" >&2
  return 1
}

# measure SECONDS CONNECTIONS URL [WRK_OPTIONS...]: one wrk run on CPU 1; prints "req/s MB/s
# p50_ms p99_ms non2xx".
measure() {
  taskset -c 1 wrk -t1 -c"$2" -d"$1"s --latency "${@:4}" "$3" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    /Transfer\/sec/ { t=$2; if (t ~ /GB/) mb=t*1024; else if (t ~ /MB/) mb=t+0; else mb=t/1024 }
    /^ +50%/ { p50=ms($2) }
    /^ +99%/ { p99=ms($2) }
    /Non-2xx/ { bad=$NF }
    END { printf "%.0f %.0f %.2f %.2f %s\n", rps, mb, p50, p99, (bad==""?0:bad) }'
}

# hit_rounds NAME=BASE...: after a warm-up, ROUNDS interleaved wrk runs per object (seg_00001.m4s,
# index.m3u8) and server; prints every run, then a table of the median runs.
# Uses $duration, $connections, $warmup, $rounds, $work.
hit_rounds() {
  local -A base=()
  local servers=() pair object server round rps mb p50 p99 bad label
  for pair in "$@"; do servers+=("${pair%%=*}"); base[${pair%%=*}]="${pair#*=}"; done
  # The warm-up in waves, objects and servers in turn, as the rounds go: after one long run per
  # object the edge's JIT compiler still threw away and recompiled its hot code when the next burst
  # of new connections came (C2 took 6 % of the core in the following 10 s, 0.6 % after waves).
  local waves="${WARMUP_WAVES:-4}" wave
  echo "warming up..." >&2
  for wave in $(seq 1 "$waves"); do
    for server in "${servers[@]}"; do
      for object in seg_00001.m4s index.m3u8; do
        measure $(( warmup / waves )) "$connections" "${base[$server]}/$object" >/dev/null
      done
    done
  done
  : > "$work/hits"
  for round in $(seq 1 "$rounds"); do
    for object in seg_00001.m4s index.m3u8; do
      for server in "${servers[@]}"; do
        ( sleep $(( duration / 2 )); cpu_busy > "$work/cpu" ) &
        read -r rps mb p50 p99 bad < <(measure "$duration" "$connections" "${base[$server]}/$object")
        wait $! 2>/dev/null || true
        echo "$object $server $rps $mb $p50 $p99 $bad $(cat "$work/cpu")" >> "$work/hits"
      done
    done
  done
  echo "<details><summary>every run</summary>"
  echo
  echo '```'
  echo "object server req/s MB/s p50_ms p99_ms non-2xx cpu0 cpu1"
  cat "$work/hits"
  echo '```'
  echo "</details>"
  echo
  echo "| object | server | req/s | MB/s | p50 ms | p99 ms | non-2xx | busy CPUs in the median run (0: server, 1: wrk) |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  for object in seg_00001.m4s index.m3u8; do
    label="2 MB segment"; [[ $object == index.m3u8 ]] && label="2 KB playlist"
    for server in "${servers[@]}"; do
      # The run with the median req/s stands for the cell; its latencies and CPU use come with it.
      grep "^$object $server " "$work/hits" | sort -n -k3 | sed -n "$(( (rounds + 1) / 2 ))p" \
        | awk -v label="$label" '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s %s %s %s |\n", label, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }'
    done
  done
}

# cpu_busy: how busy CPU 0 and CPU 1 were over the next second, from /proc/stat.
cpu_busy() {
  local a b
  a=$(awk '/^cpu[01] /{print $1, $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu[01] /{print $1, $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
  paste <(echo "$a") <(echo "$b") | awk '{busy=$5-$2; idle=$6-$3; printf "%s %.0f%% ", $1, 100*busy/(busy+idle)}'
  echo
}

# herd URL N: N clients ask for URL at once, each on its own connection (curl --parallel).
# Prints "ttfb_p50_ms total_p50_ms total_max_ms complete" (complete: 200 with a 2 MB body).
herd() {
  local cfg out
  cfg="$(mktemp)"; out="$(mktemp)"
  for _ in $(seq 1 "$2"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$1"; done > "$cfg"
  taskset -c 1 curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max "$2" \
      -K "$cfg" -w "%{time_starttransfer} %{time_total} %{http_code} %{size_download}\n" > "$out"
  local ttfb total
  ttfb=$(sort -n -k1 "$out" | awk '{ v[NR]=$1 } END { printf "%.0f", 1000*v[int((NR+1)/2)] }')
  total=$(sort -n -k2 "$out" | awk '{ v[NR]=$2; ok+=($3==200 && $4==2097152) }
    END { printf "%.0f %.0f %d", 1000*v[int((NR+1)/2)], 1000*v[NR], ok }')
  echo "$ttfb $total"
  rm -f "$cfg" "$out"
}
