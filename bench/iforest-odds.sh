#!/bin/sh
# Isolation forest on the ODDS shuttle and mammography data versus the published AUROC figures
# (linkedin/isolation-forest), mean of 10 seeds, then a scoring throughput run on synthetic rows.
#
#   bench/iforest-odds.sh [seeds=10] [throughput-rows=2000000]
#
# Reads ../shared/benchmarks/odds beside the checkout; prints a message and exits 0 when it is absent.
# Extra Maven flags (e.g. -o for offline) go in MAVEN_ARGS. SPARK_MASTER defaults to local[*].
set -eu
cd "$(dirname "$0")/.."
SHARED="$(pwd)/../shared"
if [ ! -d "$SHARED/benchmarks/odds" ]; then
  echo "SKIP: $SHARED/benchmarks/odds not found; the ODDS benchmark needs ../shared beside the checkout."
  exit 0
fi
./mvnw -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
exec java -Xmx4g @jobs/jvm.options -Dspark.master="${SPARK_MASTER:-local[*]}" -cp "$CP" \
  org.crosscheck.anomaly.bench.OddsBenchmark "$SHARED" "${1:-10}" "${2:-2000000}"
