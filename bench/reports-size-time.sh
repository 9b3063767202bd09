#!/bin/sh
# The reports' size and time budget (issue #11). A generated fleet of N containers of 5 processes (BenchFleet: the
# configuration, 5 host processes and the exec views of each, as a scan reads them) is judged, then every format is
# written once to a file, in that same JVM (ReportsBenchmark): "written in" is the wall time of writing them all
# after the audit, as AuditRun does after a scan.
#
# The JVM is started as ./capaudit starts it (its flags are read from the launcher: C1 only, serial GC), with
# -Xmx256m and a class data sharing archive made by one warm-up run, as ./capaudit archives its classes after a
# build. A second series runs the JVM's defaults (C2, G1, no archive) for comparison. Each N runs RUNS times (default
# 5) in fresh JVMs; the summary line gives the median and the slowest.
#
# Budget at N=1000: HTML <= 5 MB, SARIF <= 10 MB, JUnit <= 10 MB, all reports written in <= 2 s.
# Usage: bench/reports-size-time.sh [N...]   (default: 5 1000; build first: mvn -B -o -pl reports-templates -am
# test-compile)
set -eu
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
out=$(mktemp -d)
# The modules' classes as jars (a class data sharing archive takes only jars), then their libraries.
for module in reports-templates/target/test-classes reports-templates/target/classes rules/target/classes \
    scanner/target/classes; do
  jar cf "$out/$(echo "$module" | tr / -).jar" -C "$module" .
  cp="${cp:+$cp:}$out/$(echo "$module" | tr / -).jar"
done
cp="$cp:$(mvn -B -o -q -Dstyle.color=never -pl reports-templates dependency:build-classpath \
  -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | tr ':' '\n' | grep -v '/dev/capaudit/' | paste -sd:)"
launcher=$(sed -n 's/^jvm=(java \(.*\))$/\1/p' capaudit)
[ $# -gt 0 ] || set -- 5 1000
# shellcheck disable=SC2086 # the launcher's flags are words
java $launcher -Xmx256m -XX:ArchiveClassesAtExit="$out/bench.jsa" -cp "$cp" dev.capaudit.reports.ReportsBenchmark 5 \
  "$out/warm-up" > /dev/null 2>&1
echo "# bench/reports-size-time.sh $* ($(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 \
/proc/loadavg) at the start, RUNS=$runs)"

series() { # series LABEL JVM-FLAGS...
  label=$1
  shift
  echo "## $label: java $*"
  for n in $sizes; do
    totals=""
    i=1
    while [ "$i" -le "$runs" ]; do
      java "$@" -cp "$cp" dev.capaudit.reports.ReportsBenchmark "$n" "$out/$n" > "$out/run.txt"
      if [ "$i" -eq 1 ]; then cat "$out/run.txt"; else tail -1 "$out/run.txt"; fi
      totals="$totals $(sed -n 's/.*written in \([0-9]*\) ms.*/\1/p' "$out/run.txt")"
      i=$((i + 1))
    done
    echo "$totals" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk -v n="$n" '{ t[NR] = $1 } END { printf \
      "N=%s: all reports written in %d ms (median of %d cold JVMs), slowest %d ms\n", n, t[int((NR + 1) / 2)], NR, t[NR] }'
  done
}
sizes="$*"
# shellcheck disable=SC2086
series "as ./capaudit runs" $launcher -Xmx256m -XX:SharedArchiveFile="$out/bench.jsa" -Xshare:auto -Xlog:cds=off \
  -Xlog:cds+dynamic=off
series "JVM defaults" -Xmx256m
echo "# reports in $out (load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
