package org.crosscheck.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components of an undirected graph on Spark by minimum-label propagation: every node starts with the
 * smallest of its own and its neighbours' ids, then takes its neighbours' labels until none changes. Rounds grow
 * with the longest chain of links (a handful for duplicate identities); each round is checkpointed locally so the
 * plan stays short, and only a count of changed labels reaches the driver.
 */
public final class ConnectedComponents {
    private ConnectedComponents() {
    }

    /**
     * @param edges rows of {@code (src, dst)} string ids
     * @return {@code (node, component)} for every node with an edge; component is the smallest node id in it
     */
    public static Dataset<Row> of(Dataset<Row> edges, int maxRounds) {
        Dataset<Row> both = edges.select(col("src"), col("dst"))
                .unionAll(edges.select(col("dst").as("src"), col("src").as("dst"))).distinct().localCheckpoint();
        Dataset<Row> labels = both.groupBy("src").agg(least(col("src"), min("dst")).as("component"))
                .withColumnRenamed("src", "node").localCheckpoint();
        for (int round = 0; round < maxRounds; round++) {
            Dataset<Row> offered = both.join(labels, both.col("dst").equalTo(labels.col("node")))
                    .select(both.col("src").as("node"), labels.col("component"));
            Dataset<Row> next = offered.unionAll(labels).groupBy("node").agg(min("component").as("component"))
                    .localCheckpoint();
            long changed = next.as("n").join(labels.as("o"), col("n.node").equalTo(col("o.node")))
                    .filter(col("n.component").notEqual(col("o.component"))).count();
            labels = next;
            if (changed == 0) {
                return labels;
            }
        }
        return labels;
    }
}
