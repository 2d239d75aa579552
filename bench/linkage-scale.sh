#!/bin/sh
# Throughput of identity resolution: N synthetic identity records resolved with rules/linkage/identity.yaml
# (trained from scratch); prints candidate pairs per blocking rule and seconds per stage. See bench/README.md.
#
#   flock /tmp/crosscheck-bench.lock bench/linkage-scale.sh [records=1000000]   # MAVEN_ARGS=-o for offline builds
set -eu
cd "$(dirname "$0")/.."
./mvnw ${MAVEN_ARGS:-} -q -B -DskipTests package >/dev/null
CP="jobs/target/classes:$(cat jobs/target/classpath.txt)"
exec java -Xmx8g @jobs/jvm.options -Dspark.master="${SPARK_MASTER:-local[2]}" -cp "$CP" \
  org.crosscheck.linkage.bench.LinkageScaleBench "${1:-1000000}" rules/linkage/identity.yaml
