package org.crosscheck.anomaly;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The features of the isolation-forest screening rule, one row per person and month, assembled in one place:
 * {@link #FEATURES} is a list of named Column expressions over the person-month table of {@link #personMonths},
 * so a new feature is one line there (plus, when it needs a new base column, that column in personMonths).
 *
 * <p>A person-month is a national id and a calendar month (the month of {@code period_start}, or of the payment
 * date when the period is missing, as in {@code amount_outlier}) with at least one payment. Its peer group, for
 * each (scheme, benefit type, region) the person was paid from, is everyone paid from the same scheme, benefit
 * type and region that month; the peer median of a person-month is the sum, over its groups, of the group's
 * median per-person amount (percentile_approx), i.e. what an ordinary peer with the same benefits is paid.
 *
 * <p>Never a protected trait: no feature reads ethnicity, nationality, sex or anything derived from them (the
 * cleaned tables have no ethnicity or nationality; sex is in the registry and deliberately unused).
 *
 * <p>The model does not see the raw values but each relative to the person-month's peers
 * ({@link #relativeToPeers}). Missing values: a person without an enrollment record has no months since coverage;
 * one unknown to the registry (or without a birth date) has no age; a peer or own median of 0 leaves the ratio
 * undefined. The model sees such a value at the peer median (relative value 0): deterministic, and a missing value
 * never makes a person-month look anomalous by itself. The evidence keeps it null. Counts are never missing (0).
 */
public final class AnomalyFeatures {
    /** How a feature is put into words for a reviewer. */
    public enum Kind { MONEY, RATIO_TO_PEERS, RATIO_TO_OWN, COUNT, MONTHS, YEARS }

    /**
     * One feature.
     *
     * @param name       column name, in the evidence and the model
     * @param words      what it counts, for the explanation ("bank accounts used this month")
     * @param expression a double over the columns of {@link #personMonths}
     * @param explains   whether it may be named as a reason; raw {@code amount} may not: its spread mixes schemes
     *                   (a pension is larger than a resident pension), and {@code amount_to_peer_median} carries
     *                   the same information fairly
     */
    public record Feature(String name, Kind kind, String words, Column expression, boolean explains) {
    }

    /** The model's features, in vector order. */
    public static final List<Feature> FEATURES = List.of(
            new Feature("amount", Kind.MONEY, "amount paid this month", col("amount"), false),
            new Feature("amount_to_peer_median", Kind.RATIO_TO_PEERS, "amount to the peer median",
                    when(col("peer_median").gt(0), col("amount").divide(col("peer_median"))), true),
            new Feature("payments", Kind.COUNT, "payments this month", col("payments"), true),
            new Feature("bank_accounts", Kind.COUNT, "bank accounts used this month", col("bank_accounts"), true),
            new Feature("schemes", Kind.COUNT, "schemes paid this month", col("schemes"), true),
            new Feature("months_since_coverage", Kind.MONTHS, "months since coverage began",
                    floor(months_between(col("month"), col("first_coverage"))), true),
            new Feature("age", Kind.YEARS, "age",
                    floor(months_between(last_day(col("month")), col("birth_date")).divide(12)), true),
            new Feature("contribution_months_12", Kind.COUNT, "contribution months in the last 12",
                    col("contribution_months_12"), true),
            new Feature("amount_to_own_median", Kind.RATIO_TO_OWN, "amount to the person's own median month",
                    when(col("own_median").gt(0), col("amount").divide(col("own_median"))), true));

    /** Names a feature must never have or read (test-enforced). */
    public static final List<String> PROTECTED_TRAITS = List.of("ethnic", "nationality", "race", "religion", "sex",
            "gender");

    /** Columns of {@link #personMonths} besides the features: identity, context for words and evidence. */
    public static final List<String> CONTEXT = List.of("national_id", "period", "scheme", "benefit_type", "region", "peer_median",
            "own_median", "payment_ids");

    private AnomalyFeatures() {
    }

    public static List<String> names() {
        return FEATURES.stream().map(Feature::name).toList();
    }

    /**
     * One row per person and month paid: {@code national_id, month (DATE, 1st), period (yyyy-MM), scheme, region
     * and benefit_type (of the largest payment group that month; ties: the larger scheme code), amount (DOUBLE, sum), peer_median,
     * own_median (the person's median month), payments, bank_accounts, schemes, first_coverage (earliest
     * coverage_start of any enrollment, null when none), birth_date (null when unknown), contribution_months_12
     * (distinct contribution months in the 12 months ending with this one), payment_ids (sorted)}. Payments without
     * national id or amount are left out. Empty payments give an empty table.
     */
    public static Dataset<Row> personMonths(Dataset<Row> payments, Dataset<Row> enrollment, Dataset<Row> contribution,
                                            Dataset<Row> registry) {
        // Everything below groups or joins by person: partitioning the payments by national id once lets every
        // later aggregation and join on the person reuse it instead of shuffling the payments again.
        Dataset<Row> pay = payments
                .where(col("national_id").isNotNull().and(col("amount").isNotNull()))
                .withColumn("month", trunc(coalesce(col("period_start"), col("payment_date")), "MM"))
                .where(col("month").isNotNull())
                .repartition(col("national_id"));
        // per person and peer group
        Dataset<Row> groups = pay.groupBy("national_id", "month", "scheme", "benefit_type", "region").agg(
                sum(col("amount").cast("double")).as("g_amount"), count(lit(1)).as("g_payments"),
                collect_set(col("bank_account")).as("g_accounts"), collect_list(col("payment_id")).as("g_ids"));
        // a few rows per scheme, benefit type, region and month: broadcast, so the groups keep their partitioning
        Dataset<Row> peerMedians = groups.groupBy("month", "scheme", "benefit_type", "region")
                .agg(percentile_approx(col("g_amount"), lit(0.5), lit(10_000)).as("g_median"))
                .withColumnRenamed("month", "p_month").withColumnRenamed("scheme", "p_scheme")
                .withColumnRenamed("benefit_type", "p_benefit_type").withColumnRenamed("region", "p_region");
        Dataset<Row> withPeers = groups.join(broadcast(peerMedians), col("month").equalTo(col("p_month"))
                .and(col("scheme").eqNullSafe(col("p_scheme")))
                .and(col("benefit_type").eqNullSafe(col("p_benefit_type")))
                .and(col("region").eqNullSafe(col("p_region"))));
        Dataset<Row> pm = withPeers.groupBy("national_id", "month").agg(
                sum("g_amount").as("amount"), sum("g_median").as("peer_median"),
                sum("g_payments").cast("long").as("payments"),
                size(array_distinct(flatten(collect_list(col("g_accounts"))))).cast("long").as("bank_accounts"),
                // size(collect_set) rather than countDistinct: no Expand, no second aggregation
                size(collect_set(col("scheme"))).cast("long").as("schemes"),
                max(struct(col("g_amount"), col("scheme"), col("benefit_type"), col("region"))).as("main"),
                array_sort(flatten(collect_list(col("g_ids")))).as("payment_ids"))
                .withColumn("scheme", col("main.scheme")).withColumn("benefit_type", col("main.benefit_type"))
                .withColumn("region", col("main.region")).drop("main")
                .withColumn("period", date_format(col("month"), "yyyy-MM"));

        // the person's median month, exactly (a few dozen values per person; percentile_approx's per-group
        // summaries cost far more with a million persons) and equal to percentile_approx's answer for so few values
        Dataset<Row> own = pm.groupBy("national_id")
                .agg(expr("element_at(array_sort(collect_list(amount)), CAST(ceil(0.5 * count(*)) AS INT))")
                        .as("own_median"))
                .withColumnRenamed("national_id", "o_id");
        Dataset<Row> coverage = enrollment.where(col("national_id").isNotNull())
                .groupBy("national_id").agg(min("coverage_start").as("first_coverage"))
                .withColumnRenamed("national_id", "e_id");
        Dataset<Row> births = registry.where(col("national_id").isNotNull())
                .groupBy("national_id").agg(max("birth_date").as("birth_date"))
                .withColumnRenamed("national_id", "r_id");
        // each person's contribution months as one sorted array, counted per month below (no join that pairs
        // every paid month with every contribution month)
        Dataset<Row> contributed = contribution
                .where(col("national_id").isNotNull().and(col("contribution_month").isNotNull()))
                .groupBy(col("national_id").as("c_id"))
                .agg(array_sort(collect_set(trunc(col("contribution_month"), "MM"))).as("c_months"));

        return pm.join(own, col("national_id").equalTo(col("o_id")), "left").drop("o_id")
                .join(coverage, col("national_id").equalTo(col("e_id")), "left").drop("e_id")
                .join(births, col("national_id").equalTo(col("r_id")), "left").drop("r_id")
                .join(contributed, col("national_id").equalTo(col("c_id")), "left").drop("c_id")
                .withColumn("contribution_months_12", expr("CASE WHEN c_months IS NULL THEN 0 "
                        + "ELSE size(filter(c_months, c -> c <= month AND c > add_months(month, -12))) END")
                        .cast("long"))
                .drop("c_months");
    }

    /** The context columns plus every feature as a DOUBLE column (null where undefined). */
    public static Dataset<Row> features(Dataset<Row> personMonths) {
        List<Column> cols = new ArrayList<>();
        cols.add(col("month"));
        for (String c : CONTEXT) {
            cols.add(col(c));
        }
        for (Feature f : FEATURES) {
            cols.add(f.expression().cast("double").as(f.name()));
        }
        return personMonths.select(cols.toArray(new Column[0]));
    }

    /** Suffixes of the columns {@link #relativeToPeers} adds per feature. */
    public static final String Z = "_z";
    public static final String MEDIAN = "_peer_median";
    public static final String MAD = "_peer_mad";
    public static final String MEAN_AD = "_peer_meanad";

    /** Smallest peer group whose statistics are used; smaller ones fall back to a wider group. */
    public static final int MIN_PEERS = 30;

    /**
     * Each feature relative to the person-month's peers, as the model sees it: {@code <feature>_z} = (value - peer
     * median) / (1.4826 MAD), or / (1.2533 mean absolute deviation) when MAD is 0, or / max(1% of |median|, 0.01)
     * when both are 0 (so that a value differing from identical peers is large but finite). A missing value gets
     * z = 0: it is imputed as the peer median, so a missing value never makes a person-month look anomalous by
     * itself. Also adds {@code peer_group} and per feature {@code _peer_median}, {@code _peer_mad},
     * {@code _peer_meanad} (for the reasons and the evidence).
     *
     * <p>Peers for this step are the person-months whose main payment has the same scheme and benefit type (all
     * regions and months: a large group), falling back to the same scheme, then to everyone, when fewer than
     * {@code minPeers}. Without it the forest isolates small, ordinary segments (young work-injury claimants among
     * pensioners) instead of odd months. The amount itself is already compared with its finer peer group (scheme,
     * benefit type, region and month) in {@code amount_to_peer_median}.
     *
     * <p>Runs two small aggregations now (medians by rollup, then spreads per chosen group; both collected, a few
     * rows per scheme and benefit type); the returned table is the input joined with them, lazily. Cache the input.
     */
    public static Dataset<Row> relativeToPeers(Dataset<Row> features, int minPeers) {
        SparkSession spark = features.sparkSession();
        List<String> names = names();
        List<Column> aggs = new ArrayList<>();
        for (String f : names) {
            aggs.add(percentile_approx(col(f), lit(0.5), lit(10_000)).as(f));
        }
        aggs.add(grouping_id().as("level"));
        List<Row> levels = features.rollup(col("scheme"), col("benefit_type"))
                .agg(count(lit(1)).as("n"), aggs.toArray(new Column[0])).collectAsList();
        Map<String, Row> bySchemeBenefit = new LinkedHashMap<>();
        Map<String, Row> byScheme = new HashMap<>();
        Row everyone = null;
        for (Row r : levels) {
            int level = ((Number) r.getAs("level")).intValue();
            String scheme = r.getAs("scheme");
            String benefit = r.getAs("benefit_type");
            if (level == 0) {
                bySchemeBenefit.put(scheme + "\u0000" + benefit, r);
            } else if (level == 1) {
                byScheme.put(scheme, r);
            } else {
                everyone = r;
            }
        }
        StructType medianSchema = new StructType().add("_peer_key", DataTypes.StringType)
                .add("peer_group", DataTypes.StringType);
        for (String f : names) {
            medianSchema = medianSchema.add(f + MEDIAN, DataTypes.DoubleType);
        }
        List<Row> chosen = new ArrayList<>();
        for (Row r : bySchemeBenefit.values()) {
            String scheme = r.getAs("scheme");
            String benefit = r.getAs("benefit_type");
            Row use = r;
            String group = scheme + ", " + benefit;
            if (r.<Long>getAs("n") < minPeers) {
                Row wider = byScheme.get(scheme);
                if (wider != null && wider.<Long>getAs("n") >= minPeers) {
                    use = wider;
                    group = scheme + ", all benefit types";
                } else {
                    use = everyone;
                    group = "all person-months";
                }
            }
            Object[] values = new Object[2 + names.size()];
            values[0] = (scheme == null ? "" : scheme) + "|" + (benefit == null ? "" : benefit);
            values[1] = group;
            for (int i = 0; i < names.size(); i++) {
                values[2 + i] = use.isNullAt(use.fieldIndex(names.get(i))) ? null : use.getAs(names.get(i));
            }
            chosen.add(RowFactory.create(values));
        }
        Dataset<Row> medians = spark.createDataFrame(chosen, medianSchema);
        Dataset<Row> withMedians = features
                .withColumn("_peer_key", concat_ws("|", coalesce(col("scheme"), lit("")),
                        coalesce(col("benefit_type"), lit(""))))
                .join(broadcast(medians), "_peer_key").drop("_peer_key");

        List<Column> spreads = new ArrayList<>();
        for (String f : names) {
            Column dev = abs(col(f).minus(col(f + MEDIAN)));
            spreads.add(percentile_approx(dev, lit(0.5), lit(10_000)).as(f + MAD));
            spreads.add(avg(dev).as(f + MEAN_AD));
        }
        Dataset<Row> spreadTable = withMedians.groupBy(col("peer_group"))
                .agg(spreads.get(0), spreads.subList(1, spreads.size()).toArray(new Column[0]));
        spreadTable = spark.createDataFrame(spreadTable.collectAsList(), spreadTable.schema());
        Dataset<Row> out = withMedians.join(broadcast(spreadTable), "peer_group");
        for (String f : names) {
            Column d = col(f).minus(col(f + MEDIAN));
            Column scale = when(col(f + MAD).gt(0), col(f + MAD).multiply(AnomalyReasons.MAD_TO_SIGMA))
                    .when(col(f + MEAN_AD).gt(0), col(f + MEAN_AD).multiply(AnomalyReasons.MEAN_AD_TO_SIGMA))
                    .otherwise(greatest(abs(col(f + MEDIAN)).multiply(0.01), lit(0.01)));
            out = out.withColumn(f + Z, coalesce(d.divide(scale), lit(0.0)));
        }
        return out;
    }

    /**
     * A reason for a reviewer in the feature's own terms, e.g. "3 bank accounts used this month where peers use 1"
     * or "amount 41,520.00 is 11.9 times the peer median 3,480.00 (23.1 robust deviations above the usual ratio
     * 1.00)". {@code amount}, {@code peerMedian} and {@code ownMedian} are the person-month's.
     */
    public static String reasonText(Feature f, AnomalyReasons.Reason r, double amount, double peerMedian,
                                    double ownMedian) {
        String deviations = Double.isInfinite(r.robustZ())
                ? "where every other person-month has " + number(r.median())
                : String.format(Locale.ROOT, "%.1f robust deviations %s the usual %s", Math.abs(r.robustZ()),
                r.robustZ() > 0 ? "above" : "below", number(r.median()));
        return switch (f.kind()) {
            case RATIO_TO_PEERS -> String.format(Locale.ROOT, "amount %s is %.1f times the peer median %s (%s)",
                    money(amount), r.value(), money(peerMedian), deviations);
            case RATIO_TO_OWN -> String.format(Locale.ROOT,
                    "amount %s is %.1f times this person's own median month %s (%s)", money(amount), r.value(),
                    money(ownMedian), deviations);
            case COUNT -> String.format(Locale.ROOT, "%s %s where peers have %s", number(r.value()), f.words(),
                    number(r.median()));
            case MONTHS -> String.format(Locale.ROOT, "%s %s where peers have %s", number(r.value()), f.words(),
                    number(r.median()));
            case YEARS -> String.format(Locale.ROOT, "%s %s where the median is %s", f.words(), number(r.value()),
                    number(r.median()));
            case MONEY -> String.format(Locale.ROOT, "%s %s is %s", f.words(), money(r.value()), deviations);
        };
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }
}
