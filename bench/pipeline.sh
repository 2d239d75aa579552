#!/usr/bin/env bash
# Pipeline benchmark: generated data at a given scale, a bare read-and-write-to-Delta floor, then the full pipeline.
#
#   bench/pipeline.sh PERSONS [full|incremental]      # e.g. bench/pipeline.sh 20000; S = 100000, M = 1000000
#
# Builds with the Maven wrapper if needed (MAVEN_ARGS=-o for offline), generates ~25 rows per person with
# `crosscheck generate --seed 42` into $BENCH_DIR (default /tmp/crosscheck-bench/PERSONS), reuses the data when it is
# there, and prints per stage: seconds, Spark jobs, rows/s; then peak driver heap and the ratio pipeline / floor.
# Both timings exclude JVM and Spark start-up (each process's own timing lines); wall and CPU seconds of each
# process are printed too. JVM options: CROSSCHECK_JAVA_OPTS (default -Xmx4g).
#
# incremental: the state is the 2024 extracts, the full registry and the enrollments; the measured run then adds
# the 2025 extracts and the registry update (late and cancelled deaths). The generator writes one fixed 24-month
# period, so "one more month" is not available; a year of payments and contributions is the closest increment.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
persons="${1:?usage: bench/pipeline.sh PERSONS [full|incremental]}"
mode="${2:-full}"
dir="${BENCH_DIR:-/tmp/crosscheck-bench/$persons}"
java_opts="${CROSSCHECK_JAVA_OPTS:--Xmx4g}"
target="$here/jobs/target"

if [ ! -f "$target/classpath.txt" ] || [ -n "$(find "$here/jobs/src/main" "$here/pom.xml" "$here/jobs/pom.xml" -newer "$target/classpath.txt" -print -quit)" ]; then
  (cd "$here" && ./mvnw -q -B ${MAVEN_ARGS:-} -DskipTests package) >&2
fi
cp="$target/classes:$(cat "$target/classpath.txt")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jrun() { # jrun LOGFILE MAINCLASS ARGS...: runs under HeapWatch with GNU time-like accounting
  local log="$1"; shift
  local t0; t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  ( TIMEFORMAT='cpu %U user %S sys'; time "$java_bin" $java_opts @"$here/jobs/jvm.options" -cp "$cp" \
      org.crosscheck.bench.HeapWatch "$@" ) > "$log" 2>&1 || true
  echo "wall $(echo "$(date +%s.%N) - $t0" | bc)" >> "$log"
}

if [ ! -f "$dir/data/truth.csv" ]; then
  echo "generating $persons persons into $dir/data ..."
  "$java_bin" -Xmx1g -cp "$cp" org.crosscheck.cli.CrossCheck generate --out "$dir/data" --persons "$persons" --seed 42 >/dev/null
fi
rows=$(find "$dir/data/landing" -type f \( -name '*.csv' -o -name '*.jsonl' \) -exec cat {} + | wc -l)
bytes=$(du -sb "$dir/data/landing" | cut -f1)

write_config() { # write_config FILE LANDING
  cat > "$1" <<EOF
spark:
  master: local[*]
  shuffle_partitions: ${SHUFFLE_PARTITIONS:-4}
  time_zone: Asia/Shanghai
storage:
  warehouse: $dir/warehouse
  exports: $dir/exports
ingest:
  landing: $2
  mappings: [$dir/data/mappings]
pseudonymisation:
  key_env: CROSSCHECK_BENCH_NO_KEY
screening:
  quality_rules: $here/rules/quality
  screening_rules: $here/rules/screening
EOF
}
write_config "$dir/crosscheck.yaml" "$dir/data/landing"

echo "scale: $persons persons, ~$rows lines, $((bytes / 1048576)) MB of extracts; mode $mode; JVM $java_opts; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

rm -rf "$dir/floor"
jrun "$dir/floor.log" org.crosscheck.bench.FloorBenchmark "$dir/crosscheck.yaml" "$dir/floor"
floor_s=$(sed -n 's/^floor: [0-9]* rows in \([0-9.]*\) s.*/\1/p' "$dir/floor.log")
grep -E '^floor|heapwatch|^cpu|^wall' "$dir/floor.log" | sed 's/^/  /'
[ -n "$floor_s" ] || { echo "floor failed, see $dir/floor.log"; exit 1; }

rm -rf "$dir/warehouse" "$dir/exports"
config="$dir/crosscheck.yaml"
if [ "$mode" = incremental ]; then
  rm -rf "$dir/landing-state"
  mkdir -p "$dir/landing-state"
  (cd "$dir/data/landing" && find . -type f ! -name '*2025*' ! -name 'HJ_ZL_*' -exec cp --parents {} "$dir/landing-state/" \;)
  write_config "$dir/state.yaml" "$dir/landing-state"
  echo "building the state (2024 + full registry + enrollments) ..."
  jrun "$dir/state.log" org.crosscheck.cli.CrossCheck run --config "$dir/state.yaml" --as-of 2025-12-31
  grep -E 'stage (ingest|validate|screen|report|publish):' "$dir/state.log" | sed 's/.*StepTimer - /  state /'
fi
CROSSCHECK_LOG_LEVEL=INFO jrun "$dir/pipeline.log" org.crosscheck.cli.CrossCheck run --config "$config" --as-of 2026-01-31
grep -q 'stage publish' "$dir/pipeline.log" || { echo "pipeline failed, see $dir/pipeline.log"; tail -20 "$dir/pipeline.log"; exit 1; }

echo "pipeline steps:"
grep 'StepTimer - ' "$dir/pipeline.log" | sed 's/.*StepTimer - /  /'
grep -E 'heapwatch|^cpu|^wall' "$dir/pipeline.log" | sed 's/^/  /'
pipe_s=$(sed -n 's/.*StepTimer - stage [a-z]*: .*in \([0-9.]*\) s .*/\1/p; s/.*StepTimer - stage [a-z]*: \([0-9.]*\) s .*/\1/p' "$dir/pipeline.log" | paste -sd+ | bc)
echo "summary: floor ${floor_s} s ($(echo "$rows / $floor_s" | bc) rows/s); pipeline ${pipe_s} s ($(echo "$rows / $pipe_s" | bc) rows/s); ratio pipeline/floor $(echo "scale=2; $pipe_s / $floor_s" | bc); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
