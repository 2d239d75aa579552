#!/bin/sh
# Pairwise precision/recall/F1 of the linkage on FEBRL (4a<->4b link, dataset3 and dataset2 dedupe) and splink
# fake_1000, read from ../shared/benchmarks (see bench/README.md). Prints SKIP and exits 0 when that is absent.
# Then the generator's planted cases (every kind of second identity, the twins): bench/pipeline.sh on
# PLANTED_PERSONS generated persons (default 20000; 0 skips it), whose planted-case table has duplicate_identity.
#
#   bench/linkage-eval.sh [benchmarks=../shared/benchmarks]     # extra Maven flags (e.g. -o) in MAVEN_ARGS
set -eu
cd "$(dirname "$0")/.."
BENCH=${1:-../shared/benchmarks}
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
if [ -d "$BENCH/febrl" ]; then
  java -Xmx4g @jobs/jvm.options -cp "$CP" org.crosscheck.linkage.bench.LinkageEvaluation "$BENCH" bench/linkage
else
  echo "SKIP: no benchmark data under $BENCH"
fi
PERSONS=${PLANTED_PERSONS:-20000}
if [ "$PERSONS" != 0 ]; then
  echo "generated data, $PERSONS persons: planted cases (bench/pipeline.sh $PERSONS)"
  bench/pipeline.sh "$PERSONS" full | sed -n '/^planted cases found/,/^summary/p'
fi
