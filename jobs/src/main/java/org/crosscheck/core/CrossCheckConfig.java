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
        CorrectionSettings corrections) {

    public CrossCheckConfig {
        spark = spark == null ? new SparkSettings(null, null, null, null, null) : spark;
        storage = storage == null ? new StorageSettings(null, null) : storage;
        ingest = ingest == null ? new IngestSettings(null, null) : ingest;
        pseudonymisation = pseudonymisation == null ? new PseudonymisationSettings(null, null) : pseudonymisation;
        screening = screening == null ? new ScreeningSettings(null, null, null, null, null) : screening;
        review = review == null ? new ReviewSettings(null, null) : review;
        corrections = corrections == null ? new CorrectionSettings(null, null) : corrections;
    }

    /** The configuration of the first six sections, with correction defaults. */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening,
                            ReviewSettings review) {
        this(spark, storage, ingest, pseudonymisation, screening, review, null);
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

    /** The configuration of the first five sections, with review defaults. */
    public CrossCheckConfig(SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                            PseudonymisationSettings pseudonymisation, ScreeningSettings screening) {
        this(spark, storage, ingest, pseudonymisation, screening, null, null);
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
     */
    public record IngestSettings(String landing, List<String> mappings) {
        public IngestSettings {
            landing = landing == null ? "landing" : landing;
            mappings = mappings == null ? List.of("mappings") : List.copyOf(mappings);
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
}
