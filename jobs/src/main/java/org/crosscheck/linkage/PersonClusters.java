package org.crosscheck.linkage;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The {@code person_cluster} table: every resolved identity ({@code national_id}) with the {@code cluster_id} of the
 * person it belongs to and {@code cluster_size}. Clusters are the connected components of the linked pairs
 * ({@link ConnectedComponents}); an identity linked to nothing is a cluster of one.
 *
 * <p>Stable ids across runs: a cluster takes the previous run's id held by most of its members (ties: the smaller
 * id); when two clusters claim one old id (a split), the one with more old members keeps it. Any other cluster gets
 * a new id, {@code PC} and 16 hex digits of SHA-256 of its smallest member (with {@code |split} appended when that
 * id is already held). So a cluster keeps its id when next month's files add members or links, and an analyst's
 * join on {@code cluster_id} survives re-runs. Without a previous table every id is new.
 */
public final class PersonClusters {
    private PersonClusters() {
    }

    /**
     * @param records  the resolved records ({@code record_id})
     * @param links    linked pairs ({@code id_l, id_r})
     * @param previous the previous {@code person_cluster} table, or null
     */
    public static Dataset<Row> assign(SparkSession spark, Dataset<Row> records, Dataset<Row> links,
                                      Dataset<Row> previous) {
        Dataset<Row> comps = ConnectedComponents.of(links.select(col("id_l").as("src"), col("id_r").as("dst")), 100);
        Dataset<Row> members = records.select(col("record_id").as("national_id"))
                .join(comps.withColumnRenamed("node", "national_id"), new String[]{"national_id"}, "left")
                .withColumn("component", coalesce(col("component"), col("national_id")));
        Dataset<Row> assigned;
        if (previous == null) {
            assigned = members.withColumn("cluster_id", concat(lit("PC"), substring(sha2(col("component"), 256), 1, 16)));
        } else {
            Dataset<Row> votes = members.join(previous.select("national_id", "cluster_id"), "national_id")
                    .groupBy("component", "cluster_id").agg(count(lit(1)).as("votes"));
            Dataset<Row> best = votes.withColumn("k", row_number().over(Window.partitionBy("component")
                            .orderBy(col("votes").desc(), col("cluster_id"))))
                    .filter(col("k").equalTo(1)).drop("k")
                    .withColumn("k", row_number().over(Window.partitionBy("cluster_id")
                            .orderBy(col("votes").desc(), col("component"))))
                    .filter(col("k").equalTo(1)).select(col("component"), col("cluster_id").as("kept_id"));
            Dataset<Row> withKept = members.join(best, new String[]{"component"}, "left");
            Dataset<Row> keptIds = best.select(col("kept_id").as("taken"));
            Dataset<Row> candidate = withKept.withColumn("new_id",
                    concat(lit("PC"), substring(sha2(col("component"), 256), 1, 16)));
            assigned = candidate.join(keptIds, candidate.col("new_id").equalTo(keptIds.col("taken")), "left")
                    .withColumn("cluster_id", when(col("kept_id").isNotNull(), col("kept_id"))
                            .when(col("taken").isNotNull(), concat(lit("PC"),
                                    substring(sha2(concat(col("component"), lit("|split")), 256), 1, 16)))
                            .otherwise(col("new_id")))
                    .drop("kept_id", "new_id", "taken");
        }
        return assigned.withColumn("cluster_size", count(lit(1)).over(Window.partitionBy("cluster_id")))
                .select("national_id", "cluster_id", "cluster_size");
    }
}
