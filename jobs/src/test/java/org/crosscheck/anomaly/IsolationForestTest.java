package org.crosscheck.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.Test;

class IsolationForestTest extends SparkTestSupport {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType)
            .add("features", SQLDataTypes.VectorType());

    /** n points of a 2-D standard normal cluster (ids 0..n-1) and, when withOutlier, one far point with id n. */
    private static Dataset<Row> cluster(int n, boolean withOutlier) {
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(i, Vectors.dense(random.nextGaussian(), random.nextGaussian())));
        }
        if (withOutlier) {
            rows.add(RowFactory.create(n, Vectors.dense(8.0, -8.0)));
        }
        return spark().createDataFrame(rows, SCHEMA);
    }

    private static double[] scoresById(Dataset<Row> scored) {
        // a local relation keeps its row order, so no sort is needed
        return scored.select("outlier_score").collectAsList().stream()
                .mapToDouble(r -> r.getDouble(0)).toArray();
    }

    @Test
    void averagePathLengthMatchesThePaper() {
        assertEquals(0.0, IsolationTree.averagePathLength(0));
        assertEquals(0.0, IsolationTree.averagePathLength(1));
        assertEquals(1.0, IsolationTree.averagePathLength(2));
        assertEquals(10.2448, IsolationTree.averagePathLength(256), 1e-4);
    }

    @Test
    void pathLengthCountsEdgesAndAddsCorrectionForRowsLeftInTheLeaf() {
        // root: x0 < 5 ? node 1 : node 2; node 1: x1 < 0 ? leaf 3 (1 row) : leaf 4 (4 rows); node 2: leaf (2 rows)
        IsolationTree tree = new IsolationTree(
                new int[] {0, 1, -1, -1, -1},
                new double[] {5.0, 0.0, 0, 0, 0},
                new int[] {1, 3, -1, -1, -1},
                new int[] {2, 4, -1, -1, -1},
                new int[] {7, 5, 2, 1, 4});
        assertEquals(2.0, tree.pathLength(new double[] {1, -1}), 1e-12);
        assertEquals(2.0 + IsolationTree.averagePathLength(4), tree.pathLength(new double[] {1, 1}), 1e-12);
        assertEquals(1.0 + 1.0, tree.pathLength(new double[] {9, 0}), 1e-12);
        // NaN compares false and goes right
        assertEquals(2.0, tree.pathLength(new double[] {Double.NaN, 0}), 1e-12);
    }

    @Test
    void sameSeedGivesIdenticalScoresAndAnotherSeedDoesNot() {
        Dataset<Row> data = cluster(300, true);
        IsolationForest forest = new IsolationForest().setNumTrees(20).setMaxSamples(64);
        double[] a = scoresById(forest.setRandomSeed(11).fit(data).transform(data));
        double[] b = scoresById(forest.setRandomSeed(11).fit(data).transform(data));
        double[] c = scoresById(forest.setRandomSeed(12).fit(data).transform(data));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void clearOutlierScoresAboveEveryInlier() {
        Dataset<Row> data = cluster(300, true);
        IsolationForestModel model = new IsolationForest().setNumTrees(50).setMaxSamples(128).fit(data);
        double[] s = scoresById(model.transform(data));
        double outlier = s[300];
        for (int i = 0; i < 300; i++) {
            assertTrue(s[i] < outlier, "inlier " + i + " scored " + s[i] + " >= outlier " + outlier);
        }
        assertTrue(outlier > 0.7, "outlier score " + outlier);
        assertEquals(128, model.getNumSamples());
        assertEquals(2, model.getNumFeatures());
    }

    @Test
    void contaminationFlagsRoughlyThatShareOfTheTrainingRows() {
        Dataset<Row> data = cluster(1000, false);
        IsolationForestModel model = new IsolationForest().setNumTrees(30).setContamination(0.05).fit(data);
        assertFalse(Double.isNaN(model.getThreshold()));
        long flagged = model.transform(data).where("predicted_label = 1.0").count();
        assertTrue(flagged >= 40 && flagged <= 60, "flagged " + flagged + " of 1000 at contamination 0.05");
    }

    @Test
    void withoutContaminationNothingIsPredictedAnOutlier() {
        Dataset<Row> data = cluster(100, true);
        Dataset<Row> out = new IsolationForest().setNumTrees(5).fit(data).transform(data);
        assertEquals(0, out.where("predicted_label <> 0.0").count());
    }

    @Test
    void savedModelLoadsAndScoresIdentically() {
        Dataset<Row> data = cluster(200, true);
        IsolationForestModel model = new IsolationForest().setNumTrees(10).setMaxSamples(64)
                .setContamination(0.02).setScoreCol("s").fit(data);
        String path = tempDir("iforest").resolve("model").toString();
        try {
            model.write().overwrite().save(path);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        IsolationForestModel back = IsolationForestModel.load(path);
        assertEquals(model.uid(), back.uid());
        assertEquals("s", back.getScoreCol());
        assertEquals(model.getThreshold(), back.getThreshold());
        assertEquals(model.getNumSamples(), back.getNumSamples());
        assertEquals(10, back.getNumTrees());
        List<Row> a = model.transform(data).select("s", "predicted_label").collectAsList();
        List<Row> b = back.transform(data).select("s", "predicted_label").collectAsList();
        assertEquals(a, b);
        assertEquals(1.0, a.get(200).getDouble(1), "the planted outlier is flagged before and after");

        String estimatorPath = tempDir("iforest").resolve("estimator").toString();
        IsolationForest estimator = new IsolationForest().setNumTrees(7).setRandomSeed(5);
        try {
            estimator.write().save(estimatorPath);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        IsolationForest loaded = IsolationForest.load(estimatorPath);
        assertEquals(7, loaded.getNumTrees());
        assertEquals(5L, loaded.getRandomSeed());
    }

    @Test
    void maxSamplesLargerThanTheDataUsesEveryRow() {
        Dataset<Row> data = cluster(50, false);
        IsolationForestModel model = new IsolationForest().setNumTrees(3).setMaxSamples(256).fit(data);
        assertEquals(50, model.getNumSamples());
    }

    @Test
    void constantFeatureIsNeverSplitOn() {
        List<Row> rows = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            rows.add(RowFactory.create(i, Vectors.dense(4.0, random.nextDouble())));
        }
        IsolationForestModel model = new IsolationForest().setNumTrees(10).setMaxSamples(64)
                .fit(spark().createDataFrame(rows, SCHEMA));
        for (IsolationTree tree : model.trees()) {
            for (int f : tree.feature) {
                assertTrue(f != 0, "split on the constant feature");
            }
        }
    }

    @Test
    void emptyDatasetIsRejectedWithAMessage() {
        Dataset<Row> empty = spark().createDataFrame(List.of(), SCHEMA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsolationForest().fit(empty));
        assertTrue(e.getMessage().contains("empty"));
        assertEquals(0, new IsolationForest().setNumTrees(2).fit(cluster(10, false)).transform(empty).count());
    }

    @Test
    void mammographyAurocIsAbove0point8WithTwentyTrees() {
        Path shared = sharedDir();
        org.junit.jupiter.api.Assumptions.assumeTrue(shared != null, "../shared absent: ODDS data not available");
        Path csv = shared.resolve("benchmarks/odds/mammography.csv");
        org.junit.jupiter.api.Assumptions.assumeTrue(csv.toFile().isFile(), "mammography.csv absent");
        Dataset<Row> data = org.crosscheck.anomaly.bench.OddsBenchmark.readOdds(spark(), csv.toString());
        Dataset<Row> scored = new IsolationForest().setNumTrees(20).setRandomSeed(1).fit(data).transform(data);
        double auroc = org.crosscheck.anomaly.bench.Auroc.of(scored, "outlier_score", "label");
        assertTrue(auroc > 0.8, "AUROC " + auroc);
    }
}
