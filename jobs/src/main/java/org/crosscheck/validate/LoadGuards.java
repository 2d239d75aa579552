package org.crosscheck.validate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.IngestLog;
import org.crosscheck.ingest.LoadCheck;
import org.crosscheck.ingest.LoadGuardSettings;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;

/**
 * Judges each new load by the plausibility guards of its mapping ({@link LoadGuardSettings}): the load is parsed
 * as validation will parse it, its figures (shares of parse failures, empty fields, unmapped codes, each code value)
 * are measured in two aggregations (on a sample of about 200,000 rows for a larger load: shares need no full pass), compared with the guards' bounds and with the figures of the previous load of
 * the same mapping, and kept in {@code meta/load_profiles} for the next comparison (one commit per run, in
 * {@link #finish}; an instance serves one ingestion run). Only profiles of loads in the
 * ingest log count as "previous", so a load a guard stopped, or a run killed before its ingest log commit, never
 * becomes the baseline.
 */
public final class LoadGuards implements LoadCheck {
    /** Figures of every judged load: one row per load. */
    public static final String PROFILES = "meta/load_profiles";
    static final StructType PROFILE_SCHEMA = new StructType()
            .add("load_id", DataTypes.StringType, false)
            .add("mapping_id", DataTypes.StringType, false)
            .add("family", DataTypes.StringType, false)
            .add("source_file", DataTypes.StringType, true)
            .add("run_id", DataTypes.StringType, true)
            .add("rows", DataTypes.LongType, false)
            .add("figures", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true)
            .add("recorded_at", DataTypes.TimestampType, false);

    private final List<Row> pendingProfiles = new ArrayList<>();
    /** Loads larger than this are measured on a random sample of about this many rows. */
    static final long SAMPLE_ROWS = 200_000;
    /** Figure: the rows the shares were measured on (all of a load up to {@link #SAMPLE_ROWS}). */
    static final String SAMPLED = "sampled_rows";

    @Override
    public List<Verdict> check(SparkSession spark, Tables tables, SourceFamily family, Map<String, Load> loads) {
        if (loads.isEmpty() || !DeltaTables.exists(spark, tables.bronze(family))) {
            return List.of();
        }
        Normalisation.registerFunctions(spark);
        Dataset<Row> bronze = spark.read().format("delta").load(tables.bronze(family))
                .filter(col("_load_id").isin(loads.keySet().toArray()));
        Map<Mapping, List<Load>> byMapping = new IdentityHashMap<>();
        loads.values().forEach(l -> byMapping.computeIfAbsent(l.mapping(), k -> new ArrayList<>()).add(l));
        Dataset<Row> parsed = null;
        Set<String> codeFields = new java.util.TreeSet<>();
        for (var e : byMapping.entrySet()) {
            Dataset<Row> rows = null;
            for (Load l : e.getValue()) {
                // shares need no full pass: a large load is judged on a sample of about SAMPLE_ROWS rows
                Dataset<Row> one = bronze.filter(col("_load_id").equalTo(l.loadId()));
                if (l.rows() > SAMPLE_ROWS) {
                    one = one.sample(false, Math.min(1.0, SAMPLE_ROWS * 1.05 / l.rows()), 20260101L);
                }
                rows = rows == null ? one : rows.union(one);
            }
            Dataset<Row> part = Normalisation.parse(rows, family, e.getKey()).drop("_raw");
            parsed = parsed == null ? part : parsed.unionByName(part);
            for (String f : family.fieldNames()) {
                if (MappingLoader.CODE_FIELDS.contains(f)
                        || (MappingLoader.PRECISION.equals(f) && e.getKey().columns().containsKey(f))) {
                    codeFields.add(f);
                }
            }
        }
        Map<String, Map<String, Double>> figures = measure(parsed, family, codeFields);
        Map<String, Previous> previous = previousProfiles(spark, tables, loads);
        List<Verdict> verdicts = new ArrayList<>();
        List<Row> profileRows = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (Load load : loads.values()) {
            Map<String, Double> f = new TreeMap<>(figures.getOrDefault(load.loadId(), Map.of("rows", 0.0)));
            f.put(SAMPLED, f.get("rows"));
            f.put("rows", (double) Math.max(load.rows(), f.get("rows").longValue()));
            verdicts.addAll(judge(load, f, previous.get(load.mapping().id())));
            profileRows.add(RowFactory.create(load.loadId(), load.mapping().id(), family.id(), load.file(), load.runId(),
                    f.get("rows").longValue(), scala.jdk.javaapi.CollectionConverters.asScala(f), now));
        }
        pendingProfiles.addAll(profileRows);
        return verdicts;
    }

