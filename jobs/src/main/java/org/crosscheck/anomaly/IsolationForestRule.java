package org.crosscheck.anomaly;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.named_struct;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF8;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.Money;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.screen.ConfigurableRule;
import org.crosscheck.screen.Findings;
import org.crosscheck.screen.ScreeningContext;

import scala.collection.Seq;

/**
 * Screening rule {@code anomaly_score}: person-months whose pattern of payments is unusual as a whole, found by an
 * isolation forest over {@link AnomalyFeatures} (each relative to the person-month's peers,
 * {@link AnomalyFeatures#relativeToPeers}) and explained by the (up to) three features furthest from their peer
 * median in robust deviations ({@link AnomalyReasons}; a feature within 3 robust deviations is not named).
 *
 * <p>Rationale (for risk officers): most people are paid the same way month after month; a month that is unlike the
 * others in several respects at once (an amount far above peers and the person's own usual amount, several bank
 * accounts, several schemes, a recent coverage start) is worth a look. The score says how easily a month is told
 * apart from the rest, not that anything is wrong: a flag is a lead for a reviewer, never a decision, and the
 * reasons say where to start looking.
 *
 * <p>How it runs: the features are computed once and cached; a deterministic subsample (by a hash of person, month
 * and seed, about 1.5 &times; trees &times; samples rows) is brought into one sorted partition and the forest is fitted
 * on it (the trees are grown on the driver from at most that many rows); every person-month is scored on the
 * executors. The alert budget then keeps the {@code top_k} highest scores (ties: by national id and month), or every
 * score at or above {@code min_score}, or the highest {@code contamination} share. Only the flagged rows are
 * explained. The findings are checkpointed (computed once, kept on the executors) and the feature cache released, so
 * the returned table is small and cheap to count and write.
 *
 * <p>Edges: no payments gives no findings. With fewer rows than {@code max_samples}, each tree uses all rows. The
 * same data, parameters and seed give the same findings (the sample does not depend on partitioning).
 */
public final class IsolationForestRule implements ConfigurableRule {
    public static final String ID = "anomaly_score";
    public static final String VERSION = "1";
    public static final List<String> BUDGETS = List.of("top_k", "threshold", "contamination");

