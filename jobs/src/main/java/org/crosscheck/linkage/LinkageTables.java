package org.crosscheck.linkage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.Tables;

import io.delta.tables.DeltaTable;

/** Writes the linkage's analyst table {@code linkage/person_cluster} (see {@link PersonClusters}). */
public final class LinkageTables {
    private LinkageTables() {
    }

    /**
     * Replaces {@code person_cluster} with this run's clusters, keeping the previous run's cluster ids where the
     * clusters persist. A missing table is created. Returns the identities written.
     */
    public static long writePersonClusters(SparkSession spark, Tables tables, LinkagePipeline.Result run) {
        String path = tables.personCluster();
        Dataset<Row> previous = DeltaTable.isDeltaTable(spark, path)
                ? spark.read().format("delta").load(path).localCheckpoint() : null;
        Dataset<Row> clusters = PersonClusters.assign(spark, run.records(), run.links(), previous).localCheckpoint();
        clusters.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
        return clusters.count();
    }
}
