package org.crosscheck.screen;

import java.util.Collections;
import java.util.List;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.Tables;

/**
 * Append-only audit trail of reviewers' changes to the exception list, one row per changed exception per import
 * (Delta at {@link Tables#reviewLog()}). Nothing updates or deletes its rows.
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
            DataTypes.createStructField("source_file", DataTypes.StringType, true)});

    private ReviewLog() {
    }

    /** Appends rows of {@link #SCHEMA}; creates the table on first use. */
    static void append(SparkSession spark, Tables tables, List<Row> entries) {
        if (entries.isEmpty()) {
            return;
        }
        spark.createDataFrame(entries, SCHEMA).write().format("delta").mode("append").save(tables.reviewLog());
    }

    /** The whole log, or an empty Dataset before the first import. */
    public static Dataset<Row> read(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.reviewLog())) {
            return spark.createDataFrame(Collections.emptyList(), SCHEMA);
        }
        return spark.read().format("delta").load(tables.reviewLog());
    }
}
