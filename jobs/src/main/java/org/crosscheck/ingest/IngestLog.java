package org.crosscheck.ingest;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.Tables;

/**
 * The {@code meta/ingest_log} Delta table: one row per loaded file. It is what makes ingestion idempotent (a file
 * whose content hash is here is not loaded again) and what validation reads to find new loads and the mapping
 * each was loaded with.
 */
public final class IngestLog {
    public static final StructType SCHEMA = new StructType()
            .add("load_id", DataTypes.StringType, false)
            .add("family", DataTypes.StringType, false)
            .add("mapping_id", DataTypes.StringType, false)
            .add("mapping_json", DataTypes.StringType, false)
            .add("source_file", DataTypes.StringType, false)
            .add("source_hash", DataTypes.StringType, false)
            .add("rows", DataTypes.LongType, false)
            .add("loaded_at", DataTypes.TimestampType, false)
            .add("previous_hash", DataTypes.StringType, true);

    /** One loaded file, as recorded. */
    public record Entry(String loadId, String family, String mappingId, String mappingJson, String sourceFile,
                        String sourceHash, long rows, Timestamp loadedAt, String previousHash) {
        Row toRow() {
            return RowFactory.create(loadId, family, mappingId, mappingJson, sourceFile, sourceHash, rows, loadedAt,
                    previousHash);
        }
    }

    private IngestLog() {
    }

    /** All entries (one per loaded file: small), oldest first; empty when nothing was ever loaded. */
    public static List<Entry> entries(SparkSession spark, Tables tables) {
        List<Entry> out = new ArrayList<>();
        if (!DeltaTables.exists(spark, tables.ingestLog())) {
            return out;
        }
        for (Row r : spark.read().format("delta").load(tables.ingestLog()).orderBy("loaded_at", "load_id").collectAsList()) {
            out.add(new Entry(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    r.getString(5), r.getLong(6), r.getTimestamp(7), r.getString(8)));
        }
        return out;
    }

    /** Appends the entries of one run in one commit; nothing is written for an empty list. */
    public static void append(SparkSession spark, Tables tables, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Dataset<Row> df = spark.createDataFrame(entries.stream().map(Entry::toRow).toList(), SCHEMA);
        df.write().format("delta").mode("append").save(tables.ingestLog());
    }
}
