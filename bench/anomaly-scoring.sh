#!/bin/sh
# Throughput of the anomaly_score rule on synthetic payment rows made in Spark (spark.range): features, fit on a
# sample, scoring every person-month, and the rule end to end.
#
#   bench/anomaly-scoring.sh [rows=12000000] [shuffle-partitions=8] [full]   # full: also the rule end to end
#
# Extra Maven flags (e.g. -o for offline) go in MAVEN_ARGS. SPARK_MASTER defaults to local[*].
set -eu
cd "$(dirname "$0")/.."
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
exec java -Xmx6g @jobs/jvm.options -Dspark.master="${SPARK_MASTER:-local[*]}" -cp "$CP" \
  org.crosscheck.anomaly.bench.AnomalyScoringBench "${1:-12000000}" "${2:-8}" "${3:-}"
