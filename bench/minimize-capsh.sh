#!/usr/bin/env bash
# Benchmark: `capaudit minimize` of the seeds' capsh-then-setpriv image (capaudit-test:latest, built from host
# binaries by testing/build-test-image.sh) from Docker's 14 defaults, with the default --hold 5 s. Trials and wall
# time of the whole process (JVM start included), RUNS runs for each --parallel value; the goal is <= 16 trials and
# <= 60 s on 2 cores. Each run must find exactly CAP_SETGID, CAP_SETUID, CAP_SETPCAP and exit 0.
#
# Usage: bench/minimize-capsh.sh   RUNS=3 PARALLEL="4 1" OUT=bench/results/minimize-capsh.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${RUNS:-3}"
PARALLEL="${PARALLEL:-4 1}"
OUT="${OUT:-bench/results/minimize-capsh.txt}"
IMAGE=capaudit-test:latest
./capaudit --version >/dev/null   # builds the jar outside the timed runs
bash testing/build-test-image.sh "$IMAGE" >/dev/null 2>&1
jar=cli/target/capaudit.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
field() { python3 -c "import json,sys; m=json.load(open('$1'))['minimize']; print($2)"; }

lines=()
for parallel in $PARALLEL; do
  for ((r = 1; r <= RUNS; r++)); do
    json="$work/run-$parallel-$r.json"
    start=$(now)
    code=0
    java -jar "$jar" minimize "$IMAGE" --parallel "$parallel" --quiet --json "$json" || code=$?
    end=$(now)
    wall=$(echo "$end - $start" | bc)
    set_=$(field "$json" "m.get('set')")
    names=$(field "$json" "','.join(c[4:] for c in m.get('capabilities') or [])")
    trials=$(field "$json" "m['trialCount']")
    failed_fast=$(field "$json" "sum(1 for t in m['trials'] if t['verdict'] == 'fail' and t['seconds'] < 2)")
    lines+=("$(printf 'parallel=%s run=%d exit=%d trials=%s wall_s=%.1f set=%s (%s) fast_failures=%s' \
      "$parallel" "$r" "$code" "$trials" "$wall" "$set_" "$names" "$failed_fast")")
    [ "$code" -eq 0 ] && [ "$set_" = 0x1c0 ] || { printf '%s\n' "${lines[@]}"; echo "unexpected result" >&2; exit 1; }
  done
done
{
  echo "# capaudit minimize $IMAGE from docker-default (0xa80425fb), --hold 5 ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, Docker $(docker version -f '{{.Server.Version}}')"
  echo "# goal: <= 16 trials, <= 60 s; wall time of the whole process, JVM start included"
  printf '%s\n' "${lines[@]}"
} | tee "$OUT"
