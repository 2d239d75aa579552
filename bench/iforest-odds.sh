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
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
-Dio.netty.tryReflectionSetAccessible=true"
# shellcheck disable=SC2086
exec java -Xmx4g $OPENS -Dspark.master="${SPARK_MASTER:-local[*]}" -cp "$CP" \
  org.crosscheck.anomaly.bench.OddsBenchmark "$SHARED" "${1:-10}" "${2:-2000000}"
