package org.crosscheck.core;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration, read from one YAML file by {@link ConfigLoader}. Every section has defaults, so an
 * empty file runs Spark in local mode with Delta tables under {@code ./warehouse}. Relative paths are resolved
 * against the folder of the configuration file; paths with a scheme ({@code hdfs://}, {@code s3a://}) are kept.
 */
public record CrossCheckConfig(
        SparkSettings spark,
        StorageSettings storage,
        IngestSettings ingest,
        PseudonymisationSettings pseudonymisation,
        ScreeningSettings screening,
        RunSettings run) {

    /** Without run settings: the defaults (exit 5 when findings await review, a lock stale after 120 s). */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening) {
        this(spark, storage, ingest, pseudonymisation, screening, null);
    }

    public CrossCheckConfig {
        spark = spark == null ? new SparkSettings(null, null, null, null, null) : spark;
        storage = storage == null ? new StorageSettings(null, null) : storage;
        ingest = ingest == null ? new IngestSettings(null, null) : ingest;
        pseudonymisation = pseudonymisation == null ? new PseudonymisationSettings(null, null) : pseudonymisation;
        screening = screening == null ? new ScreeningSettings(null, null, null, null, null) : screening;
        run = run == null ? new RunSettings(null, null) : run;
    }

    /**
     * @param master          Spark master URL; {@code local[*]} by default. Leave empty under spark-submit to take
     *                        the master given there.
     * @param shufflePartitions spark.sql.shuffle.partitions
     * @param conf            any further Spark settings (values whose key mentions a secret are masked in logs)
     */
    public record SparkSettings(String master, String appName, Integer shufflePartitions, String timeZone,
                                Map<String, String> conf) {
        public SparkSettings {
            master = master == null ? "local[*]" : master;
            appName = appName == null ? "crosscheck" : appName;
            shufflePartitions = shufflePartitions == null ? 8 : shufflePartitions;
            timeZone = timeZone == null ? "Asia/Shanghai" : timeZone;
            conf = conf == null ? Map.of() : Map.copyOf(conf);
        }
    }

    /**
     * @param warehouse root folder of all Delta tables
     * @param exports   folder for the risk officers' CSV and XLSX exports
     */
    public record StorageSettings(String warehouse, String exports) {
        public StorageSettings {
            warehouse = warehouse == null ? "warehouse" : warehouse;
            exports = exports == null ? "exports" : exports;
        }
    }

    /**
     * @param landing  folder where departments' extract files arrive; each mapping's {@code files} glob is relative to it
     * @param mappings folder of mapping files (one per department layout), or a list of files
     * @param expected deliveries the departments owe: a run where one is missing or older than allowed says so and
     *                 exits with {@link ExitCode#DELIVERY_MISSING}
     */
    public record IngestSettings(String landing, List<String> mappings, List<ExpectedDelivery> expected) {
        public IngestSettings(String landing, List<String> mappings) {
            this(landing, mappings, null);
        }

        public IngestSettings {
            landing = landing == null ? "landing" : landing;
            mappings = mappings == null ? List.of("mappings") : List.copyOf(mappings);
            expected = expected == null ? List.of() : List.copyOf(expected);
        }
    }

    /**
     * One delivery a department owes.
     *
     * @param mapping    id of the mapping its files arrive under
     * @param department who delivers it (for the message; the mapping's department when empty)
     * @param every      how often: {@code daily}, {@code weekly}, {@code monthly}, {@code quarterly} (sets the
     *                   default maximum age: 1, 7, 31, 92 days)
     * @param maxAgeDays newest delivery older than this many days is late (default from {@code every}, plus 3 days'
     *                   grace)
     */
    public record ExpectedDelivery(String mapping, String department, String every, Integer maxAgeDays) {
        public ExpectedDelivery {
            every = every == null ? "monthly" : every;
        }

        /** The age in days beyond which the newest delivery counts as late; null when {@code every} is unknown. */
        public Integer effectiveMaxAgeDays() {
            if (maxAgeDays != null) {
                return maxAgeDays;
            }
            return switch (every) {
                case "daily" -> 1 + 3;
                case "weekly" -> 7 + 3;
                case "monthly" -> 31 + 3;
                case "quarterly" -> 92 + 3;
                default -> null;
            };
        }
    }

    /**
     * How a run behaves towards a scheduler.
     *
     * @param failOn                which screening outcome makes the run exit 5 ({@link ExitCode#FINDINGS_PRESENT}):
     *                              {@code findings} (anything awaits review; the default), {@code new_findings}
     *                              (this run added or reopened an exception), {@code new_high_severity} (this run
     *                              added or reopened a high-severity exception), {@code never} (exit 0)
     * @param lockStaleAfterSeconds a run lock whose heartbeat is older than this is taken to belong to a dead run
     */
    public record RunSettings(String failOn, Integer lockStaleAfterSeconds) {
        public static final List<String> FAIL_ON = List.of("findings", "new_findings", "new_high_severity", "never");

        public RunSettings {
            failOn = failOn == null ? "findings" : failOn;
            lockStaleAfterSeconds = lockStaleAfterSeconds == null ? 120 : lockStaleAfterSeconds;
        }
    }

    /**
     * The key for the HMAC that replaces national ids in analyst tables. It is read from the environment variable
     * {@code keyEnv} or from {@code keyFile}, never from this file.
     */
    public record PseudonymisationSettings(String keyEnv, String keyFile) {
        public PseudonymisationSettings {
            keyEnv = keyEnv == null ? "CROSSCHECK_PSEUDONYM_KEY" : keyEnv;
        }
    }

    /**
     * @param qualityRules   folder of quality-check files (one per source family)
     * @param screeningRules folder of screening-rule files (one per rule)
     * @param enabled        rule ids to run; empty means all
     * @param disabled       rule ids to skip
     * @param parameters     per-rule parameter overrides: rule id to parameter name to value
     */
    public record ScreeningSettings(String qualityRules, String screeningRules, List<String> enabled,
                                    List<String> disabled, Map<String, Map<String, Object>> parameters) {
        public ScreeningSettings {
            qualityRules = qualityRules == null ? "rules/quality" : qualityRules;
            screeningRules = screeningRules == null ? "rules/screening" : screeningRules;
            enabled = enabled == null ? List.of() : List.copyOf(enabled);
            disabled = disabled == null ? List.of() : List.copyOf(disabled);
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }
}
