package org.crosscheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SparkSessions;

/**
 * One local SparkSession for the whole test JVM (each of Surefire's two forks is one, reused), with two shuffle partitions.
 * Tests get their own temporary warehouse folders; they never share tables.
 */
public abstract class SparkTestSupport {
    private static SparkSession spark;
    private static Path tempRoot;

    protected static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSessions.create(new CrossCheckConfig.SparkSettings("local[2]", "crosscheck-tests", 2, null,
                    Map.of("spark.default.parallelism", "2",
                            "spark.sql.adaptive.coalescePartitions.enabled", "true",
                            "spark.databricks.delta.snapshotPartitions", "2",
                            "spark.sql.sources.parallelPartitionDiscovery.parallelism", "2",
                            "spark.driver.host", "127.0.0.1")));
        }
        return spark;
    }

    /**
     * Fixture queries are a handful of rows: interpreted expressions and one shuffle partition (so no adaptive re-planning) spare the
     * compile and scheduling time that dominates such queries. {@link #useSmallQuerySettings} sets them on the shared session;
     * {@link #restoreQuerySettings} (call it after the class) puts back what was there.
     */
    private static final Map<String, String> SMALL_QUERIES = Map.of("spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN", "spark.sql.shuffle.partitions", "1",
            "spark.sql.adaptive.enabled", "false");
    private static final Map<String, String> savedSettings = new java.util.HashMap<>();

    protected static synchronized void useSmallQuerySettings() {
        SMALL_QUERIES.forEach((k, v) -> {
            savedSettings.putIfAbsent(k, spark().conf().get(k, null));
            spark().conf().set(k, v);
        });
    }

    protected static synchronized void restoreQuerySettings() {
        savedSettings.forEach((k, v) -> {
            if (v == null) {
                spark().conf().unset(k);
            } else {
                spark().conf().set(k, v);
            }
        });
        savedSettings.clear();
    }

    /** A new empty folder for one test's warehouse or files, under one root per test JVM (see {@link #tempRoot}). */
    protected static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(tempRoot(), prefix + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test JVM's scratch root in the system temp folder, deleted with everything in it when the JVM exits, so
     * test runs leave no warehouses behind.
     */
    private static synchronized Path tempRoot() throws IOException {
        if (tempRoot == null) {
            Path root = Files.createTempDirectory("crosscheck-tests-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(root.toFile()),
                    "crosscheck-test-cleanup"));
            tempRoot = root;
        }
        return tempRoot;
    }

    /** Root of the repository checkout (for rule files and sample data). */
    protected static Path repoRoot() {
        String p = System.getProperty("crosscheck.repo.root");
        return p != null ? Path.of(p).toAbsolutePath().normalize() : Path.of("..").toAbsolutePath().normalize();
    }

    /** ../shared beside the checkout, or null when absent (benchmark-data tests then skip). */
    protected static Path sharedDir() {
        Path p = repoRoot().resolve("../shared").normalize();
        return Files.isDirectory(p) ? p : null;
    }
}
