package org.crosscheck.core;

import java.util.Map;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession with Delta Lake and the settings CrossCheck relies on. */
public final class SparkSessions {
    /** Partitions of Delta's log-replay state; override with {@code spark.conf} for tables with huge logs. */
    static final int DELTA_SNAPSHOT_PARTITIONS = 2;

    private SparkSessions() {
    }

    public static SparkSession create(CrossCheckConfig.SparkSettings settings) {
        SparkSession.Builder builder = SparkSession.builder()
                .appName(settings.appName())
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                // Department extracts arrive in GBK; Spark 4 refuses non-Unicode charsets without this.
                .config("spark.sql.legacy.javaCharsets", "true")
                .config("spark.sql.shuffle.partitions", String.valueOf(settings.shufflePartitions()))
                .config("spark.sql.session.timeZone", settings.timeZone())
                .config("spark.sql.ansi.enabled", "false")
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
                // Our Delta logs hold a few actions per run; the default 50 partitions turned every snapshot
                // (after each commit, each read) into a 50-task job, which dominated run time on small data.
                .config("spark.databricks.delta.snapshotPartitions", String.valueOf(DELTA_SNAPSHOT_PARTITIONS))
                // Spark 4.2 reads this setting's default through System.getenv on every row it touches (its
                // "testing" check); set explicitly, the lookup is a map read. 2-3 % of CPU in a profile of a run.
                // false is the default outside Spark's own tests (the framework only serves the TIME type).
                .config("spark.sql.types.framework.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        if (settings.master() != null && !settings.master().isBlank()) {
            builder.master(settings.master());
        }
        if (settings.master() != null && settings.master().startsWith("local")) {
            builder.config("spark.ui.enabled", "false");
        }
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            builder.config(e.getKey(), e.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
