#!/bin/sh
# Pairwise precision/recall/F1 of the linkage on FEBRL (4a<->4b link, dataset3 and dataset2 dedupe) and splink
# fake_1000, read from ../shared/benchmarks (see bench/README.md). Prints SKIP and exits 0 when that is absent.
#
#   bench/linkage-eval.sh [benchmarks=../shared/benchmarks]     # extra Maven flags (e.g. -o) in MAVEN_ARGS
set -eu
cd "$(dirname "$0")/.."
BENCH=${1:-../shared/benchmarks}
if [ ! -d "$BENCH/febrl" ]; then echo "SKIP: no benchmark data under $BENCH"; exit 0; fi
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
exec java -Xmx4g @jobs/jvm.options -cp "$CP" org.crosscheck.linkage.bench.LinkageEvaluation "$BENCH" bench/linkage