    /** Stores the figures of every judged load in one commit. */
    @Override
    public void finish(SparkSession spark, Tables tables) {
        if (!pendingProfiles.isEmpty()) {
            spark.createDataFrame(pendingProfiles, PROFILE_SCHEMA).write().format("delta").mode("append")
                    .save(tables.path(PROFILES));
            pendingProfiles.clear();
        }
    }

    /** Figures per load id: {@code rows} and shares named like the guards. */
    static Map<String, Map<String, Double>> measure(Dataset<Row> parsed, SourceFamily family, Set<String> codeFields) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as("rows"));
        aggs.add(sum(when(size(col("_parse_errors")).gt(0), 1).otherwise(0)).as(LoadGuardSettings.PARSE_FAILURE_SHARE));
        for (String f : Normalisation.rawFields(family)) {
            aggs.add(sum(when(col("_norm." + f).isNull(), 1).otherwise(0)).as(LoadGuardSettings.NULL_SHARE + "." + f));
        }
        for (String f : codeFields) {
            aggs.add(sum(when(exists(col("_parse_errors"), r -> r.getField("check").equalTo("parse_" + f)), 1)
                    .otherwise(0)).as(LoadGuardSettings.UNMAPPED_CODE_SHARE + "." + f));
            aggs.add(sum(when(col(f).isNotNull(), 1).otherwise(0)).as("nonblank." + f));
        }
        if (family == SourceFamily.CIVIL_REGISTRY) {
            aggs.add(sum(when(col("record_status").equalTo("deceased").and(col("death_date").isNull()), 1).otherwise(0))
                    .as(LoadGuardSettings.DECEASED_WITHOUT_DEATH_DATE));
        }
        Dataset<Row> totals = parsed.groupBy("_load_id").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (Row r : totals.collectAsList()) {
            Map<String, Double> m = new TreeMap<>();
            double rows = r.getLong(r.fieldIndex("rows"));
            m.put("rows", rows);
            for (String name : totals.columns()) {
                if (name.equals("_load_id") || name.equals("rows") || name.startsWith("nonblank.")
                        || name.startsWith(LoadGuardSettings.UNMAPPED_CODE_SHARE)) {
                    continue;
                }
                m.put(name, rows == 0 ? 0.0 : r.getLong(r.fieldIndex(name)) / rows);
            }
            for (String f : codeFields) {
                long nonblank = r.getLong(r.fieldIndex("nonblank." + f));
                long unmapped = r.getLong(r.fieldIndex(LoadGuardSettings.UNMAPPED_CODE_SHARE + "." + f));
                // of the values delivered (blank ones are the null share's business)
                m.put(LoadGuardSettings.UNMAPPED_CODE_SHARE + "." + f,
                        nonblank + unmapped == 0 ? 0.0 : unmapped / (double) (nonblank + unmapped));
            }
            out.put(r.getString(0), m);
        }
        if (!codeFields.isEmpty()) {
            List<Column> pairs = codeFields.stream()
                    .map(f -> struct(lit(f).as("field"), col(f).cast("string").as("value"))).toList();
            Dataset<Row> classes = parsed.select(col("_load_id"), explode(array(pairs.toArray(Column[]::new))).as("c"))
                    .filter(col("c.value").isNotNull())
                    .groupBy(col("_load_id"), col("c.field"), col("c.value")).count();
            for (Row r : classes.collectAsList()) {
                Map<String, Double> m = out.get(r.getString(0));
                double nonblankRows = m.get("rows") * (1 - m.get(LoadGuardSettings.NULL_SHARE + "." + r.getString(1)));
                m.put(LoadGuardSettings.SHARE + "." + r.getString(1) + "." + r.getString(2),
                        nonblankRows <= 0 ? 0.0 : r.getLong(3) / nonblankRows);
            }
        }
        return out;
    }

    /** The figures of the latest profiled load in the ingest log, per mapping id of the given loads. */
    static Map<String, Previous> previousProfiles(SparkSession spark, Tables tables, Map<String, Load> loads) {
        String path = tables.path(PROFILES);
        if (!DeltaTables.exists(spark, path)) {
            return Map.of();
        }
        Set<String> logged = IngestLog.entries(spark, tables).stream().map(IngestLog.Entry::loadId)
                .collect(Collectors.toSet());
        Set<String> mappings = loads.values().stream().map(l -> l.mapping().id()).collect(Collectors.toSet());
        Map<String, Previous> out = new HashMap<>();
        Map<String, Timestamp> when = new HashMap<>();
        for (Row r : spark.read().format("delta").load(path).filter(col("mapping_id").isin(mappings.toArray()))
                .select("load_id", "mapping_id", "figures", "recorded_at").collectAsList()) {
            String loadId = r.getString(0);
            if (!logged.contains(loadId) || loads.containsKey(loadId)) {
                continue;
            }
            Timestamp t = r.getTimestamp(3);
            if (when.get(r.getString(1)) == null || t.after(when.get(r.getString(1)))) {
                when.put(r.getString(1), t);
                out.put(r.getString(1), new Previous(loadId, new LinkedHashMap<>(r.getJavaMap(2))));
            }
        }
        return out;
    }

    /** The figures of the load a new one is compared with. */
    record Previous(String loadId, Map<String, Double> figures) {
    }

    /** The verdicts on one load's figures. */
    static List<Verdict> judge(Load load, Map<String, Double> figures, Previous last) {
        Map<String, Double> previous = last == null ? null : last.figures();
        List<Verdict> out = new ArrayList<>();
        double rows = figures.get("rows");
        for (LoadGuardSettings.Effective g : LoadGuardSettings.effective(load.mapping()).values()) {
            if (g.off() || rows < g.minRows()) {
                continue;
            }
            String name = g.name();
            if (name.equals(LoadGuardSettings.SHARE_JUMP)) {
                if (previous == null || previous.getOrDefault("rows", 0.0) < g.minRows() || g.max() == null) {
                    continue;
                }
                String previousId = last.loadId();
                for (String key : union(figures, previous)) {
                    if (!key.startsWith(LoadGuardSettings.SHARE + ".")) {
                        continue;
                    }
                    double now = figures.getOrDefault(key, 0.0);
                    double before = previous.getOrDefault(key, 0.0);
                    if (Math.abs(now - before) > g.max()) {
                        String[] fv = LoadGuardSettings.shareFieldValue(key);
                        out.add(verdict(load, g, String.format(Locale.ROOT,
                                "the share of %s = %s moved from %s in load %s to %s, more than %s",
                                fv[0], fv[1], pct(before), previousId, pct(now), pct(g.max()))));
                    }
                }
            } else if (name.equals(LoadGuardSettings.UNMAPPED_CODE_SHARE)) {
                for (var e : figures.entrySet()) {
                    if (e.getKey().startsWith(name + ".") && g.max() != null && e.getValue() > g.max()) {
                        String field = e.getKey().substring(name.length() + 1);
                        out.add(verdict(load, g, String.format(Locale.ROOT,
                                "%s of the %s values are not in the mapping's code list (max %s)",
                                pct(e.getValue()), field, pct(g.max()))));
                    }
                }
            } else {
                Double share = figures.get(name);
                if (share == null) {
                    if (LoadGuardSettings.shareFieldValue(name) == null) {
                        continue;
                    }
                    share = 0.0; // a code value that does not occur has share 0
                }
                double sampled = figures.getOrDefault(SAMPLED, rows);
                String of = sampled < rows
                        ? String.format(Locale.ROOT, "about %d of %d rows, measured on a sample of %d", Math.round(share * rows),
                                (long) rows, (long) sampled)
                        : String.format(Locale.ROOT, "%d of %d rows", Math.round(share * rows), (long) rows);
                if (g.max() != null && share > g.max()) {
                    out.add(verdict(load, g, String.format(Locale.ROOT, "%s (%s) is above the maximum %s",
                            pct(share), of, pct(g.max()))));
                }
                if (g.min() != null && share < g.min()) {
                    out.add(verdict(load, g, String.format(Locale.ROOT, "%s (%s) is below the minimum %s",
                            pct(share), of, pct(g.min()))));
                }
            }
        }
        return out;
    }

    private static Set<String> union(Map<String, Double> a, Map<String, Double> b) {
        Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static Verdict verdict(Load load, LoadGuardSettings.Effective g, String message) {
        return new Verdict(load.loadId(), load.mapping().id(), load.file(), g.name(), g.stops(), message);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
