package org.crosscheck.anomaly.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.anomaly.AnomalyFeatures;
import org.crosscheck.anomaly.IsolationForestRule;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.Money;
import org.crosscheck.core.SparkSessions;

/**
 * Throughput of {@code anomaly_score} on synthetic data made with {@code spark.range}: {@code rows} monthly payments
 * (rows / 24 persons x 24 months; pensions, resident pensions, unemployment and injury benefits in five regions, one
 * in 10,000 months paid 20 times the usual amount into a second account), one enrollment and one registry row per
 * person, and 24 monthly contributions for every fifth person. Times the features (cached), the fit on the
 * subsample and scoring every person-month; with {@code full}, also the rule end to end (top 50 with explanations,
 * computing everything again).
 *
 * <pre>  AnomalyScoringBench [rows=12000000] [shufflePartitions=8] [full]</pre>
 */
public final class AnomalyScoringBench {
    private AnomalyScoringBench() {
    }

    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 12_000_000L;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean full = args.length > 2 && args[2].equals("full");
        SparkSession spark = SparkSessions.create(new CrossCheckConfig.SparkSettings(
                System.getProperty("spark.master", "local[*]"), "anomaly-scoring-bench", partitions, null, Map.of()));
        spark.sparkContext().setLogLevel("WARN");
        long persons = rows / 24;

        Dataset<Row> payments = spark.range(0, persons * 24, 1, partitions)
                .withColumn("person", col("id").divide(24).cast("long"))
                .withColumn("m", col("id").mod(24))
                .withColumn("kind", expr("pmod(hash(person, 1), 20)"))
                .withColumn("odd", expr("pmod(hash(id, 2), 10000) = 0"))
                .select(
                        format_string("PAY%012d", col("id")).as("payment_id"),
                        format_string("ID%016d", col("person")).as("national_id"),
                        lit("Payee").as("payee_name"),
                        when(col("kind").lt(12), lit("employee_pension")).when(col("kind").lt(16),
                                lit("urban_rural_resident_pension")).when(col("kind").lt(19), lit("unemployment"))
                                .otherwise(lit("work_injury")).as("scheme"),
                        when(col("kind").lt(16), lit("basic_pension")).when(col("kind").lt(19),
                                lit("unemployment_benefit")).otherwise(lit("injury_allowance")).as("benefit_type"),
                        expr("element_at(array('440106','440104','440111','310104','110105'), "
                                + "cast(pmod(hash(person, 3), 5) + 1 as int))").as("region"),
                        expr("add_months(date'2024-01-01', cast(m as int))").as("period_start"),
                        expr("last_day(add_months(date'2024-01-01', cast(m as int)))").as("period_end"),
                        expr("date_add(add_months(date'2024-01-01', cast(m as int)), 9)").as("payment_date"),
                        expr("(CASE WHEN kind < 12 THEN 2000 + pmod(hash(person, 4), 4000) "
                                + "WHEN kind < 16 THEN 180 + pmod(hash(person, 4), 360) "
                                + "ELSE 800 + pmod(hash(person, 4), 1500) END) * (CASE WHEN odd THEN 20 ELSE 1 END)"
                                + " + pmod(hash(id, 5), 100) / 100.0").cast(Money.TYPE).as("amount"),
                        when(col("odd"), concat(lit("ACC2-"), col("person").cast("string")))
                                .otherwise(concat(lit("ACC-"), col("person").cast("string"))).as("bank_account"),
                        lit(null).cast("date").as("event_date"));
        Dataset<Row> people = spark.range(0, persons, 1, partitions)
                .withColumn("national_id", format_string("ID%016d", col("id")))
                .withColumn("kind", expr("pmod(hash(id, 1), 20)"));
        Dataset<Row> registry = people.select(col("national_id"),
                expr("CASE WHEN kind < 16 THEN date_add(date'1940-01-01', cast(pmod(hash(id, 6), 7300) as int))"
                        + " ELSE date_add(date'1965-01-01', cast(pmod(hash(id, 6), 12000) as int)) END")
                        .as("birth_date"));
        Dataset<Row> enrollment = people.where(expr("pmod(hash(id, 7), 10) < 7")).select(col("national_id"),
                date_add(lit(java.sql.Date.valueOf("1990-01-01")), expr("cast(pmod(hash(id, 8), 12000) as int)"))
                        .as("coverage_start"), lit(null).cast("date").as("coverage_end"));
        Dataset<Row> contribution = spark.range(0, persons * 24 / 5, 1, partitions)
                .select(format_string("ID%016d", col("id").divide(24).cast("long").multiply(5)).as("national_id"),
                        expr("add_months(date'2024-01-01', cast(pmod(id, 24) as int))").as("contribution_month"));

        IsolationForestRule rule = new IsolationForestRule();
        long t0 = System.nanoTime();
        IsolationForestRule.Scored scored = rule.score(
                AnomalyFeatures.personMonths(payments, enrollment, contribution, registry));
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        long n = scored.table().where(col("score").isNotNull()).count();
        double scoreSeconds = (System.nanoTime() - t1) / 1e9;
        scored.cached().unpersist();
        System.out.printf(Locale.ROOT, "payments %,d, persons %,d, person-months scored %,d%n", persons * 24,
                persons, n);
        System.out.printf(Locale.ROOT, "features (cached) + peer statistics + fit on the subsample: %.1f s%n",
                fitSeconds);
        System.out.printf(Locale.ROOT, "scoring every person-month (from the cached features): %.1f s = %,.0f rows/s%n",
                scoreSeconds, n / scoreSeconds);

        System.out.printf(Locale.ROOT, "features + fit + scoring: %.1f s = %,.0f payment rows/s%n",
                fitSeconds + scoreSeconds, persons * 24 / (fitSeconds + scoreSeconds));
        if (!full) {
            spark.stop();
            return;
        }
        long t2 = System.nanoTime();
        long findings = rule.flag(AnomalyFeatures.personMonths(payments, enrollment, contribution, registry)).count();
        double total = (System.nanoTime() - t2) / 1e9;
        System.out.printf(Locale.ROOT, "rule end to end (features, fit, score, top %d with explanations): %.1f s = "
                + "%,.0f payment rows/s; %d findings%n", rule.topK(), total, persons * 24 / total, findings);
        spark.stop();
    }
}
