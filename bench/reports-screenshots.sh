#!/bin/sh
# Screenshots of the fleet HTML report for the README: the benchmark's generated fleet (BenchFleet) of 5 and of
# 1,000 containers, rendered by headless Chromium 1400 and 420 px wide, the first screen of each, into
# docs/html-fleet-<N>-<width>.png. Needs Debian's chromium (apt-get install -y --no-install-recommends chromium);
# the network may be closed: the report is one self-contained file.
# Usage: bench/reports-screenshots.sh   (build first: mvn -B -o -pl reports-templates -am test-compile)
set -eu
cd "$(dirname "$0")/.."
cp="reports-templates/target/test-classes:reports-templates/target/classes:rules/target/classes:scanner/target/classes"
cp="$cp:$(mvn -B -o -q -Dstyle.color=never -pl reports-templates dependency:build-classpath \
  -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test | tr ':' '\n' | grep -v '/dev/capaudit/' | paste -sd:)"
out=$(mktemp -d)
for n in 5 1000; do
  java -Xmx256m -cp "$cp" dev.capaudit.reports.ReportsBenchmark "$n" "$out/$n" > /dev/null
  for size in 1400x900 420x900; do
    width=${size%x*}
    profile=$(mktemp -d)
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$profile" --window-size="${size%x*},${size#*x}" \
      --screenshot="docs/html-fleet-$n-$width.png" "file://$out/$n/report.html" > /dev/null 2>&1
    rm -rf "$profile"
    echo "docs/html-fleet-$n-$width.png"
  done
done
rm -rf "$out"
