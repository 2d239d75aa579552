package org.crosscheck.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.Tables;

/**
 * The numbers of one run report, read from the tables with Spark SQL (aggregates only reach the driver). Every
 * figure the page shows comes from here, so the report equals the tables by construction and tests compare the
 * two directly.
 *
 * <p>The exception list is read in the case model's shape ({@code state}, {@code disposition},
 * {@code needs_review}); a list written before the case model (one {@code status} column) is read through the
 * same names: {@code resolved} as no longer found, {@code confirmed}/{@code dismissed} as the disposition.
 */
public record ReportFigures(
        String runId,
        String previousRunId,
        List<FamilyRow> families,
        List<CheckRow> checks,
        List<TrendPoint> trend,
        List<RuleRow> rules,
        List<RegionRow> regions,
        BigDecimal amountAtRiskOnce,
        long activeCases,
        Changes changes,
        List<PrecisionRow> precision,
        List<CaseRow> topCases) {

    /** Row accounting of one family in the report's run, and the files loaded for it so far. */
    public record FamilyRow(String family, long files, long rowsRead, long inserted, long updated, long unchanged,
                            long superseded, long quarantined, long duplicates, long warnings, boolean balanced) {
    }

    public record CheckRow(String family, String check, long violations) {
    }

    /** Violations of all checks in one validation run. */
    public record TrendPoint(String runId, long violations, long quarantined, long rowsRead) {
    }

    /** Active cases of one rule by severity, with the amount at risk of its cases. */
    public record RuleRow(String ruleId, long high, long medium, long low, long cases, BigDecimal amountAtRisk) {
    }

    public record RegionRow(String region, long cases, BigDecimal amountAtRisk) {
    }

    /** What the report's run changed; counts of cases. */
    public record Changes(long newCases, long stillOpen, long noLongerFound, long reopened, long backForReview,
                          long confirmed, long dismissed, long undecided) {
    }

    public record PrecisionRow(String ruleId, String ruleVersion, long confirmed, long dismissed, long undecided,
                               Double precision) {
    }

    public record CaseRow(String ruleId, String exceptionId, String severity, String region, String period,
                          BigDecimal amountAtRisk, String status, String explanation) {
    }

    static final int TOP_CASES_PER_RULE = 5;

    /**
     * Reads the figures. {@code runId} null: the latest run found in the tables (metrics or exception list).
     * Tables not written yet give empty sections, never an error.
     */
    public static ReportFigures read(SparkSession spark, Tables tables, String runId) {
        Dataset<Row> metrics = DeltaTables.exists(spark, tables.metrics())
                ? spark.read().format("delta").load(tables.metrics()) : null;
        Dataset<Row> cases = DeltaTables.exists(spark, tables.exceptions())
                ? caseView(spark.read().format("delta").load(tables.exceptions())) : null;
        String history = tables.caseHistory();
        Dataset<Row> caseHistory = DeltaTables.exists(spark, history) ? spark.read().format("delta").load(history) : null;
        String run = runId != null ? runId : latestRun(metrics, cases);
        String previous = previousRun(metrics, cases, caseHistory, run);

        List<FamilyRow> families = metrics == null ? List.of() : families(spark, tables, metrics, run);
        List<CheckRow> checks = new ArrayList<>();
        List<TrendPoint> trend = new ArrayList<>();
        if (metrics != null) {
            metrics.createOrReplaceTempView("report_metrics");
            for (Row r : spark.sql("SELECT family, check_name, sum(violations) AS v FROM (SELECT family, "
                    + "explode(check_violations) AS (check_name, violations) FROM report_metrics WHERE run_id = '"
                    + sqlText(run) + "') GROUP BY family, check_name HAVING v > 0 ORDER BY v DESC, family, check_name")
                    .collectAsList()) {
                checks.add(new CheckRow(r.getString(0), r.getString(1), r.getLong(2)));
            }
            for (Row r : spark.sql("SELECT run_id, min(recorded_at) AS t, sum(coalesce(aggregate(map_values("
                    + "check_violations), 0L, (a, x) -> a + x), 0L)), sum(quarantined), sum(rows_read) "
                    + "FROM report_metrics GROUP BY run_id ORDER BY t, run_id").collectAsList()) {
                trend.add(new TrendPoint(r.getString(0), r.getLong(2), r.getLong(3), r.getLong(4)));
            }
        }
        List<RuleRow> rules = new ArrayList<>();
        List<RegionRow> regions = new ArrayList<>();
        List<CaseRow> top = new ArrayList<>();
        BigDecimal once = BigDecimal.ZERO.setScale(2);
        long active = 0;
        Changes changes = new Changes(0, 0, 0, 0, 0, 0, 0, 0);
        List<PrecisionRow> precision = new ArrayList<>();
        if (cases != null) {
            cases.createOrReplaceTempView("report_cases");
            for (Row r : spark.sql("SELECT rule_id, count_if(severity = 'high'), count_if(severity = 'medium'), "
                    + "count_if(severity = 'low'), count(*), coalesce(sum(amount_at_risk), 0) FROM report_cases "
                    + "WHERE state = 'active' GROUP BY rule_id ORDER BY rule_id").collectAsList()) {
                rules.add(new RuleRow(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4),
                        r.getDecimal(5).setScale(2)));
                active += r.getLong(4);
            }
            for (Row r : spark.sql("SELECT coalesce(region, '(none)') AS region, count(*), coalesce(sum(amount_at_risk), 0) "
                    + "FROM report_cases WHERE state = 'active' GROUP BY 1 ORDER BY 1").collectAsList()) {
                regions.add(new RegionRow(r.getString(0), r.getLong(1), r.getDecimal(2).setScale(2)));
            }
            // the same money flagged by two rules (same person, scheme and period) is at risk once, not twice
            Row o = spark.sql("SELECT coalesce(sum(a), 0) FROM (SELECT max(amount_at_risk) AS a FROM report_cases "
                    + "WHERE state = 'active' AND amount_at_risk IS NOT NULL "
                    + "GROUP BY subject_id, coalesce(scheme, ''), coalesce(period, ''))").first();
            once = o.getDecimal(0).setScale(2);
            changes = changes(spark, cases, caseHistory, run, previous);
            precision = precision(spark, tables, cases);
            for (Row r : spark.sql("SELECT rule_id, exception_id, severity, region, period, amount_at_risk, status_text, "
                    + "explanation FROM (SELECT *, row_number() OVER (PARTITION BY rule_id ORDER BY "
                    + "amount_at_risk DESC NULLS LAST, exception_id) AS rank FROM report_cases WHERE state = 'active') "
                    + "WHERE rank <= " + TOP_CASES_PER_RULE + " ORDER BY rule_id, rank").collectAsList()) {
                top.add(new CaseRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.isNullAt(5) ? null : r.getDecimal(5).setScale(2), r.getString(6), r.getString(7)));
            }
        }
        return new ReportFigures(run, previous, families, checks, trend, rules, regions, once, active, changes,
                precision, top);
    }

    /** The exception list with the case model's columns, whichever version wrote it, plus its display status. */
    static Dataset<Row> caseView(Dataset<Row> exceptions) {
        List<String> cols = Arrays.asList(exceptions.columns());
        Dataset<Row> d = exceptions;
        if (!cols.contains("state")) {
            d = d.withColumn("state", when(col("status").equalTo("resolved"), lit("no_longer_found")).otherwise(lit("active")));
        }
        if (!cols.contains("disposition")) {
            d = d.withColumn("disposition", when(col("status").isin("confirmed", "dismissed"), col("status"))
                    .otherwise(lit("none")));
        }
        if (!cols.contains("needs_review")) {
            d = d.withColumn("needs_review", lit(false));
        }
        return d.withColumn("status_text",
                when(col("state").equalTo("no_longer_found"), lit("no longer found"))
                        .when(col("needs_review"), lit("back for review"))
                        .when(col("disposition").equalTo("none").and(col("first_seen_run").equalTo(col("last_seen_run"))),
                                lit("new"))
                        .when(col("disposition").equalTo("none"), lit("awaiting review"))
                        .otherwise(col("disposition")));
    }

    private static List<FamilyRow> families(SparkSession spark, Tables tables, Dataset<Row> metrics, String run) {
        Map<String, Long> files = new LinkedHashMap<>();
        if (DeltaTables.exists(spark, tables.ingestLog())) {
            for (Row r : spark.read().format("delta").load(tables.ingestLog()).groupBy("family").count().collectAsList()) {
                files.put(r.getString(0), r.getLong(1));
            }
        }
        List<FamilyRow> out = new ArrayList<>();
        for (Row r : metrics.where(col("run_id").equalTo(run)).groupBy("family")
                .agg(org.apache.spark.sql.functions.expr("sum(rows_read)"), org.apache.spark.sql.functions.expr("sum(inserted)"),
                        org.apache.spark.sql.functions.expr("sum(updated)"), org.apache.spark.sql.functions.expr("sum(unchanged)"),
                        org.apache.spark.sql.functions.expr("sum(superseded)"), org.apache.spark.sql.functions.expr("sum(quarantined)"),
                        org.apache.spark.sql.functions.expr("sum(duplicates)"), org.apache.spark.sql.functions.expr("sum(warnings)"),
                        org.apache.spark.sql.functions.expr("bool_and(balanced)"))
                .orderBy("family").collectAsList()) {
            out.add(new FamilyRow(r.getString(0), files.getOrDefault(r.getString(0), 0L), r.getLong(1), r.getLong(2),
                    r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), r.getBoolean(9)));
        }
        return out;
    }

    private static Changes changes(SparkSession spark, Dataset<Row> cases, Dataset<Row> history, String run,
                                   String previous) {
        String r = sqlText(run);
        String reopened = "false";
        String gone = "state = 'no_longer_found' AND last_seen_run = '" + sqlText(previous == null ? "" : previous) + "'";
        if (history != null) {
            history.createOrReplaceTempView("report_case_history");
            // the case's last timeline entry before this run said no longer found, and this run found it again
            spark.sql("SELECT exception_id, max_by(state, recorded_at) AS before_state FROM report_case_history "
                    + "WHERE run_id <> '" + r + "' GROUP BY exception_id").createOrReplaceTempView("report_case_before");
            spark.sql("SELECT exception_id, state AS now_state FROM report_case_history WHERE run_id = '" + r + "'")
                    .createOrReplaceTempView("report_case_now");
            reopened = "(state = 'active' AND first_seen_run <> '" + r + "' AND exception_id IN "
                    + "(SELECT exception_id FROM report_case_before WHERE before_state = 'no_longer_found'))";
            gone = "(state = 'no_longer_found' AND exception_id IN (SELECT exception_id FROM report_case_now "
                    + "WHERE now_state = 'no_longer_found') AND exception_id NOT IN (SELECT exception_id FROM "
                    + "report_case_before WHERE before_state = 'no_longer_found'))";
        }
        Row c = spark.sql("SELECT count_if(state = 'active' AND first_seen_run = '" + r + "'), "
                + "count_if(state = 'active' AND first_seen_run <> '" + r + "' AND NOT " + reopened + "), "
                + "count_if(" + gone + "), count_if(" + reopened + "), "
                + "count_if(state = 'active' AND needs_review), "
                + "count_if(state = 'active' AND disposition = 'confirmed'), "
                + "count_if(state = 'active' AND disposition = 'dismissed'), "
                + "count_if(state = 'active' AND disposition = 'none') FROM report_cases").first();
        return new Changes(c.getLong(0), c.getLong(1), c.getLong(2), c.getLong(3), c.getLong(4), c.getLong(5),
                c.getLong(6), c.getLong(7));
    }

    /**
     * Reviewers' precision per rule: the latest row per rule of {@code meta/rule_precision} when a run wrote it,
     * else computed from the dispositions on the exception list (confirmed / (confirmed + dismissed)).
     */
    private static List<PrecisionRow> precision(SparkSession spark, Tables tables, Dataset<Row> cases) {
        String path = tables.rulePrecision();
        List<PrecisionRow> out = new ArrayList<>();
        List<Row> rows;
        if (DeltaTables.exists(spark, path)) {
            spark.read().format("delta").load(path).createOrReplaceTempView("report_rule_precision");
            rows = spark.sql("SELECT rule_id, rule_version, confirmed, dismissed, undecided, precision FROM "
                    + "(SELECT *, row_number() OVER (PARTITION BY rule_id ORDER BY run_id DESC) AS rank "
                    + "FROM report_rule_precision) WHERE rank = 1 ORDER BY rule_id").collectAsList();
        } else {
            rows = spark.sql("SELECT rule_id, max(rule_version), count_if(disposition = 'confirmed') AS c, "
                    + "count_if(disposition = 'dismissed') AS d, count_if(disposition = 'none'), "
                    + "CASE WHEN count_if(disposition <> 'none') = 0 THEN NULL "
                    + "ELSE count_if(disposition = 'confirmed') / count_if(disposition <> 'none') END "
                    + "FROM report_cases GROUP BY rule_id ORDER BY rule_id").collectAsList();
        }
        for (Row r : rows) {
            out.add(new PrecisionRow(r.getString(0), r.getString(1), ((Number) r.get(2)).longValue(),
                    ((Number) r.get(3)).longValue(), ((Number) r.get(4)).longValue(),
                    r.isNullAt(5) ? null : ((Number) r.get(5)).doubleValue()));
        }
        return out;
    }

    private static String latestRun(Dataset<Row> metrics, Dataset<Row> cases) {
        String best = null;
        if (cases != null) {
            Row r = cases.agg(org.apache.spark.sql.functions.max("last_seen_run")).first();
            best = r.isNullAt(0) ? null : r.getString(0);
        }
        if (metrics != null) {
            Row r = metrics.agg(org.apache.spark.sql.functions.max("run_id")).first();
            String m = r.isNullAt(0) ? null : r.getString(0);
            if (best == null || m != null && m.compareTo(best) > 0) {
                best = m;
            }
        }
        return best == null ? "(no run yet)" : best;
    }

    /** The run before {@code run}: run ids start with their UTC time, so they sort in time order. */
    private static String previousRun(Dataset<Row> metrics, Dataset<Row> cases, Dataset<Row> history, String run) {
        String best = null;
        List<Dataset<Row>> sources = new ArrayList<>();
        if (history != null) {
            sources.add(history.select("run_id"));
        }
        if (cases != null) {
            sources.add(cases.select(col("last_seen_run").as("run_id")));
            sources.add(cases.select(col("first_seen_run").as("run_id")));
        }
        if (metrics != null) {
            sources.add(metrics.select("run_id"));
        }
        for (Dataset<Row> s : sources) {
            Row r = s.where(col("run_id").lt(run)).agg(org.apache.spark.sql.functions.max("run_id")).first();
            if (!r.isNullAt(0) && (best == null || r.getString(0).compareTo(best) > 0)) {
                best = r.getString(0);
            }
        }
        return best;
    }

    private static String sqlText(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
