package org.crosscheck.core;

import java.util.Map;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession with Delta Lake and the settings CrossCheck relies on. */
public final class SparkSessions {
    /** Partitions of Delta's log-replay state; override with {@code spark.conf} for tables with huge logs. */
    static final int DELTA_SNAPSHOT_PARTITIONS = 2;

    private SparkSessions() {
    }

    /** A session without a persistent catalog (tables by path only). */
    public static SparkSession create(CrossCheckConfig.SparkSettings settings) {
        return create(settings, Map.of());
    }

    /**
     * The session of a command: as {@link #create(CrossCheckConfig.SparkSettings)}, plus Hive support on the
     * configured metastore (the embedded Derby one by default) so the tables can be registered and queried by
     * name. A session already running in this JVM (tests, notebooks) is returned as it is: its catalog cannot change.
     */
    public static SparkSession create(CrossCheckConfig config) {
        return create(config.spark(), catalogSettings(config.catalog()));
    }

    /**
     * The static Spark settings of the configured metastore; empty when none is configured or Spark's Hive module is
     * not on the classpath. The embedded metastore takes one JVM at a time (Derby's lock).
     */
    public static Map<String, String> catalogSettings(CrossCheckConfig.CatalogSettings catalog) {
        if (!catalog.enabled() || !hiveOnClasspath()) {
            return Map.of();
        }
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        conf.put("spark.sql.catalogImplementation", "hive");
        if ("derby".equals(catalog.metastore())) {
            java.nio.file.Path dir = java.nio.file.Path.of(catalog.derbyDir()).toAbsolutePath();
            String url = "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true";
            conf.put("spark.hadoop.javax.jdo.option.ConnectionURL", url);
            // managed tables (none of ours: every table is registered at its warehouse path)
            conf.put("spark.sql.warehouse.dir", dir.resolve("managed").toUri().toString());
            if (System.getProperty("derby.stream.error.file") == null) {
                try {
                    java.nio.file.Files.createDirectories(dir);
                } catch (java.io.IOException e) {
                    throw CrossCheckException.config("catalog.derby_dir: cannot create " + dir + ": " + e.getMessage());
                }
                System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
            }
            String problem = bootDerby(url);
            if (problem != null) {
                catalogProblem = "the embedded metastore " + dir.resolve("metastore_db") + " cannot be opened ("
                        + problem + "); another program (a notebook kernel, a second run) probably holds it";
                org.slf4j.LoggerFactory.getLogger(SparkSessions.class).warn("catalog: {}; this session reads and writes"
                        + " the tables by path only", catalogProblem);
                return Map.of();
            }
        }
        return conf;
    }

    private static volatile String catalogProblem;

    /** Why the last session of this JVM was started without its configured catalog, or null. */
    public static String catalogProblem() {
        return catalogProblem;
    }

    /**
     * Boots the embedded metastore database in this JVM before Spark does. Derby lets one JVM at a time open it: when
     * another holds it, the session is better started without the catalog (the work is by path) than failing at
     * its first catalog lookup. The database is shut down again at once: Spark's Hive client loads its own copy of
     * Derby (an isolated class loader), which could not boot a database this copy still holds.
     */
    private static String bootDerby(String url) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
            c.isValid(1);
        } catch (java.sql.SQLException e) {
            java.sql.SQLException inner = e;
            while (inner.getNextException() != null) {
                inner = inner.getNextException();
            }
            Throwable cause = inner.getCause() != null ? inner.getCause() : inner;
            return cause.getMessage();
        }
        try {
            java.sql.DriverManager.getConnection(url.replace(";create=true", "") + ";shutdown=true").close();
        } catch (java.sql.SQLException expected) {
            // Derby reports a clean shutdown of a database as SQLState 08006
        }
        return null;
    }

    static boolean hiveOnClasspath() {
        try {
            Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder", false, SparkSessions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static SparkSession create(CrossCheckConfig.SparkSettings settings, Map<String, String> catalogConf) {
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
        if (SparkSession.getDefaultSession().isEmpty()) {
            catalogConf.forEach(builder::config);
        }
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            builder.config(e.getKey(), e.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
