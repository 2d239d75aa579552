package org.crosscheck.review;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.Tables;

/**
 * Append-only audit trail of every change to a case's review fields (Delta at {@link Tables#reviewLog()}): who, when,
 * which action, the old and new disposition, reason, note and assignee, why, the case's revision after the change,
 * and where it came from (file, sheet and row of an import; {@code web}; {@code run <id>}). Nothing updates or deletes
 * its rows. Its schema only ever grows: rows written by an earlier version keep their columns (their statuses are
 * the old ones: new, open, confirmed, dismissed, resolved) and have no action or revision.
 */
public final class ReviewLog {
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("exception_id", DataTypes.StringType, true),
            DataTypes.createStructField("reviewer", DataTypes.StringType, true),
            DataTypes.createStructField("changed_at", DataTypes.TimestampType, true),
            DataTypes.createStructField("old_status", DataTypes.StringType, true),
            DataTypes.createStructField("new_status", DataTypes.StringType, true),
            DataTypes.createStructField("old_note", DataTypes.StringType, true),
            DataTypes.createStructField("new_note", DataTypes.StringType, true),
            DataTypes.createStructField("source_file", DataTypes.StringType, true),
            DataTypes.createStructField("action", DataTypes.StringType, true),
            DataTypes.createStructField("old_reason", DataTypes.StringType, true),
            DataTypes.createStructField("new_reason", DataTypes.StringType, true),
            DataTypes.createStructField("old_assignee", DataTypes.StringType, true),
            DataTypes.createStructField("new_assignee", DataTypes.StringType, true),
            DataTypes.createStructField("reason", DataTypes.StringType, true),
            DataTypes.createStructField("revision", DataTypes.LongType, true)});

    private ReviewLog() {
    }

    /** One log row in {@link #SCHEMA} order. */
    public static Row entry(String exceptionId, String reviewer, Timestamp at, String action, String oldDisposition,
                            String newDisposition, String oldReason, String newReason, String oldNote, String newNote,
                            String oldAssignee, String newAssignee, String reason, long revision, String source) {
        return RowFactory.create(exceptionId, reviewer, at, oldDisposition, newDisposition, oldNote, newNote, source,
                action, oldReason, newReason, oldAssignee, newAssignee, reason, revision);
    }

    /** Appends rows of {@link #SCHEMA}; creates the table on first use, adds the new columns to a log an earlier version wrote. */
    public static void append(SparkSession spark, Tables tables, List<Row> entries) {
        if (entries.isEmpty()) {
            return;
        }
        spark.createDataFrame(entries, SCHEMA).write().format("delta").mode("append").option("mergeSchema", "true")
                .save(tables.reviewLog());
    }

    /** The whole log in {@link #SCHEMA} (columns an old log lacks are null), or an empty Dataset before the first change. */
    public static Dataset<Row> read(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.reviewLog())) {
            return spark.createDataFrame(Collections.emptyList(), SCHEMA);
        }
        Dataset<Row> log = spark.read().format("delta").load(tables.reviewLog());
        List<String> have = Arrays.asList(log.columns());
        Column[] cols = Arrays.stream(SCHEMA.fields())
                .map(f -> (have.contains(f.name()) ? col(f.name()) : functions.lit(null)).cast(f.dataType()).as(f.name()))
                .toArray(Column[]::new);
        return log.select(cols);
    }
}
