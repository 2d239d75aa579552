#!/bin/sh
# Seconds per screening rule, each run on its own over the cleaned tables of an existing warehouse (the pipeline
# runs all rules as one union, so its log gives one figure for all of them). Nothing is written.
#
#   bench/rule-timings.sh CONFIG [AS_OF=2026-01-31] [RULE_ID,...]    # e.g. /tmp/crosscheck-bench/100000/crosscheck.yaml
#
# Extra Maven flags (e.g. -o for offline) go in MAVEN_ARGS; JVM options in CROSSCHECK_JAVA_OPTS (default -Xmx4g).
set -eu
cd "$(dirname "$0")/.."
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
# shellcheck disable=SC2086
exec java ${CROSSCHECK_JAVA_OPTS:--Xmx4g} @jobs/jvm.options -cp "$CP" org.crosscheck.bench.RuleTimings \
  "${1:?usage: bench/rule-timings.sh CONFIG [AS_OF] [RULE_ID,...]}" "${2:-2026-01-31}" ${3:+"$3"}
