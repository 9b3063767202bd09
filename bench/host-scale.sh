#!/usr/bin/env bash
# Benchmark: `capaudit host` over a generated node of 1,000 containers and 10,000 processes (bench/generate-node.py:
# a /proc tree and containerd's k8s.io state), in a JVM limited to -Xmx256m, JSON report included. Wall time of the
# whole process as ./capaudit starts it, 5 runs after one warm-up, median; the goal is <= 3 s.
#
# Usage: bench/host-scale.sh [CONTAINERS] [PROCESSES_PER_CONTAINER]   OUT=bench/results/host-scale.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONTAINERS="${1:-1000}"
PER="${2:-10}"
RUNS="${RUNS:-5}"
OUT="${OUT:-bench/results/host-scale.txt}"
./capaudit --version >/dev/null   # builds the jar outside the timed runs
node=$(mktemp -d)
trap 'rm -rf "$node"' EXIT
python3 bench/generate-node.py "$node" "$CONTAINERS" "$PER" >/dev/null

run() {  # as a user runs it: ./capaudit (its JVM flags and class data sharing archive), the heap limited to 256 MiB
  CAPAUDIT_JAVA_OPTS=-Xmx256m ./capaudit host --no-engine --policy cis-docker \
    --proc-root "$node/proc" --host-root "$node/host" --format json -o "$node/report.json" 2>/dev/null || [ $? -eq 4 ]
}
. bench/lib.sh

run   # warm-up: the page cache, not the JVM (every run is a new JVM)
times=()
for ((r = 0; r < RUNS; r++)); do
  start=$(now); run; end=$(now)
  times+=("$(echo "$end - $start" | bc)")
done
targets=$(python3 -c "import json; d=json.load(open('$node/report.json')); print(d['summary']['targets'])")
processes=$(python3 -c "import json; d=json.load(open('$node/report.json')); print(sum(len(t.get('processes') or []) for t in d['targets']))")
{
  echo "# capaudit host over a generated node ($(date -u +%Y-%m-%dT%H:%MZ)), -Xmx256m, JSON report written"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; runs: $RUNS after one warm-up"
  echo "# containers=$CONTAINERS processes_per_container=$PER -> report: $targets targets, $processes processes"
  echo "# wall seconds per run: ${times[*]}"
  printf 'median_wall_s %.3f (goal <= 3 s)\n' "$(printf '%s\n' "${times[@]}" | median)"
} | tee "$OUT"
