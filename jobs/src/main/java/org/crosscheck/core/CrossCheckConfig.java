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
        ReviewSettings review,
        CatalogSettings catalog,
        RunSettings run,
        CorrectionSettings corrections) {

    /** The configuration of the first eight sections, with correction defaults. */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening, ReviewSettings review,
                            CatalogSettings catalog, RunSettings run) {
        this(spark, storage, ingest, pseudonymisation, screening, review, catalog, run, null);
    }

    /** The configuration of the first seven sections, with run and correction defaults. */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening, ReviewSettings review,
                            CatalogSettings catalog) {
        this(spark, storage, ingest, pseudonymisation, screening, review, catalog, null, null);
    }

    /** The configuration of the first six sections, with catalog, run and correction defaults. */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening, ReviewSettings review) {
        this(spark, storage, ingest, pseudonymisation, screening, review, null, null, null);
    }

    public CrossCheckConfig {
        spark = spark == null ? new SparkSettings(null, null, null, null, null) : spark;
        storage = storage == null ? new StorageSettings(null, null) : storage;
        ingest = ingest == null ? new IngestSettings(null, null) : ingest;
        pseudonymisation = pseudonymisation == null ? new PseudonymisationSettings(null, null) : pseudonymisation;
        screening = screening == null ? new ScreeningSettings(null, null, null, null, null) : screening;
        catalog = catalog == null ? new CatalogSettings(null, null, null, null) : catalog;
        review = review == null ? new ReviewSettings(null, null) : review;
        run = run == null ? new RunSettings(null, null) : run;
        corrections = corrections == null ? new CorrectionSettings(null, null) : corrections;
    }

    /**
     * The loop back to the departments (package {@code org.crosscheck.corrections}).
     *
     * @param overdueDays     a correction request still open this many days after it was first requested is overdue
     *                        (30 by default)
     * @param noticeTemplate  Markdown template of the notice draft to a person; the built-in template by default
     */
    public record CorrectionSettings(Integer overdueDays, String noticeTemplate) {
        public CorrectionSettings {
            overdueDays = overdueDays == null ? 30 : overdueDays;
        }
    }

    /** The configuration of the first five sections, with review, catalog and run defaults. */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening) {
        this(spark, storage, ingest, pseudonymisation, screening, null, null, null, null);
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
     * @param vacuumRetentionHours how long `crosscheck vacuum` keeps files that no table version needs any more
     *                  (Delta VACUUM retention; default 168 = 7 days, the least Delta allows safely; time travel
     *                  reaches back this far). 0 turns vacuuming off.
     */
    public record StorageSettings(String warehouse, String exports, String reports, Integer vacuumRetentionHours) {
        public static final int DEFAULT_VACUUM_RETENTION_HOURS = 168;

        public StorageSettings(String warehouse, String exports) {
            this(warehouse, exports, null, null);
        }

        /** @param reports folder of the HTML run reports ({@code <reports>/<run id>/index.html}, {@code latest/}) */
        public StorageSettings {
            warehouse = warehouse == null ? "warehouse" : warehouse;
            exports = exports == null ? "exports" : exports;
            reports = reports == null ? "reports" : reports;
            vacuumRetentionHours = vacuumRetentionHours == null ? DEFAULT_VACUUM_RETENTION_HOURS : vacuumRetentionHours;
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

    /**
     * How cases come back for review, and the reasons a reviewer may give for a dismissal (docs/exceptions.md).
     *
     * @param backForReview   when a dismissed case whose facts grew comes back for review
     * @param dismissReasons  the reasons offered for a dismissal; a dismissal needs one of them
     */
    public record ReviewSettings(BackForReview backForReview, List<String> dismissReasons) {
        public ReviewSettings {
            backForReview = backForReview == null ? new BackForReview(null, null, null) : backForReview;
            dismissReasons = dismissReasons == null ? List.of("false positive: the records are correct",
                    "already known and handled", "the source data was wrong and has been corrected",
                    "legitimate: the law or policy allows it", "other (see note)") : List.copyOf(dismissReasons);
        }
    }

    /**
     * A dismissed case comes back for review when its amount at risk grew, since it was dismissed, by more than
     * {@code amountGrowthPercent} percent of the amount then AND by at least {@code amountGrowthAtLeast}; or, when
     * {@code newEvidence} is true, when it has more evidence records than then.
     */
    public record BackForReview(Double amountGrowthPercent, java.math.BigDecimal amountGrowthAtLeast,
                                Boolean newEvidence) {
        public BackForReview {
            amountGrowthPercent = amountGrowthPercent == null ? 50.0 : amountGrowthPercent;
            amountGrowthAtLeast = amountGrowthAtLeast == null ? new java.math.BigDecimal("1000.00") : amountGrowthAtLeast;
            newEvidence = newEvidence != null && newEvidence;
        }
    }

    /**
     * Where the tables are registered by name (see docs/catalog.md).
     *
     * @param metastore        {@code derby} (default): an embedded Hive metastore kept at {@code derbyDir};
     *                         {@code external}: the Hive metastore that {@code spark.conf} / hive-site.xml name
     *                         (e.g. {@code spark.hadoop.hive.metastore.uris}); {@code none}: register nothing
     * @param database         database of every table (cleaned, quarantine, bronze, meta, screening)
     * @param analystDatabase  database of the pseudonymised tables only
     * @param derbyDir         local folder of the embedded metastore; default {@code <warehouse>/_catalog}, or
     *                         {@code _catalog} beside the configuration file when the warehouse is not local
     */
    public record CatalogSettings(String metastore, String database, String analystDatabase, String derbyDir) {
        public CatalogSettings {
            metastore = metastore == null ? "derby" : metastore;
            database = database == null ? "crosscheck" : database;
            analystDatabase = analystDatabase == null ? "crosscheck_analyst" : analystDatabase;
        }

        public boolean enabled() {
            return !"none".equals(metastore);
        }
    }
}
