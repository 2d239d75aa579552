#!/usr/bin/env bash
# Starts the rapaio Java kernel (io.github.padreati:rapaio-jupyter-kernel:3.0.1) with CrossCheck's jobs, Spark and
# Delta on the classpath and the --add-opens flags Spark needs on Java 17 (jobs/jvm.options, the launcher's file).
#   CROSSCHECK_CLASSPATH  the jobs' classpath (default: jobs/target/classes + jobs/target/classpath.txt, which
#                         ./crosscheck or ./mvnw -DskipTests package builds)
#   RAPAIO_KERNEL_JAR     the kernel jar (default: the local Maven repository; ./mvnw dependency:get fetches it)
#   CROSSCHECK_KERNEL_JAVA_OPTS  JVM options (default -Xmx3g)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
if [ -z "${CROSSCHECK_CLASSPATH:-}" ]; then
  if [ ! -f "$repo/jobs/target/classpath.txt" ]; then
    echo "crosscheck kernel: build the jobs first (./mvnw -B -DskipTests package)" >&2
    exit 1
  fi
  CROSSCHECK_CLASSPATH="$repo/jobs/target/classes:$(cat "$repo/jobs/target/classpath.txt")"
fi
jar="${RAPAIO_KERNEL_JAR:-$HOME/.m2/repository/io/github/padreati/rapaio-jupyter-kernel/3.0.1/rapaio-jupyter-kernel-3.0.1.jar}"
if [ ! -f "$jar" ]; then
  echo "crosscheck kernel: $jar is missing: ./mvnw -B dependency:get -Dartifact=io.github.padreati:rapaio-jupyter-kernel:3.0.1" >&2
  exit 1
fi
# the kernel reads logging.properties from its classpath: ours (INFO) comes first, the jar's FINEST breaks Spark's codegen
export RJK_CLASSPATH="$CROSSCHECK_CLASSPATH"
export CROSSCHECK_REPO="$repo"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck disable=SC2086
exec "$java_bin" ${CROSSCHECK_KERNEL_JAVA_OPTS:--Xmx3g} @"$repo/jobs/jvm.options" \
  -cp "$here:$jar:$CROSSCHECK_CLASSPATH" org.rapaio.jupyter.kernel.MainApp "$1"
