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
  sleep 2   # let every entrypoint step down before timing
}

# The baseline: the loop people write instead, one docker exec per labelled container.
time_loop() {
  local start end
  start=$(now)
  for c in $(docker ps -q --filter "label=$LABEL"); do
    docker exec "$c" sh -c 'cat /proc/[0-9]*/status' >/dev/null
  done
  end=$(now)
  echo "$end - $start" | bc
}

cleanup() { docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f >/dev/null; }
