package org.crosscheck.screen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The findings of one screening run: all rules' findings as one table in {@link Findings#SCHEMA}, and per rule.
 * Nothing is computed until an action runs; persist {@link #findings()} when it is both written and counted.
 */
public final class ScreeningRun {
    private final SparkSession spark;
    private final Map<String, Dataset<Row>> byRule;
    private final Dataset<Row> findings;

    ScreeningRun(SparkSession spark, Map<String, Dataset<Row>> byRule) {
        this.spark = spark;
        this.byRule = byRule;
        Dataset<Row> all = null;
        for (Dataset<Row> f : byRule.values()) {
            all = all == null ? f : all.unionByName(f);
        }
        this.findings = all == null ? Findings.empty(spark) : all;
    }

    /** Findings of all selected rules (union). */
    public Dataset<Row> findings() {
        return findings;
    }

    /** Findings of one rule; empty when the rule did not run. */
    public Dataset<Row> findings(String ruleId) {
        return byRule.getOrDefault(ruleId, Findings.empty(spark));
    }

    public List<String> ruleIds() {
        return List.copyOf(byRule.keySet());
    }

    /** Number of findings per rule that ran, in run order (0 for a rule without findings). One Spark job. */
    public Map<String, Long> countsByRule() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byRule.keySet().forEach(id -> counts.put(id, 0L));
        for (Row r : findings.groupBy("rule_id").count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }
}
