#!/usr/bin/env bash
# The chaos benchmark (issue 16, item 3): the chaos suite (system-tests' ChaosSuiteTest) run longer,
# with more viewers: a real origin killed with kill -9 for OUTAGE_S seconds, one edge of two killed,
# one tracker of a Hazelcast cluster of two killed, the disk tier damaged while its edge is down,
# and a full disk, each under VIEWERS Java virtual viewers (real WebRTC) playing the live stream.
# Prints the per-scenario table (also in $OUT/chaos-report.md); the parts' logs are in the test's
# temporary folder, named in the test output.
#
#   load-tests/chaos/chaos-bench.sh [VIEWERS] [OUTAGE_S] [WATCH_S]     # 20 60 30
#
# Runs through Maven offline (the reactor builds what system-tests needs; nothing is installed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
viewers="${1:-20}"
outage="${2:-60}"
watch="${3:-30}"
out="${OUT:-$here/target/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
report="$out/chaos-report.md"
rm -f "$report"

echo "chaos-bench: $viewers viewers, origin outage $outage s, lasting faults watched $watch s; output in $out" >&2
cd "$root"
mvn -B -o -pl system-tests -am -Djazzer.skip=true test -Dtest=ChaosSuiteTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.viewers="$viewers" -Dchaos.outage-seconds="$outage" -Dchaos.watch-seconds="$watch" \
  -Dchaos.report="$report" > "$out/maven.log" 2>&1 || status=$?
grep -E '^chaos: |Tests run:|FAIL' "$out/maven.log" >&2 || true
echo
cat "$report" 2>/dev/null || echo "no report: see $out/maven.log" >&2
exit "${status:-0}"
