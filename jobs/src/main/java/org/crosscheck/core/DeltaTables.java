package org.crosscheck.core;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small questions about Delta tables by path. */
public final class DeltaTables {
    private DeltaTables() {
    }

    public static boolean exists(SparkSession spark, String path) {
        return DeltaTable.isDeltaTable(spark, path);
    }

    /** A number from the operation metrics of the table's latest commit (e.g. numOutputRows), or 0. */
    public static long lastCommitMetric(SparkSession spark, String path, String metric) {
        Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first();
        scala.collection.Map<String, String> metrics = last.getMap(0);
        if (metrics == null) {
            return 0;
        }
        scala.Option<String> v = metrics.get(metric);
        return v.isDefined() ? Long.parseLong(v.get()) : 0;
    }

    /** Latest version of the table, or -1 when it does not exist. */
    public static long version(SparkSession spark, String path) {
        if (!exists(spark, path)) {
            return -1;
        }
        return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
    }
}
