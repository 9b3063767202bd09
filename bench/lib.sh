# Shared by the benchmark scripts: timing, medians, and a pool of labelled test containers.
# Source it after setting LABEL and IMAGE.

now() { date +%s.%N; }

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Starts containers until N carry the label: the seeds' agent under the permissive runtime.
grow_to() {
  local have
  have=$(docker ps -q --filter "label=$LABEL" | wc -l)
  for ((i = have; i < $1; i++)); do
    docker run -d --label "$LABEL" --cap-add SYS_ADMIN --cap-add SYS_PTRACE "$IMAGE" >/dev/null
  done
  # Let every entrypoint step down, and the engine settle after the starts, before timing: a round right after 25
  # starts measures the engine's own after-work as much as the tool.
  sleep $((2 + ($1 - have) / 5))
}

# A pause before each timed run (PAUSE seconds, default 1): the engine and the shims finish the previous run's
# after-work (exec cleanup, connection teardown) first, so that no run, whichever side, pays for the one before.
pause_between() { sleep "${PAUSE:-1}"; }

# The baseline: the loop people write instead, one docker exec per labelled container.
time_loop() {
  local start end
  pause_between
  start=$(now)
  for c in $(docker ps -q --filter "label=$LABEL"); do
    docker exec "$c" sh -c 'cat /proc/[0-9]*/status' >/dev/null
  done
  end=$(now)
  echo "$end - $start" | bc
}

cleanup() { docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f >/dev/null; }
