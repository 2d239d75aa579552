package org.crosscheck.anomaly.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.rank;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.crosscheck.anomaly.AnomalyFeatures;
import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.anomaly.IsolationForestRule;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.core.Tables;
import org.crosscheck.generate.SampleDataGenerator;
import org.crosscheck.screen.CleanedTables;
import org.crosscheck.screen.ScreeningEngine;
import org.crosscheck.screen.ScreeningRun;

/**
 * Recall of {@code amount_outlier} and {@code anomaly_score} on the generator's planted amount outliers
 * ({@code truth.csv}: {@code rule_id=amount_outlier, expected=flag}), each within its default alert budget, and how
 * many person-months each flags that were not planted as amount outliers (and how many of those are other planted
 * screening cases). Both rules run through {@code ScreeningEngine.load(spark, settings, AnomalyRules.all())}, as the
 * CLI runs them.
 *
 * <pre>
 *   AnomalyEvaluation --generate DIR [--persons 20000] [--seed 42]   # generate, build clean tables in DIR/warehouse
 *   AnomalyEvaluation --warehouse W --truth T                         # cleaned Delta tables already at W/clean/...
 * </pre>
 */
public final class AnomalyEvaluation {
    private static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

    private AnomalyEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        Path generate = null;
        Path warehouse = null;
        Path truth = null;
        Path rules = Path.of("rules/screening");
        int persons = 20_000;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--generate" -> generate = Path.of(args[++i]);
                case "--warehouse" -> warehouse = Path.of(args[++i]);
                case "--truth" -> truth = Path.of(args[++i]);
                case "--persons" -> persons = Integer.parseInt(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rules" -> rules = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SparkSession spark = SparkSessions.create(new CrossCheckConfig.SparkSettings(
                System.getProperty("spark.master", "local[*]"), "anomaly-eval", 4, null, Map.of()));
        spark.sparkContext().setLogLevel("WARN");
        long t0 = System.nanoTime();
        if (generate != null) {
            System.out.printf(Locale.ROOT, "generating %,d persons (seed %d) into %s%n", persons, seed, generate);
            SampleDataGenerator.generate(generate, persons, seed);
            warehouse = warehouse == null ? generate.resolve("warehouse") : warehouse;
            truth = truth == null ? generate.resolve("truth.csv") : truth;
            EvaluationCleanTables.build(spark, generate, new Tables(warehouse.toString()));
            System.out.printf(Locale.ROOT, "cleaned tables built (evaluation loader) in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
        }
        if (warehouse == null || truth == null) {
            throw new IllegalArgumentException("give --generate DIR, or --warehouse W and --truth T");
        }
        Tables tables = new Tables(warehouse.toString());
        Set<String> planted = new HashSet<>();
        Set<String> otherCases = new HashSet<>();
        for (String line : Files.readAllLines(truth).subList(1, Files.readAllLines(truth).size())) {
            String[] f = line.split(",", 10);
            if (f.length < 8 || !"screening".equals(f[1]) || !"flag".equals(f[3]) || !"person".equals(f[5])) {
                continue;
            }
            if ("amount_outlier".equals(f[2])) {
                planted.add(f[6] + "|" + f[7]);
            } else {
                otherCases.add(f[6]);
            }
        }

        var settings = new CrossCheckConfig.ScreeningSettings(null, rules.toString(),
                List.of("amount_outlier", IsolationForestRule.ID), null, null);
        ScreeningEngine engine = ScreeningEngine.load(spark, settings, AnomalyRules.all());
        long t1 = System.nanoTime();
        ScreeningRun run = engine.run(tables, AS_OF);
        Map<SourceFamily, Dataset<Row>> clean = CleanedTables.readDelta(spark, tables);
        long personMonths = AnomalyFeatures.personMonths(clean.get(SourceFamily.BENEFIT_PAYMENT),
                clean.get(SourceFamily.ENROLLMENT), clean.get(SourceFamily.CONTRIBUTION),
                clean.get(SourceFamily.CIVIL_REGISTRY)).count();
        System.out.printf(Locale.ROOT, "person-months with payments: %,d; planted amount outliers: %d%n",
                personMonths, planted.size());
        for (String rule : List.of("amount_outlier", IsolationForestRule.ID)) {
            List<Row> rows = run.findings(rule).select("subject_id", "period", "explanation").collectAsList();
            Set<String> flagged = new HashSet<>();
            for (Row r : rows) {
                flagged.add(r.getString(0) + "|" + r.getString(1));
            }
            long hits = planted.stream().filter(flagged::contains).count();
            List<String> unplanted = new ArrayList<>(flagged);
            unplanted.removeAll(planted);
            long otherPlanted = unplanted.stream().filter(k -> otherCases.contains(k.split("\\|")[0])).count();
            System.out.printf(Locale.ROOT, "%-15s findings %4d  recall %d/%d = %.2f  unplanted person-months flagged %d"
                    + " (of which persons of other planted screening cases: %d)%n", rule, flagged.size(), hits,
                    planted.size(), planted.isEmpty() ? 0.0 : (double) hits / planted.size(), unplanted.size(),
                    otherPlanted);
            if (rule.equals(IsolationForestRule.ID) && !rows.isEmpty()) {
                System.out.println("  example: " + rows.stream().filter(r -> planted.contains(r.getString(0) + "|"
                        + r.getString(1))).findFirst().orElse(rows.get(0)).getString(2));
            }
        }
        System.out.printf(Locale.ROOT, "screening both rules: %.1f s%n", (System.nanoTime() - t1) / 1e9);

        // where the planted outliers rank among all scores (beyond the budget)
        IsolationForestRule rule = new IsolationForestRule();
        IsolationForestRule.Scored scored = rule.score(AnomalyFeatures.personMonths(clean.get(SourceFamily.BENEFIT_PAYMENT),
                clean.get(SourceFamily.ENROLLMENT), clean.get(SourceFamily.CONTRIBUTION),
                clean.get(SourceFamily.CIVIL_REGISTRY)));
        List<Row> ranks = scored.table().withColumn("rank", rank().over(Window.orderBy(desc("score"))))
                .where(functionsIn(planted)).select("national_id", "period", "score", "rank").collectAsList();
        List<Long> r = new ArrayList<>(ranks.stream().map(x -> ((Number) x.get(3)).longValue()).sorted().toList());
        System.out.println("anomaly_score ranks of the planted outliers among all person-months: " + r);
        scored.cached().unpersist();
        spark.stop();
    }

    private static org.apache.spark.sql.Column functionsIn(Set<String> planted) {
        return org.apache.spark.sql.functions.concat_ws("|", col("national_id"), col("period"))
                .isin(planted.toArray());
    }
}
