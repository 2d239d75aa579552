package org.crosscheck.validate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;

/**
 * Counts what happened to every row of a batch (aggregations only; nothing but the totals reaches the driver),
 * checks that the books balance and records one row per family and run in {@code meta/metrics}.
 */
public final class RowAccounting {
    public static final StructType METRICS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("family", DataTypes.StringType)
            .add("mode", DataTypes.StringType)
            .add("loads", DataTypes.IntegerType)
            .add("rows_read", DataTypes.LongType)
            .add("inserted", DataTypes.LongType)
            .add("updated", DataTypes.LongType)
            .add("unchanged", DataTypes.LongType)
            .add("superseded", DataTypes.LongType)
            .add("quarantined", DataTypes.LongType)
            .add("duplicates", DataTypes.LongType)
            .add("warnings", DataTypes.LongType)
            .add("balanced", DataTypes.BooleanType)
            .add("check_violations", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
            .add("completeness", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("recorded_at", DataTypes.TimestampType);

    private RowAccounting() {
    }

    /** Totals per outcome, per-check counts and completeness of one classified batch. */
    public record BatchMetrics(RowCounts counts, Map<String, Long> checkViolations, Map<String, Double> completeness) {
    }

    /**
     * @param classified the batch with {@code _reasons}, {@code _warnings} and {@code _outcome} (cache it: two
     *                   aggregations read it)
     * @param rowsRead the number of bronze rows of the batch, counted on bronze itself so that a row lost or
     *                 duplicated by a join shows up as unbalanced books
     */
    public static BatchMetrics measure(Dataset<Row> classified, SourceFamily family, long rowsRead) {
        List<Column> aggs = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            aggs.add(sum(when(col(CleanTable.OUTCOME).equalTo(o.id()), 1L).otherwise(0L)).as(o.id()));
        }
        aggs.add(sum(when(col(CleanTable.OUTCOME).notEqual(Outcome.QUARANTINED.id())
                .and(size(col("_warnings")).gt(0)), 1L).otherwise(0L)).as("warnings"));
        List<String> fields = new ArrayList<>(family.fieldNames());
        String nameNorm = org.crosscheck.core.StageSchemas.nameNormColumn(family);
        if (nameNorm != null) {
            fields.add(nameNorm);
        }
        Column wellFormed = col(Normalisation.MALFORMED).isNull();
        for (String f : fields) {
            aggs.add(avg(when(wellFormed, when(col(f).isNotNull(), 1.0).otherwise(0.0))).as("c_" + f));
        }
        Row r = classified.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        RowCounts counts = new RowCounts(rowsRead,
                longOf(r, Outcome.INSERTED.id()), longOf(r, Outcome.UPDATED.id()), longOf(r, Outcome.UNCHANGED.id()),
                longOf(r, Outcome.SUPERSEDED.id()), longOf(r, Outcome.QUARANTINED.id()),
                longOf(r, Outcome.DUPLICATE.id()), longOf(r, "warnings"));
        Map<String, Double> completeness = new LinkedHashMap<>();
        for (String f : fields) {
            Object v = r.get(r.fieldIndex("c_" + f));
            completeness.put(f, v == null ? null : ((Number) v).doubleValue());
        }
        Map<String, Long> perCheck = new TreeMap<>();
        for (Row c : classified.select(explode(concat(col("_reasons"), col("_warnings"))).as("r"))
                .groupBy(col("r.check")).agg(count(lit(1))).collectAsList()) {
            perCheck.put(c.getString(0), c.getLong(1));
        }
        return new BatchMetrics(counts, perCheck, completeness);
    }

    private static long longOf(Row r, String name) {
        Object v = r.get(r.fieldIndex(name));
        return v == null ? 0L : ((Number) v).longValue();
    }

    /** Fails the run (exit code 4) when the books of a family do not balance. */
    public static void requireBalanced(SourceFamily family, String runId, RowCounts c) {
        if (!c.balanced()) {
            throw CrossCheckException.internal("row accounting for " + family.id() + " in run " + runId
                    + " does not balance: read " + c.read() + " but inserted " + c.inserted() + " + updated "
                    + c.updated() + " + unchanged " + c.unchanged() + " + superseded " + c.superseded()
                    + " + quarantined " + c.quarantined() + " + duplicates " + c.duplicates() + " = " + c.accounted());
        }
    }

    /** Appends one metrics row (also for unbalanced books, so the failure can be inspected). */
    public static void record(SparkSession spark, String path, String runId, SourceFamily family, String mode,
                              int loads, BatchMetrics m) {
        RowCounts c = m.counts();
        Row row = RowFactory.create(runId, family.id(), mode, loads, c.read(), c.inserted(), c.updated(),
                c.unchanged(), c.superseded(), c.quarantined(), c.duplicates(), c.warnings(), c.balanced(),
                new java.util.HashMap<>(m.checkViolations()),
                new java.util.HashMap<>(m.completeness()),
                Timestamp.from(Instant.now()));
        spark.createDataFrame(List.of(row), METRICS_SCHEMA).write().format("delta").mode("append").save(path);
    }
}