    private static final Map<String, Object> DEFAULTS;
    private static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, String> t = new LinkedHashMap<>();
        d.put("budget", "top_k");
        t.put("budget", "Alert budget: top_k (the K highest scores), threshold (score >= min_score) or contamination"
                + " (the highest share of person-months).");
        d.put("top_k", 50);
        t.put("top_k", "Findings per run when budget is top_k.");
        d.put("min_score", 0.65);
        t.put("min_score", "Score (0..1) at or above which a person-month is flagged when budget is threshold.");
        d.put("contamination", 0.001);
        t.put("contamination", "Share of person-months flagged when budget is contamination (0 < c < 0.5).");
        d.put("medium_score", 0.7);
        t.put("medium_score", "Findings scoring at or above this are severity medium, the others low.");
        d.put("num_trees", 100);
        t.put("num_trees", "Trees in the forest.");
        d.put("max_samples", 256);
        t.put("max_samples", "Rows each tree is grown on.");
        d.put("seed", 42);
        t.put("seed", "Random seed of the sample and the trees; the same seed on the same data gives the same findings.");
        DEFAULTS = Collections.unmodifiableMap(d);
        DESCRIPTIONS = Collections.unmodifiableMap(t);
    }

    /** A feature closer than this many robust deviations to the median is not named as a reason. */
    static final double MIN_REASON_Z = 3.0;

    private final Map<String, Object> values;

    public IsolationForestRule() {
        this(DEFAULTS);
    }

    private IsolationForestRule(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        List<String> problems = new ArrayList<>();
        if (!BUDGETS.contains(budget())) {
            problems.add("budget must be one of " + BUDGETS + ", got '" + budget() + "'");
        }
        if (topK() < 1) {
            problems.add("top_k must be at least 1, got " + topK());
        }
        if (!(minScore() > 0 && minScore() <= 1)) {
            problems.add("min_score must be in (0, 1], got " + minScore());
        }
        if (!(contamination() > 0 && contamination() < 0.5)) {
            problems.add("contamination must be in (0, 0.5), got " + contamination());
        }
        if (numTrees() < 1 || maxSamples() < 2) {
            problems.add("num_trees must be at least 1 and max_samples at least 2, got " + numTrees() + " and "
                    + maxSamples());
        }
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("screening.parameters." + ID + ": " + String.join("; ", problems));
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String title() {
        return "Person-month whose payment pattern is unlike the others (isolation forest)";
    }

    /** The rule's rationale in plain words, as a rule file's {@code rationale}. */
    public String rationale() {
        return "Most people are paid the same way month after month. A month unlike the others in several respects at"
                + " once (amount far above peers and the person's own usual amount, several bank accounts or schemes,"
                + " a recent coverage start) is worth a look. The score measures how easily the month is told apart"
                + " from the rest, not that anything is wrong: a flag is a lead for a reviewer, never a decision.";
    }

    @Override
    public java.util.List<String> caseKey() {
        return java.util.List.of("period"); // one case per scored person-month
    }

    @Override
    public String severity() {
        return "low";
    }

    @Override
    public Set<SourceFamily> reads() {
        return Set.of(SourceFamily.BENEFIT_PAYMENT, SourceFamily.ENROLLMENT, SourceFamily.CONTRIBUTION,
                SourceFamily.CIVIL_REGISTRY);
    }

    @Override
    public Map<String, Object> parameters() {
        return values;
    }

    @Override
    public Map<String, String> parameterDescriptions() {
        return DESCRIPTIONS;
    }

    @Override
    public IsolationForestRule withParameters(Map<String, Object> newValues) {
        return new IsolationForestRule(newValues);
    }

    public String budget() {
        return values.get("budget").toString();
    }

    public int topK() {
        return ((Number) values.get("top_k")).intValue();
    }

    public double minScore() {
        return ((Number) values.get("min_score")).doubleValue();
    }

    public double contamination() {
        return ((Number) values.get("contamination")).doubleValue();
    }

    public double mediumScore() {
        return ((Number) values.get("medium_score")).doubleValue();
    }

    public int numTrees() {
        return ((Number) values.get("num_trees")).intValue();
    }

    public int maxSamples() {
        return ((Number) values.get("max_samples")).intValue();
    }

    public long seed() {
        return ((Number) values.get("seed")).longValue();
    }

    @Override
    public Dataset<Row> findings(SparkSession spark, ScreeningContext context) {
        return flag(AnomalyFeatures.personMonths(spark.table(SourceFamily.BENEFIT_PAYMENT.id()),
                spark.table(SourceFamily.ENROLLMENT.id()), spark.table(SourceFamily.CONTRIBUTION.id()),
                spark.table(SourceFamily.CIVIL_REGISTRY.id())));
    }

    /** Scored person-months (features, peer statistics and {@code score}) and how many rows were scored. */
    public record Scored(Dataset<Row> table, long rows, Dataset<Row> cached) {
    }

    /**
     * Features (cached), made relative to peers, the fit on the subsample, and the scores (lazy). The caller
     * unpersists {@code cached} when done. Null when there are no rows.
     */
    public Scored score(Dataset<Row> personMonths) {
        Dataset<Row> raw = AnomalyFeatures.features(personMonths).persist(StorageLevel.MEMORY_AND_DISK());
        long n = raw.count();
        if (n == 0) {
            raw.unpersist();
            return null;
        }
        Dataset<Row> relative = AnomalyFeatures.relativeToPeers(raw, AnomalyFeatures.MIN_PEERS);
        String[] inputs = AnomalyFeatures.names().stream().map(f -> f + AnomalyFeatures.Z).toArray(String[]::new);
        Dataset<Row> assembled = new VectorAssembler().setInputCols(inputs).setOutputCol("_features")
                .transform(relative);
        double wanted = 1.5 * numTrees() * maxSamples() + 100;
        Dataset<Row> training = assembled;
        if (wanted < n) {
            long perMillion = (long) Math.ceil(1_000_000 * wanted / n);
            training = assembled.where(pmod(xxhash64(col("national_id"), col("period"), lit(seed())), lit(1_000_000L))
                    .lt(perMillion));
        }
        // one partition in a fixed order: the forest's own Bernoulli sample then does not depend on partitioning
        training = training.select("national_id", "period", "_features").coalesce(1)
                .sortWithinPartitions("national_id", "period");
        IsolationForestModel model = new IsolationForest().setNumTrees(numTrees()).setMaxSamples(maxSamples())
                .setRandomSeed(seed()).setFeaturesCol("_features").setScoreCol("score").fit(training);
        Dataset<Row> scored = model.setPredictionCol("_predicted").transform(assembled).drop("_predicted", "_features");
        return new Scored(scored, n, raw);
    }

    /** Findings (in {@link Findings#SCHEMA}) from the person-month table of {@link AnomalyFeatures#personMonths}. */
    public Dataset<Row> flag(Dataset<Row> personMonths) {
        SparkSession spark = personMonths.sparkSession();
        Scored s = score(personMonths);
        if (s == null) {
            return Findings.empty(spark);
        }
        Dataset<Row> scored = s.table();
        Dataset<Row> selected;
        String budgetWords;
        switch (budget()) {
            case "threshold" -> {
                selected = scored.where(col("score").geq(minScore()));
                budgetWords = String.format(Locale.ROOT, "at or above the alert threshold %.2f", minScore());
            }
            case "contamination" -> {
                double t = scored.stat().approxQuantile("score", new double[] {1.0 - contamination()}, 0.001)[0];
                selected = scored.where(col("score").geq(t));
                budgetWords = String.format(Locale.ROOT, "in the top %s%%", trim(100 * contamination()));
            }
            default -> {
                selected = scored.orderBy(col("score").desc(), col("national_id"), col("period")).limit(topK());
                budgetWords = String.format(Locale.ROOT, "in the top %,d", topK());
            }
        }
        Dataset<Row> out = explain(selected, s.rows(), budgetWords);
        Dataset<Row> findings = Findings.conform(out, this).localCheckpoint(true);
        s.cached().unpersist();
        return findings;
    }

    private Dataset<Row> explain(Dataset<Row> selected, long rows, String budgetWords) {
        List<String> names = AnomalyFeatures.FEATURES.stream().filter(AnomalyFeatures.Feature::explains)
                .map(AnomalyFeatures.Feature::name).toList();
        String prefix = String.format(Locale.ROOT, ", %s of %,d person-months): ", budgetWords, rows);
        UserDefinedFunction words = udf((UDF8<Seq<Object>, Seq<Object>, Seq<Object>, Seq<Object>, Double, Double,
                Double, Double, String>) (values, medians, mads, meanAds, score, amount, peerMedian, ownMedian) ->
                explanation(names, values, medians, mads, meanAds, score, amount, peerMedian, ownMedian, prefix),
                DataTypes.StringType);

        List<Column> featureFields = new ArrayList<>();
        List<Column> medianFields = new ArrayList<>();
        for (String n : AnomalyFeatures.names()) {
            featureFields.add(lit(n));
            featureFields.add(round(col(n), 4));
            medianFields.add(lit(n));
            medianFields.add(round(col(n + AnomalyFeatures.MEDIAN), 4));
        }
        Column evidence = concat(lit("["), to_json(named_struct(
                lit("record"), lit("person_month"),
                lit("national_id"), col("national_id"),
                lit("period"), col("period"),
                lit("payment_ids"), col("payment_ids"),
                lit("score"), round(col("score"), 4),
                lit("features"), named_struct(featureFields.toArray(new Column[0])),
                lit("peer_median_amount"), round(col("peer_median"), 2),
                lit("own_median_amount"), round(col("own_median"), 2),
                lit("peer_group"), col("peer_group"),
                lit("feature_peer_medians"), named_struct(medianFields.toArray(new Column[0])),
                lit("scored_person_months"), lit(rows))), lit("]"));
        return selected.select(
                lit("person").as("subject_type"),
                col("national_id").as("subject_id"),
                col("scheme"),
                col("region"),
                col("period"),
                greatest(col("amount").minus(col("peer_median")), lit(0.0)).cast(Money.TYPE).as("amount_at_risk"),
                when(col("score").geq(mediumScore()), lit("medium")).otherwise(lit("low")).as("severity"),
                evidence.as("evidence"),
                words.apply(array(columns(names, "")), array(columns(names, AnomalyFeatures.MEDIAN)),
                        array(columns(names, AnomalyFeatures.MAD)), array(columns(names, AnomalyFeatures.MEAN_AD)),
                        col("score"), col("amount"), col("peer_median"), col("own_median")).as("explanation"));
    }

    private static Column[] columns(List<String> names, String suffix) {
        return names.stream().map(n -> col(n + suffix).cast("double")).toArray(Column[]::new);
    }

    /** The explanation of one flagged person-month: its top reasons against its peers' statistics. */
    static String explanation(List<String> names, Seq<Object> values, Seq<Object> medians, Seq<Object> mads,
                              Seq<Object> meanAds, Double score, Double amount, Double peerMedian, Double ownMedian,
                              String prefix) {
        Map<String, AnomalyReasons.RobustStats> stats = new LinkedHashMap<>();
        double[] x = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            stats.put(names.get(i), new AnomalyReasons.RobustStats(num(medians.apply(i)), num(mads.apply(i)),
                    num(meanAds.apply(i))));
            x[i] = num(values.apply(i));
        }
        List<String> parts = new ArrayList<>();
        for (AnomalyReasons.Reason r : AnomalyReasons.topReasons(names, x, stats, 3)) {
            if (Math.abs(r.robustZ()) < MIN_REASON_Z) {
                continue;
            }
            AnomalyFeatures.Feature f = AnomalyFeatures.FEATURES.stream()
                    .filter(g -> g.name().equals(r.feature())).findFirst().orElseThrow();
            parts.add(AnomalyFeatures.reasonText(f, r, nz(amount), nz(peerMedian), nz(ownMedian)));
        }
        String reasons = parts.isEmpty() ? "no single feature stands out; the combination is rare"
                : String.join("; ", parts);
        return String.format(Locale.ROOT, "Unusual pattern (score %.2f", nz(score)) + prefix + reasons
                + ". A lead for review, not a decision: check the payments listed in the evidence against their basis.";
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static double nz(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }
}
