package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which bronze loads validation has processed ({@code meta/validation_log}, one row per load and run).
 * A load is pending when it is in {@code meta/ingest_log} but not here; a missing ingest log means nothing
 * is pending.
 */
public final class ValidationLog {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationLog.class);
    public static final StructType SCHEMA = new StructType()
            .add("load_id", DataTypes.StringType)
            .add("family", DataTypes.StringType)
            .add("run_id", DataTypes.StringType)
            .add("mode", DataTypes.StringType)
            .add("validated_at", DataTypes.TimestampType);

    private ValidationLog() {
    }

    /** One load from the ingest log: its id, mapping snapshot and declared row count. */
    public record Load(String loadId, String mappingJson, long rows) {
    }

    /**
     * Loads to validate per family, oldest first: all loads when {@code all}, else those not yet in the
     * validation log. Only ingest-log metadata reaches the driver.
     */
    public static Map<SourceFamily, List<Load>> pending(SparkSession spark, Tables tables, boolean all) {
        Map<SourceFamily, List<Load>> out = new EnumMap<>(SourceFamily.class);
        for (SourceFamily f : SourceFamily.values()) {
            out.put(f, new ArrayList<>());
        }
        if (!DeltaTable.isDeltaTable(spark, tables.ingestLog())) {
            return out;
        }
        Dataset<Row> loads = spark.read().format("delta").load(tables.ingestLog());
        if (!all && DeltaTable.isDeltaTable(spark, tables.validationLog())) {
            Dataset<Row> done = spark.read().format("delta").load(tables.validationLog()).select("load_id").distinct();
            loads = loads.join(done, loads.col("load_id").equalTo(done.col("load_id")), "left_anti");
        }
        for (Row r : loads.select("family", "load_id", "mapping_json", "rows", "loaded_at")
                .orderBy(col("loaded_at"), col("load_id")).collectAsList()) {
            SourceFamily f;
            try {
                f = SourceFamily.fromId(r.getString(0));
            } catch (RuntimeException e) {
                LOG.warn("ingest log: load {} has unknown family '{}'; skipped", r.getString(1), r.getString(0));
                continue;
            }
            out.get(f).add(new Load(r.getString(1), r.getString(2), r.isNullAt(3) ? -1 : ((Number) r.get(3)).longValue()));
        }
        return out;
    }

    public static void record(SparkSession spark, Tables tables, SourceFamily family, List<Load> loads, String runId,
                              String mode) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = loads.stream().map(l -> RowFactory.create(l.loadId(), family.id(), runId, mode, now)).toList();
        spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append").save(tables.validationLog());
    }
}
