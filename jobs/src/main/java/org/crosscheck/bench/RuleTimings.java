package org.crosscheck.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.CleanedTables;
import org.crosscheck.screen.ScreeningEngine;
import org.crosscheck.screen.ScreeningRule;

/**
 * Time of each screening rule on its own over a warehouse's cleaned tables: the pipeline runs all rules as one
 * union, so its log cannot say which rule costs what. Each rule's findings are computed and counted separately
 * (nothing is written). Same configuration and Spark settings as the pipeline.
 *
 * <pre>java ... org.crosscheck.bench.RuleTimings CONFIG AS_OF_DATE [RULE_ID,...]</pre>
 */
public final class RuleTimings {
    private RuleTimings() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: RuleTimings <config.yaml> <as-of date yyyy-MM-dd> [rule ids, comma-separated]");
            System.exit(2);
        }
        CrossCheckConfig config = ConfigLoader.load(Path.of(args[0]));
        LocalDate asOf = LocalDate.parse(args[1]);
        SparkSession spark = SparkSessions.create(config.spark());
        try {
            Tables tables = new Tables(config.storage().warehouse());
            Map<SourceFamily, Dataset<Row>> cleaned = CleanedTables.readDelta(spark, tables);
            ScreeningEngine all = ScreeningEngine.load(spark, config.screening(), AnomalyRules.all());
            double total = 0;
            List<String> only = args.length == 3 ? List.of(args[2].split(",")) : List.of();
            for (ScreeningRule rule : all.rules()) {
                if (!only.isEmpty() && !only.contains(rule.id())) {
                    continue;
                }
                long t = System.nanoTime();
                long n = ScreeningEngine.of(spark, List.of(rule)).run(cleaned, asOf).findings().count();
                double s = (System.nanoTime() - t) / 1e9;
                total += s;
                System.out.printf(Locale.ROOT, "rule %-28s %8.1f s %,8d findings%n", rule.id(), s, n);
            }
            System.out.printf(Locale.ROOT, "rules one by one: %.1f s%n", total);
        } finally {
            spark.stop();
        }
    }
}
