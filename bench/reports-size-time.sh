#!/bin/sh
# The reports' size and time budget (issue #11): N generated containers of 5 processes, every format written once,
# in a -Xmx256m JVM. Budget at N=1000: HTML <= 5 MB, SARIF <= 10 MB, JUnit <= 10 MB, all written in <= 2 s.
# Usage: bench/reports-size-time.sh [N...]   (build first: mvn -B -o -pl reports-templates -am test-compile)
set -eu
cd "$(dirname "$0")/.."
cp=$(mvn -B -o -q -pl reports-templates dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
cp="reports-templates/target/test-classes:reports-templates/target/classes:rules/target/classes:scanner/target/classes:$cp"
out=$(mktemp -d)
for n in "${@:-5 1000}"; do
  java -Xmx256m -cp "$cp" dev.capaudit.reports.ReportsBenchmark "$n" "$out/$n"
done
echo "reports in $out"
