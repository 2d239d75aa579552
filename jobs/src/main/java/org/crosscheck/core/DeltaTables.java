package org.crosscheck.core;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;

/** Small questions about Delta tables by path. */
public final class DeltaTables {
    private DeltaTables() {
    }

    public static boolean exists(SparkSession spark, String path) {
        return DeltaTable.isDeltaTable(spark, path);
    }
}
