package org.crosscheck.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;

/**
 * The cleaned table of a family ({@code clean/<family>}): classification of a checked batch into
 * {@link Outcome}s, and the {@code MERGE} on the business key that applies the winners.
 *
 * <p>Latest wins: within a batch, rows of one key are ordered by {@code updated_at} (civil registry only; a
 * missing one counts as oldest), then load time, load id and record number; the last one wins. Against the
 * table, a winner replaces the stored row only when its content differs ({@code _row_hash}) and, for the civil
 * registry, when its {@code updated_at} is not older than the stored one. So re-running on the same bronze data
 * updates nothing, and when nothing is inserted or updated the MERGE is skipped entirely (no new Delta version).
 */
public final class CleanTable {
    static final String OUTCOME = "_outcome";
    private static final String T = "__t_";

    private CleanTable() {
    }

    /** Cleaned-table schema: canonical fields, the normalised name, warnings, lineage, row hash, run. */
    public static StructType schema(SourceFamily family) {
        return StageSchemas.clean(family);
    }

    /** Creates the empty cleaned table when it does not exist (so readers and MERGE always find it). */
    public static void ensureExists(SparkSession spark, String path, SourceFamily family) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            spark.createDataFrame(List.<Row>of(), schema(family)).write().format("delta").mode("append").save(path);
        }
    }

    private static List<Column> latestFirst(SourceFamily family) {
        List<Column> order = new ArrayList<>();
        if (family == SourceFamily.CIVIL_REGISTRY) {
            order.add(col("updated_at").desc_nulls_last());
        }
        order.add(col("_loaded_at").desc_nulls_last());
        order.add(col("_load_id").desc_nulls_last());
        order.add(col("_record_number").desc_nulls_last());
        return order;
    }

    private static Column[] keys(SourceFamily family) {
        return family.businessKey().stream().map(k -> col(k)).toArray(Column[]::new);
    }

    /** Rows that pass and are the latest of their key in the batch (the MERGE source), with the winner flag. */
    static Dataset<Row> rankInBatch(Dataset<Row> checked, SourceFamily family) {
        Column passing = size(col("_reasons")).equalTo(0);
        Column[] order = latestFirst(family).toArray(Column[]::new);
        List<Column> dupPartition = new ArrayList<>(List.of(keys(family)));
        dupPartition.add(passing);
        dupPartition.add(col("_row_hash"));
        WindowSpec sameContent = Window.partitionBy(dupPartition.toArray(Column[]::new)).orderBy(order);
        Dataset<Row> ranked = checked.withColumn("__passing", passing)
                .withColumn("__dup", passing.and(row_number().over(sameContent).gt(1)));
        List<Column> keyPartition = new ArrayList<>(List.of(keys(family)));
        keyPartition.add(col("__passing"));
        keyPartition.add(col("__dup"));
        WindowSpec sameKey = Window.partitionBy(keyPartition.toArray(Column[]::new)).orderBy(order);
        return ranked.withColumn("__superseded", col("__passing").and(not(col("__dup")))
                        .and(row_number().over(sameKey).gt(1)))
                .withColumn("__winner", col("__passing").and(not(col("__dup"))).and(not(col("__superseded"))));
    }

    /** MERGE condition for "the source row replaces the stored row" (aliases s and t). */
    private static String replaceCondition(SourceFamily family, String s, String t) {
        String c = s + "._row_hash <> " + t + "._row_hash";
        if (family == SourceFamily.CIVIL_REGISTRY) {
            c += " AND coalesce(" + s + ".updated_at, TIMESTAMP'0001-01-01 00:00:00') >= coalesce(" + t
                    + ".updated_at, TIMESTAMP'0001-01-01 00:00:00')";
        }
        return c;
    }

    /**
     * Adds {@code _outcome} to every row of the checked batch by comparing the batch winners with the current
     * cleaned table (same conditions as {@link #merge}, so the counts predict the MERGE exactly).
     */
    public static Dataset<Row> classify(Dataset<Row> checked, SourceFamily family, Dataset<Row> current) {
        Dataset<Row> ranked = rankInBatch(checked, family);
        List<String> targetCols = new ArrayList<>(family.businessKey());
        targetCols.add("_row_hash");
        if (family == SourceFamily.CIVIL_REGISTRY) {
            targetCols.add("updated_at");
        }
        Dataset<Row> target = current.select(targetCols.stream().map(c -> col(c).as(T + c)).toArray(Column[]::new))
                .withColumn(T + "matched", lit(true));
        Column on = lit(true);
        for (String k : family.businessKey()) {
            on = on.and(col(k).eqNullSafe(col(T + k)));
        }
        Dataset<Row> joined = ranked.join(target, on.and(col("__winner")), "left");
        Column matched = coalesce(col(T + "matched"), lit(false));
        Column replaces = col("_row_hash").notEqual(col(T + "_row_hash"));
        Column older = lit(false);
        if (family == SourceFamily.CIVIL_REGISTRY) {
            Column min = lit("0001-01-01 00:00:00").cast("timestamp");
            older = coalesce(col("updated_at"), min).lt(coalesce(col(T + "updated_at"), min));
        }
        Column outcome = when(not(col("__passing")), lit(Outcome.QUARANTINED.id()))
                .when(col("__dup"), lit(Outcome.DUPLICATE.id()))
                .when(col("__superseded"), lit(Outcome.SUPERSEDED.id()))
                .when(not(matched), lit(Outcome.INSERTED.id()))
                .when(not(replaces), lit(Outcome.UNCHANGED.id()))
                .when(older, lit(Outcome.SUPERSEDED.id()))
                .otherwise(lit(Outcome.UPDATED.id()));
        List<String> drop = new ArrayList<>(List.of("__passing", "__dup", "__superseded", "__winner", T + "matched"));
        targetCols.forEach(c -> drop.add(T + c));
        return joined.withColumn(OUTCOME, outcome).drop(drop.toArray(String[]::new));
    }

    /**
     * The rows of a classified batch that change the cleaned table ({@link Outcome#INSERTED} and
     * {@link Outcome#UPDATED}: the batch winners that differ from the table), in the cleaned-table layout, stamped
     * with the run. Winners classified unchanged or superseded are left out: the MERGE would not touch their rows.
     */
    static Dataset<Row> changes(Dataset<Row> classified, SourceFamily family, String runId) {
        Dataset<Row> w = classified.filter(col(OUTCOME).isin(Outcome.INSERTED.id(), Outcome.UPDATED.id()))
                .withColumn("_updated_run", lit(runId));
        return w.select(java.util.Arrays.stream(schema(family).fieldNames()).map(c -> col(c)).toArray(Column[]::new));
    }

    /**
     * Applies the changes of a classified batch to the cleaned table and returns Delta's counts ({@code inserted},
     * {@code updated}). Call only when the classification predicts at least one insert or update. When the table is
     * empty (a first load), every change is an insert and the rows are appended without the MERGE's join.
     */
    public static Map<String, Long> apply(SparkSession spark, String path, Dataset<Row> classified,
                                          SourceFamily family, String runId, boolean tableEmpty) {
        ensureExists(spark, path, family);
        Dataset<Row> changes = changes(classified, family, runId);
        if (tableEmpty) {
            changes.write().format("delta").mode("append").save(path);
            Row last = DeltaTable.forPath(spark, path).history(1).select("operation", "operationMetrics").first();
            Map<String, String> metrics = last.getJavaMap(1);
            long written = metrics == null || metrics.get("numOutputRows") == null ? -1
                    : Long.parseLong(metrics.get("numOutputRows"));
            return Map.of("inserted", written, "updated", 0L);
        }
        String on = String.join(" AND ", family.businessKey().stream().map(k -> "t." + k + " <=> s." + k).toList());
        // The MERGE returns its own metrics (Delta's numTargetRowsInserted/Updated): no history() read afterwards,
        // and no doubt about whose commit they describe.
        Row result = DeltaTable.forPath(spark, path).as("t")
                .merge(changes.as("s"), on)
                .whenMatched(replaceCondition(family, "s", "t")).updateAll()
                .whenNotMatched().insertAll()
                .execute()
                .first();
        return Map.of("inserted", ((Number) result.getAs("num_inserted_rows")).longValue(),
                "updated", ((Number) result.getAs("num_updated_rows")).longValue());
    }
}
