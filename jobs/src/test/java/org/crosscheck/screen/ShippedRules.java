package org.crosscheck.screen;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;

/**
 * The rule files of a folder as {@link ScreeningEngine#load} reads and checks them (file format and the SQL against
 * empty tables), loaded once per folder and test JVM: checking every rule's SQL costs seconds, and several test
 * classes need the shipped rules.
 */
public final class ShippedRules {
    private static final Map<Path, List<SqlRule>> LOADED = new HashMap<>();

    private ShippedRules() {
    }

    public static synchronized List<SqlRule> load(SparkSession spark, Path folder) {
        return LOADED.computeIfAbsent(folder.toAbsolutePath().normalize(), f -> ScreeningEngine.load(spark,
                        new CrossCheckConfig.ScreeningSettings(null, f.toString(), null, null, null)).rules().stream()
                .map(r -> (SqlRule) r).toList());
    }
}
