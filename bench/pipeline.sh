#!/usr/bin/env bash
# Pipeline benchmark: generated data at a given scale, a bare read-and-write-to-Delta floor, then the full pipeline.
#
#   bench/pipeline.sh PERSONS [full|incremental]      # e.g. bench/pipeline.sh 20000; S = 100000, M = 1000000
#
# Builds with the Maven wrapper if needed (MAVEN_ARGS=-o for offline), generates ~25 rows per person with
# `crosscheck generate --seed 42` into $BENCH_DIR (default /tmp/crosscheck-bench/PERSONS), reuses the data when it is
# there, and prints per stage: seconds, Spark jobs, rows/s; then peak driver heap and the ratio pipeline / floor.
# Both timings exclude JVM and Spark start-up (each process's own timing lines); wall and CPU seconds of each
# process are printed too. JVM options: CROSSCHECK_JAVA_OPTS (default -Xmx4g). EVENT_LOG=DIR writes Spark event
# logs there (per-job times: bench/spark-jobs.py DIR/<app>/events_1_*).
#
# incremental: one more month on top of a state. The state is every extract with the December 2025 payments and
# contributions taken out and without the registry updates; the measured run then adds December's payments and
# contributions (new files, cut from the generated ones), the generated registry update (late deaths and
# retractions) and 1 % of the registry's living persons reported dead in December 2025 (a new HJ_SW_ file). Its
# time is compared with the full run's ($dir/pipeline.log, when the full mode ran before).
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

finished() { # finished LOG: the run got to its last stage (the run report)
  grep -qE 'Progress - stage ([0-9]+) of \1: run report done' "$1"
}

