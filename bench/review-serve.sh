#!/bin/sh
# Review workspace latency at scale: N synthetic cases in a fresh warehouse, the server in the same JVM, C concurrent
# reviewer clients (queue pages with filters / sorts / paging, case pages, a few confirm / dismiss actions).
# Prints p50 / p95 / p99 per kind of request. Takes the machine's benchmark lock (one benchmark at a time).
#
#   bench/review-serve.sh [cases=100000] [clients=10] [requests per client=300] [actions per client=3] [dir]
#
# Extra Maven flags (e.g. -o for offline) go in MAVEN_ARGS; JVM options in CROSSCHECK_JAVA_OPTS (default -Xmx4g).
set -eu
cd "$(dirname "$0")/.."
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
# shellcheck disable=SC2086
exec flock /tmp/crosscheck-bench.lock java ${CROSSCHECK_JAVA_OPTS:--Xmx4g} @jobs/jvm.options -cp "$CP" \
  org.crosscheck.bench.ReviewServeBenchmark "${1:-100000}" "${2:-10}" "${3:-300}" "${4:-3}" ${5:+"$5"}
