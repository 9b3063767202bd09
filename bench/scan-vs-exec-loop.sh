#!/usr/bin/env bash
# Benchmark: `capaudit scan --label` over the benchmark's containers (full audit, JSON report included) against the hand-written loop people use
# instead, `docker exec <c> sh -c 'cat /proc/[0-9]*/status'` for each container, timed in the same invocation.
#
# Usage: bench/scan-vs-exec-loop.sh [N...]        (default: 10 25 50 100 containers)
#   ROUNDS=5 (rounds per N; medians reported)  OUT=bench/results/scan-vs-exec-loop.txt
#
# Prints, per N, the medians and the ratios (capaudit / loop), and writes the same to $OUT. capaudit is timed twice:
# as shipped (exec views from the runtime's OCI spec: no exec at all on a host whose /proc and runtime state capaudit
# can read) and with --exec-view probe (one exec per container, the default before the spec was read). The marginal
# cost per container between consecutive N shows whether the cost is linear. Needs a running Docker engine
# (.ci/docker-up.sh) and builds the test image and the CLI jar if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS="${ROUNDS:-5}"
OUT="${OUT:-bench/results/scan-vs-exec-loop.txt}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10 25 50 100)
LABEL="capaudit.bench=$$"
IMAGE="capaudit-test:latest"

bash testing/build-test-image.sh "$IMAGE" >/dev/null
./capaudit --version >/dev/null   # builds the jar outside the timed runs

. bench/lib.sh
trap cleanup EXIT

time_capaudit() {
  local json start end n=$1
  shift
  json=$(mktemp)
  pause_between
  start=$(now)
  ./capaudit scan --policy nemoclaw-sandbox --label "$LABEL" --json "$json" "$@" >/dev/null || [ $? -eq 4 ]
  end=$(now)
  # The audit must have covered every container, or the comparison means nothing.
  python3 -c "import json,sys; d=json.load(open('$json')); assert d['summary']['targets'] >= $n, d['summary']"
  rm -f "$json"
  echo "$end - $start" | bc
}

{
  echo "# capaudit scan --all vs. a docker exec loop ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; engine $(docker version -f '{{.Server.Version}}')"
  echo "# rounds per N: $ROUNDS (alternating order); times are medians in seconds"
  printf '%-4s %11s %9s %9s %9s %11s %9s %12s\n' N capaudit_s probe_s loop_s ratio ratio_probe per_c_ms \
    marginal_ms
} | tee "$OUT"
prev_n=0 prev_t=0

for n in "${SIZES[@]}"; do
  grow_to "$n"
  a=() d=() b=()
  for ((r = 0; r < ROUNDS; r++)); do
    # Alternate the order so no side always meets a warm or a cold engine.
    if ((r % 2 == 0)); then
      a+=("$(time_capaudit "$n")"); d+=("$(time_capaudit "$n" --exec-view probe)"); b+=("$(time_loop)")
    else
      b+=("$(time_loop)"); d+=("$(time_capaudit "$n" --exec-view probe)"); a+=("$(time_capaudit "$n")")
    fi
  done
  ma=$(printf '%s\n' "${a[@]}" | median)
  md=$(printf '%s\n' "${d[@]}" | median)
  mb=$(printf '%s\n' "${b[@]}" | median)
  marginal="-"
  if ((prev_n > 0)); then
    marginal=$(printf '%.1f' "$(echo "($ma - $prev_t) * 1000 / ($n - $prev_n)" | bc -l)")
  fi
  printf '%-4s %11.3f %9.3f %9.3f %9.3f %11.3f %9.1f %12s\n' "$n" "$ma" "$md" "$mb" "$(echo "$ma / $mb" | bc -l)" \
    "$(echo "$md / $mb" | bc -l)" "$(echo "$ma * 1000 / $n" | bc -l)" "$marginal" | tee -a "$OUT"
  prev_n=$n prev_t=$ma
done
