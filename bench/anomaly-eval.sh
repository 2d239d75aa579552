#!/bin/sh
# Recall of amount_outlier (SQL rule) and anomaly_score (isolation forest) on the generator's planted amount
# outliers, each within its default alert budget, and the unplanted person-months each flags.
#
#   bench/anomaly-eval.sh [persons=20000] [seed=42] [dir=target/anomaly-eval]   # generate, build, evaluate
#   bench/anomaly-eval.sh --warehouse W --truth T                              # existing cleaned tables
#
# Generating builds the cleaned tables with a minimal evaluation-only loader (EvaluationCleanTables), not the
# validation stage. Extra Maven flags (e.g. -o for offline) go in MAVEN_ARGS. SPARK_MASTER defaults to local[*].
set -eu
cd "$(dirname "$0")/.."
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
if [ "${1:-}" = "--warehouse" ]; then
  ARGS="$*"
else
  ARGS="--generate ${3:-target/anomaly-eval} --persons ${1:-20000} --seed ${2:-42}"
fi
# shellcheck disable=SC2086
exec java -Xmx4g @jobs/jvm.options -Dspark.master="${SPARK_MASTER:-local[*]}" -cp "$CP" \
  org.crosscheck.anomaly.bench.AnomalyEvaluation --rules rules/screening $ARGS
