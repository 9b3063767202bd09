#!/usr/bin/env bash
# Benchmark: `capaudit host` (every process of the node, every container found in the runtimes' state, JSON report
# included) against the hand-written `docker exec <c> sh -c 'cat /proc/[0-9]*/status'` loop over the same
# containers, alternating in one invocation, medians; the goal is capaudit <= 0.1 x the loop at 50 containers.
#
# Usage: bench/host-vs-exec-loop.sh [N...]   (default: 50)   ROUNDS=5  OUT=bench/results/host-vs-exec-loop.txt
# capaudit runs as a user runs it: ./capaudit (the shaded jar with its class-data-sharing archive).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS="${ROUNDS:-5}"
OUT="${OUT:-bench/results/host-vs-exec-loop.txt}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(50)
LABEL="capaudit.bench-host=$$"
IMAGE="capaudit-test:latest"

bash testing/build-test-image.sh "$IMAGE" >/dev/null
./capaudit --version >/dev/null   # builds the jar (and its archive) outside the timed runs

. bench/lib.sh
trap cleanup EXIT

time_host() {
  local json start end n=$1
  json=$(mktemp)
  pause_between
  start=$(now)
  ./capaudit host --no-engine --policy nemoclaw-sandbox --label "$LABEL" --format json -o "$json" >/dev/null 2>&1 \
    || [ $? -eq 4 ]
  end=$(now)
  python3 -c "import json; d=json.load(open('$json')); assert d['summary']['targets'] >= $n, d['summary']"
  rm -f "$json"
  echo "$end - $start" | bc
}

{
  echo "# capaudit host vs. a docker exec loop ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; engine $(docker version -f '{{.Server.Version}}')"
  echo "# rounds per N: $ROUNDS (alternating order); times are medians in seconds"
  printf '%-4s %8s %9s %8s\n' N host_s loop_s ratio
} | tee "$OUT"
for n in "${SIZES[@]}"; do
  grow_to "$n"
  a=() b=()
  for ((r = 0; r < ROUNDS; r++)); do
    if ((r % 2 == 0)); then a+=("$(time_host "$n")"); b+=("$(time_loop)"); else b+=("$(time_loop)"); a+=("$(time_host "$n")"); fi
  done
  ma=$(printf '%s\n' "${a[@]}" | median)
  mb=$(printf '%s\n' "${b[@]}" | median)
  printf '%-4s %8.3f %9.3f %8.3f\n' "$n" "$ma" "$mb" "$(echo "$ma / $mb" | bc -l)" | tee -a "$OUT"
done