write_config() { # write_config FILE LANDING
  cat > "$1" <<EOF
spark:
  master: local[*]
  shuffle_partitions: ${SHUFFLE_PARTITIONS:-4}
  time_zone: Asia/Shanghai
$(if [ -n "${EVENT_LOG:-}" ]; then mkdir -p "$EVENT_LOG"; printf '  conf:\n    spark.eventLog.enabled: "true"\n    spark.eventLog.dir: %s\n' "$EVENT_LOG"; fi)
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

if [ "$mode" = full ]; then
  rm -rf "$dir/floor"
  jrun "$dir/floor.log" org.crosscheck.bench.FloorBenchmark "$dir/crosscheck.yaml" "$dir/floor"
  floor_s=$(sed -n 's/^floor: [0-9]* rows in \([0-9.]*\) s.*/\1/p' "$dir/floor.log")
  grep -E '^floor|heapwatch|^cpu|^wall' "$dir/floor.log" | sed 's/^/  /'
  [ -n "$floor_s" ] || { echo "floor failed, see $dir/floor.log"; exit 1; }
  rm -rf "$dir/floor"
fi

rm -rf "$dir/warehouse" "$dir/exports"
config="$dir/crosscheck.yaml"
log="$dir/pipeline.log"
if [ "$mode" = incremental ]; then
  state="$dir/landing-state"
  inc="$dir/landing-increment"
  rm -rf "$state" "$inc"
  mkdir -p "$inc/benefits_office" "$inc/tax_bureau" "$inc/public_security"
  mkdir -p "$state"
  (cd "$dir/data/landing" && find . -type f ! -name 'HJ_ZL_*' -exec cp --parents {} "$state/" \;)
  export LC_ALL=C
  # December 2025 out of the state, into new files of the increment (header kept). Names and ids hold no commas
  # or pipes, so the period column is found by position.
  split_month() { # split_month FILE INCREMENT_FILE HEADER_LINES REGEX: lines matching REGEX move to INCREMENT_FILE
    local f="$1" out="$2" header="$3" re="$4"
    head -n "$header" "$f" > "$out"; tail -n "+$((header + 1))" "$f" | grep -E "$re" >> "$out" || true
    { head -n "$header" "$f"; tail -n "+$((header + 1))" "$f" | grep -vE "$re" || true; } > "$f.tmp" && mv "$f.tmp" "$f"
  }
  split_month "$state/benefits_office/gz_payments_2025.csv" "$inc/benefits_office/gz_payments_202512.csv" 1 \
    '^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,2025-12-'
  split_month "$state/benefits_office/platform_payments_2025.jsonl" \
    "$inc/benefits_office/platform_payments_202512.jsonl" 0 '"period_begin":"202512'
  split_month "$state/tax_bureau/JF_2025.csv" "$inc/tax_bureau/JF_202512.csv" 1 \
    '^[^|]*[|][^|]*[|][^|]*[|][^|]*[|]202512[|]'
  cp "$dir"/data/landing/public_security/HJ_ZL_* "$inc/public_security/"
  # 1 % of the living persons in the full registry extract, reported dead on 2025-12-15; persons the registry
  # update already mentions are left out (a later death record would supersede their planted one)
  full_registry=$(ls "$state"/public_security/HJ_QL_*.csv | head -n 1)
  { head -n 1 "$full_registry"
    tail -n +2 "$full_registry" | awk -F, 'BEGIN { OFS = "," }
      FNR == NR { if (FNR > 1) updated[$1] = 1; next }
      $6 == "0" && !($1 in updated) && ++n % 100 == 0 { $5 = "20251215"; $6 = "1"; $8 = "20260105120000"; print }' \
      <(cat "$inc"/public_security/HJ_ZL_*) -
  } > "$inc/public_security/HJ_SW_20260105.csv"
  unset LC_ALL
  write_config "$dir/state.yaml" "$state"
  echo "increment: $(( $(cat "$inc"/benefits_office/* | wc -l) - 1 )) payments, $(( $(wc -l < "$inc/tax_bureau/JF_202512.csv") - 1 )) contributions, $(( $(wc -l < "$inc/public_security/HJ_SW_20260105.csv") - 1 )) new deaths, $(( $(cat "$inc"/public_security/HJ_ZL_* | wc -l) - 1 )) registry updates"
  echo "building the state (everything up to November 2025) ..."
  jrun "$dir/state.log" org.crosscheck.cli.CrossCheck run --config "$dir/state.yaml" --as-of 2025-12-31
  finished "$dir/state.log" || { echo "state run failed, see $dir/state.log"; tail -20 "$dir/state.log"; exit 1; }
  grep -E 'Progress - stage [0-9]+ of [0-9]+: .* done' "$dir/state.log" | sed 's/.*Progress - /  state /'
  cp -r "$inc"/. "$state"/
  config="$dir/state.yaml"
  log="$dir/incremental.log"
fi
CROSSCHECK_LOG_LEVEL=INFO jrun "$log" org.crosscheck.cli.CrossCheck run --config "$config" --as-of 2026-01-31
finished "$log" || { echo "pipeline failed, see $log"; tail -20 "$log"; exit 1; }

stage_seconds() { # total of the run's stages ("stage n of m: ... done ... in S s" lines)
  sed -n 's/.*Progress - stage [0-9]* of [0-9]*: .* done.* in \([0-9.]*\) s .*/\1/p' "$1" | paste -sd+ | bc
}
echo "pipeline steps ($mode):"
grep -E 'StepTimer - |Progress - stage [0-9]+ of [0-9]+: .* done' "$log" | sed 's/.*StepTimer - /  /; s/.*Progress - /  /'
grep -E 'heapwatch|^cpu|^wall' "$log" | sed 's/^/  /'
pipe_s=$(stage_seconds "$log")
truth="$dir/data/truth.csv"
export_csv=$(ls -t "$dir"/exports/*/exceptions-*.csv 2>/dev/null | head -1 || true)
if [ "$mode" = full ] && [ -n "$export_csv" ] && command -v python3 >/dev/null; then
  echo "planted cases found (exceptions export against $truth):"
  python3 "$here/bench/planted-recall.py" "$export_csv" "$truth" | sed 's/^/  /'
fi
if [ "$mode" = full ]; then
  echo "summary: floor ${floor_s} s ($(echo "$rows / $floor_s" | bc) rows/s); pipeline ${pipe_s} s ($(echo "$rows / $pipe_s" | bc) rows/s); ratio pipeline/floor $(echo "scale=2; $pipe_s / $floor_s" | bc); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
else
  full_s=$( [ -f "$dir/pipeline.log" ] && stage_seconds "$dir/pipeline.log" || true)
  echo "summary: incremental month ${pipe_s} s${full_s:+; full run ${full_s} s; incremental / full $(echo "scale=3; $pipe_s / $full_s" | bc)}; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
fi
