package org.crosscheck.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probabilistic record linkage on Spark: blocking (the rules' candidate pairs, unioned and de-duplicated), comparison
 * levels per pair, u from random pairs, m and lambda by EM without labels ({@link FellegiSunterModel}), a match
 * weight per pair with every comparison's contribution kept, exclusions (e.g. twins) and the linked pairs.
 *
 * <p>Edges: no candidate pairs gives an untrained model with m = u (every weight 0) and nothing linked. A parameter
 * file that exists is reused (not retrained) unless {@code retrain}; one that does not fit the settings is a
 * configuration error. Only small aggregates reach the driver: pattern counts for EM, level counts for u and
 * per-rule pair counts.
 */
public final class LinkagePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(LinkagePipeline.class);

    /** Schema of the scored pairs. */
    public static final StructType CONTRIBUTION = new StructType()
            .add("comparison", DataTypes.StringType).add("level", DataTypes.StringType)
            .add("words", DataTypes.StringType).add("weight", DataTypes.DoubleType);
    public static final StructType SCORED = new StructType()
            .add("id_l", DataTypes.StringType).add("id_r", DataTypes.StringType)
            .add("match_weight", DataTypes.DoubleType).add("match_probability", DataTypes.DoubleType)
            .add("exclusion", DataTypes.StringType).add("linked", DataTypes.BooleanType)
            .add("contributions", DataTypes.createArrayType(CONTRIBUTION));
    private static final StructType GAMMA = new StructType()
            .add("id_l", DataTypes.StringType).add("id_r", DataTypes.StringType)
            .add("exclusion", DataTypes.StringType)
            .add("gamma", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("tf", DataTypes.createArrayType(DataTypes.DoubleType));

    /** What a run produced; {@code scored} is persisted (call {@link #release}). */
    public record Result(Dataset<Row> records, Dataset<Row> scored, FellegiSunterModel model,
                         Map<String, Long> pairsPerRule, Map<String, Long> skippedBlocksPerRule, long candidatePairs,
                         Map<String, Double> secondsPerStage) {
        public Dataset<Row> links() {
            return scored.filter(col("linked"));
        }

        public void release() {
            scored.unpersist();
            records.unpersist();
        }
    }

    private final SparkSession spark;
    private final LinkageSettings settings;

    public LinkagePipeline(SparkSession spark, LinkageSettings settings) {
        this.spark = spark;
        this.settings = settings;
    }

    /**
     * Links the records. {@code parameters}: the trained parameter file; read when it exists and {@code retrain} is
     * false, else trained and written there (null: trained and not written).
     */
    public Result run(Dataset<Row> rawRecords, Path parameters, boolean retrain) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        // checkpointed (not only cached): the rules' queries over records and pairs then plan in milliseconds
        Dataset<Row> records = LinkageRecords.prepare(spark, rawRecords, settings).localCheckpoint();
        long n = records.count();
        t0 = lap(seconds, "prepare records (" + n + ")", t0);

        Map<String, Long> skipped = new LinkedHashMap<>();
        Dataset<Row> byRule = candidates(records, skipped).persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Long> perRule = new LinkedHashMap<>();
        settings.blocking().forEach(b -> perRule.put(b.name(), 0L));
        for (Row r : byRule.groupBy("rule").count().collectAsList()) {
            perRule.put(r.getString(0), r.getLong(1));
        }
        Dataset<Row> pairs = byRule.select("id_l", "id_r").distinct();
        Dataset<Row> gammas = gammas(pairs, records, true).localCheckpoint();
        long candidatePairs = gammas.count();
        t0 = lap(seconds, "blocking and comparisons (" + candidatePairs + " pairs)", t0);

        FellegiSunterModel model;
        if (parameters != null && Files.exists(parameters) && !retrain) {
            model = FellegiSunterModel.load(parameters, settings);
            t0 = lap(seconds, "parameters read from " + parameters, t0);
        } else {
            List<int[]> randomPatterns = new ArrayList<>();
            List<Long> randomCounts = new ArrayList<>();
            randomPairPatterns(records, randomPatterns, randomCounts);
            double[][] u = FellegiSunterModel.uFromPatterns(settings.comparisons(), randomPatterns, randomCounts, null);
            t0 = lap(seconds, "u from random pairs", t0);
            List<int[]> patterns = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            for (Row r : gammas.groupBy("gamma").count().collectAsList()) {
                List<Integer> g = r.getList(0);
                patterns.add(g.stream().mapToInt(Integer::intValue).toArray());
                counts.add(r.getLong(1));
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("records", n);
            info.put("candidate_pairs", candidatePairs);
            info.put("comparison_patterns", patterns.size());
            info.put("random_pairs_target", settings.randomPairs());
            List<FellegiSunterModel.RulePatterns> rules = rulePatterns(byRule, gammas);
            double recordPairs = recordPairs(records, n);
            model = FellegiSunterModel.trainPerRule(settings.comparisons(), u, patterns, counts, rules,
                    recordPairs, settings.emIterations(), settings.mPriorPairs(), info);
            // once more with u from the random pairs the first model takes for non-matches
            double randomMatches = model.expectedMatches(randomPatterns, randomCounts);
            info.put("random_pairs", randomCounts.stream().mapToLong(Long::longValue).sum());
            info.put("random_pairs_left_out_as_matches", FellegiSunterModel.round(randomMatches));
            u = FellegiSunterModel.uFromPatterns(settings.comparisons(), randomPatterns, randomCounts, model);
            model = FellegiSunterModel.trainPerRule(settings.comparisons(), u, patterns, counts, rules,
                    recordPairs, settings.emIterations(), settings.mPriorPairs(), info);
            if (parameters != null) {
                model.save(parameters, settings);
            }
            t0 = lap(seconds, "EM (" + patterns.size() + " patterns)", t0);
        }
        byRule.unpersist();
        Dataset<Row> scored = score(gammas, model).localCheckpoint();
        long links = scored.filter(col("linked")).count();
        gammas.unpersist();
        lap(seconds, "scoring (" + links + " linked)", t0);
        LOG.info("linkage {}: {} records, candidate pairs per rule {}, {} distinct, {} linked; seconds {}",
                settings.id(), n, perRule, candidatePairs, links, seconds);
        return new Result(records, scored, model, perRule, skipped, candidatePairs, seconds);
    }

    /** How many record pairs the mode compares: n(n-1)/2 de-duplicating, n_left * n_right linking. */
    private double recordPairs(Dataset<Row> records, long n) {
        if (!settings.linkOnly()) {
            return n * (n - 1.0) / 2.0;
        }
        List<Row> sets = records.groupBy("dataset").count().collectAsList();
        double product = 1;
        for (Row r : sets) {
            product *= r.getLong(1);
        }
        return sets.size() < 2 ? 0 : product;
    }

    /** Each blocking rule's comparison patterns (a pair several rules found counts for each) and what it fixes. */
    private List<FellegiSunterModel.RulePatterns> rulePatterns(Dataset<Row> byRule, Dataset<Row> gammas) {
        Map<String, List<int[]>> patterns = new LinkedHashMap<>();
        Map<String, List<Long>> counts = new LinkedHashMap<>();
        for (Row r : byRule.join(gammas.select("id_l", "id_r", "gamma"),
                scala.jdk.javaapi.CollectionConverters.asScala(List.of("id_l", "id_r")).toSeq())
                .groupBy("rule", "gamma").count().collectAsList()) {
            List<Integer> g = r.getList(1);
            patterns.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(g.stream().mapToInt(Integer::intValue).toArray());
            counts.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r.getLong(2));
        }
        List<FellegiSunterModel.RulePatterns> out = new ArrayList<>();
        for (LinkageSettings.BlockingRule b : settings.blocking()) {
            boolean[] fixes = new boolean[settings.comparisons().size()];
            for (int c = 0; c < fixes.length; c++) {
                fixes[c] = FellegiSunterModel.fixes(b.keys(), settings.comparisons().get(c));
            }
            out.add(new FellegiSunterModel.RulePatterns(b.name(), patterns.getOrDefault(b.name(), List.of()),
                    counts.getOrDefault(b.name(), List.of()), fixes));
        }
        return out;
    }

    private static long lap(Map<String, Double> seconds, String stage, long t0) {
        long now = System.nanoTime();
        seconds.put(stage, (now - t0) / 1e9);
        return now;
    }

    /** Candidate pairs of every blocking rule, with the rule's name (one row per rule and pair). */
    Dataset<Row> candidates(Dataset<Row> records, Map<String, Long> skipped) {
        Dataset<Row> all = null;
        List<Row> sizes = new ArrayList<>();
        for (LinkageSettings.BlockingRule rule : settings.blocking()) {
            Column[] keys = rule.keys().stream().map(k -> expr(k).cast("string")).toArray(Column[]::new);
            Column notNull = lit(true);
            for (Column k : keys) {
                notNull = notNull.and(k.isNotNull()).and(k.notEqual(""));
            }
            List<Column> sel = new ArrayList<>(List.of(col("record_id"), concat_ws("\u0001", keys).as("bkey")));
            if (settings.linkOnly()) {
                sel.add(col("dataset"));
            }
            Dataset<Row> keyed = records.filter(notNull).select(sel.toArray(Column[]::new));
            Dataset<Row> blockSize = keyed.groupBy("bkey").agg(count(lit(1)).as("n"));
            Row s = blockSize.agg(sum(when(col("n").gt(settings.maxBlockSize()), 1).otherwise(0))).first();
            skipped.put(rule.name(), s.isNullAt(0) ? 0L : s.getLong(0));
            Dataset<Row> ok = keyed.join(blockSize.filter(col("n").leq(settings.maxBlockSize())).select("bkey"), "bkey");
            Dataset<Row> l = ok.as("l");
            Dataset<Row> r = ok.as("r");
            Column on = col("l.bkey").equalTo(col("r.bkey"));
            on = settings.linkOnly() ? on.and(col("l.dataset").lt(col("r.dataset")))
                    : on.and(col("l.record_id").lt(col("r.record_id")));
            Dataset<Row> p = l.join(r, on).select(col("l.record_id").as("id_l"), col("r.record_id").as("id_r"),
                    lit(rule.name()).as("rule"));
            all = all == null ? p : all.unionAll(p);
        }
        return all;
    }

    /** The comparison levels of each pair (and the exclusion that applies, when {@code withExclusions}). */
    Dataset<Row> gammas(Dataset<Row> pairs, Dataset<Row> records, boolean withExclusions) {
        List<String> columns = new ArrayList<>();
        for (Comparison c : settings.comparisons()) {
            for (String column : c.columns()) {
                if (!columns.contains(column)) {
                    columns.add(column);
                }
            }
            for (int lv = 0; lv < c.levels().size(); lv++) {
                String tf = c.termFrequencyColumn(lv);
                if (tf != null && !columns.contains(tf)) {
                    columns.add(tf);
                }
            }
        }
        Column exclusion = lit(null).cast("string");
        if (withExclusions && !settings.exclusions().isEmpty()) {
            Column c = null;
            for (LinkageSettings.Exclusion e : settings.exclusions()) {
                c = c == null ? when(expr(e.condition()), lit(e.name())) : c.when(expr(e.condition()), lit(e.name()));
            }
            exclusion = c;
        }
        List<Column> sel = new ArrayList<>(List.of(col("id_l"), col("id_r"), exclusion.as("exclusion")));
        for (String column : columns) {
            sel.add(col("l." + column).cast("string").as("l_" + column));
            sel.add(col("r." + column).cast("string").as("r_" + column));
        }
        Dataset<Row> joined = pairs.join(records.as("l"), col("id_l").equalTo(col("l.record_id")))
                .join(records.as("r"), col("id_r").equalTo(col("r.record_id")))
                .select(sel.toArray(Column[]::new));
        String[] names = joined.columns();
        List<Comparison> comparisons = settings.comparisons();
        return joined.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new LevelIterator(rows, names,
                comparisons), Encoders.row(GAMMA));
    }

    /** The comparison patterns of about {@code random_pairs} random record pairs, with their counts. */
    void randomPairPatterns(Dataset<Row> records, List<int[]> patterns, List<Long> counts) {
        long target = settings.randomPairs();
        Dataset<Row> pairs;
        if (settings.linkOnly()) {
            List<Row> sets = records.groupBy("dataset").count().orderBy("dataset").collectAsList();
            long side = (long) Math.ceil(Math.sqrt((double) target));
            Dataset<Row> a = sample(records.filter(col("dataset").equalTo(sets.get(0).getString(0))), sets.get(0).getLong(1), side);
            Dataset<Row> b = sample(records.filter(col("dataset").notEqual(sets.get(0).getString(0))),
                    sets.size() > 1 ? sets.get(1).getLong(1) : 0, side);
            pairs = a.select(col("record_id").as("id_l")).crossJoin(b.select(col("record_id").as("id_r")));
        } else {
            long side = (long) Math.ceil(Math.sqrt(2.0 * target)) + 1;
            Dataset<Row> s = sample(records, records.count(), side).select("record_id");
            pairs = s.select(col("record_id").as("id_l")).crossJoin(s.select(col("record_id").as("id_r")))
                    .filter(col("id_l").lt(col("id_r")));
        }
        Dataset<Row> g = gammas(pairs, records, false);
        for (Row r : g.groupBy("gamma").count().collectAsList()) {
            List<Integer> levels = r.getList(0);
            patterns.add(levels.stream().mapToInt(Integer::intValue).toArray());
            counts.add(r.getLong(1));
        }
    }

    private Dataset<Row> sample(Dataset<Row> records, long total, long size) {
        if (total <= size) {
            return records;
        }
        double fraction = Math.min(1.0, 1.3 * size / total);
        return records.sample(false, fraction, settings.seed()).limit((int) size);
    }

    /** Match weight, probability, contributions and the linked flag of every pair. */
    Dataset<Row> score(Dataset<Row> gammas, FellegiSunterModel model) {
        return score(gammas, model, settings.comparisons(), settings.threshold());
    }

    private static Dataset<Row> score(Dataset<Row> gammas, FellegiSunterModel model, List<Comparison> comparisons,
                                      double threshold) {
        return gammas.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row g = rows.next();
                List<Integer> gamma = g.getList(3);
                List<Double> tf = g.getList(4);
                double w = model.priorWeight();
                List<Row> contributions = new ArrayList<>(gamma.size());
                for (int c = 0; c < gamma.size(); c++) {
                    int level = gamma.get(c);
                    Double f = tf.get(c);
                    double cw = model.weight(c, level, f == null || f.isNaN() ? null : f);
                    w += cw;
                    Comparison.Level lv = comparisons.get(c).levels().get(level);
                    contributions.add(RowFactory.create(comparisons.get(c).name(), lv.name(), lv.words(),
                            FellegiSunterModel.round(cw)));
                }
                double p = FellegiSunterModel.probability(w);
                String exclusion = g.getString(2);
                return RowFactory.create(g.getString(0), g.getString(1), FellegiSunterModel.round(w), p, exclusion,
                        exclusion == null && p >= threshold, seq(contributions));
            }
        }, Encoders.row(SCORED));
    }

    /** A Scala sequence, as row encoders take for array columns. */
    static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }

    /** Computes the levels of each joined pair row. */
    private static final class LevelIterator implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final List<Comparison> comparisons;
        private final Map<String, Integer> index = new HashMap<>();
        private Row current;
        private final PairValues values = new PairValues() {
            @Override
            public String left(String column) {
                return value("l_" + column);
            }

            @Override
            public String right(String column) {
                return value("r_" + column);
            }
        };

        LevelIterator(Iterator<Row> rows, String[] names, List<Comparison> comparisons) {
            this.rows = rows;
            this.comparisons = comparisons;
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
        }

        private String value(String name) {
            Integer i = index.get(name);
            if (i == null || current.isNullAt(i)) {
                return null;
            }
            return PairValues.blankToNull(current.getString(i));
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            current = rows.next();
            Integer[] gamma = new Integer[comparisons.size()];
            Double[] tf = new Double[comparisons.size()];
            for (int c = 0; c < gamma.length; c++) {
                Comparison comparison = comparisons.get(c);
                int level = comparison.level(values);
                gamma[c] = level;
                String tfColumn = comparison.termFrequencyColumn(level);
                tf[c] = Double.NaN;
                if (tfColumn != null) {
                    String l = values.left(tfColumn);
                    String r = values.right(tfColumn);
                    double fl = l == null ? Double.NaN : Double.parseDouble(l);
                    double fr = r == null ? Double.NaN : Double.parseDouble(r);
                    tf[c] = Double.isNaN(fl) ? fr : Double.isNaN(fr) ? fl : Math.max(fl, fr);
                }
            }
            return RowFactory.create(current.getString(0), current.getString(1), current.get(2),
                    seq(java.util.Arrays.asList(gamma)), seq(java.util.Arrays.asList(tf)));
        }
    }
}
