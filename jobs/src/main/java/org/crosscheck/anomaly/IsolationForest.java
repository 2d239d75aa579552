package org.crosscheck.anomaly;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Isolation forest (Liu, Ting and Zhou 2008) as a Spark ML estimator. Each of {@code numTrees} trees is grown on its
 * own random subsample of {@code maxSamples} rows, to a height limit of ceil(log2(maxSamples)); a row's outlier score
 * is 2^(-E[h(x)] / c(maxSamples)), near 1 for points that are isolated quickly, near or below 0.5 for ordinary ones.
 *
 * <p>Fitting makes two passes over the input (a count, then a seeded Bernoulli sample of about
 * numTrees &times; maxSamples rows that is collected to the driver; the full data never is) and a third when
 * {@code contamination > 0} (scoring the training data for the quantile). The trees are grown on the driver. Cache
 * the input when it is expensive to recompute. The sample is min(rows, about numTrees &times; maxSamples) rows, so keep
 * maxSamples a small count (the default 256) on large data: a fraction such as 1.0 collects the whole input.
 *
 * <p>Edges:
 * <ul>
 * <li>Empty input: {@link #fit} throws {@link IllegalArgumentException}.</li>
 * <li>{@code maxSamples} larger than the data: every tree uses all rows (maxSamples is lowered to the row count, and
 * the scores are normalised by c(row count)).</li>
 * <li>A feature constant within a node is never split on there; a node where all the tree's features are constant
 * becomes a leaf. A feature constant in the whole data set therefore never influences the score.</li>
 * <li>NaN feature values: ignored when a node's min and max are taken; a NaN always goes to the right child (like a
 * very large value), so rows with NaN get scores but not meaningful ones: impute first. A null vector scores null.</li>
 * <li>Vectors of a different length than at fit time fail at scoring with {@link IllegalArgumentException}.</li>
 * <li>Determinism: the same seed on the same input (same partitioning) gives the same trees and identical scores.</li>
 * </ul>
 */
public final class IsolationForest extends Estimator<IsolationForestModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntParam numTrees;
    private final DoubleParam maxSamples;
    private final DoubleParam maxFeatures;
    private final DoubleParam contamination;
    private final DoubleParam contaminationError;
    private final BooleanParam bootstrap;
    private final LongParam randomSeed;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> scoreCol;

    public IsolationForest() {
        this(Identifiable$.MODULE$.randomUID("IsolationForest"));
    }

    public IsolationForest(String uid) {
        this.uid = uid;
        numTrees = new IntParam(this, "numTrees", "number of trees (>= 1)", ParamValidators.gtEq(1));
        maxSamples = new DoubleParam(this, "maxSamples",
                "rows per tree: a count when > 1, a fraction of the data when <= 1", ParamValidators.gt(0));
        maxFeatures = new DoubleParam(this, "maxFeatures",
                "features per tree: a count when > 1, a fraction of the features when <= 1", ParamValidators.gt(0));
        contamination = new DoubleParam(this, "contamination",
                "expected share of outliers; > 0 sets the score threshold at that upper quantile of the training"
                        + " scores, 0 sets no threshold", ParamValidators.inRange(0, 0.5, true, false));
        contaminationError = new DoubleParam(this, "contaminationError",
                "relative rank error of the approximate quantile behind the threshold (0 = exact, slow)",
                ParamValidators.inRange(0, 1));
        bootstrap = new BooleanParam(this, "bootstrap", "draw each tree's rows with replacement");
        randomSeed = new LongParam(this, "randomSeed", "random seed");
        featuresCol = new Param<>(this, "featuresCol", "features column (Vector)");
        predictionCol = new Param<>(this, "predictionCol", "predicted label column (1.0 outlier, 0.0 not)");
        scoreCol = new Param<>(this, "scoreCol", "outlier score column");
        setDefault(numTrees, 100);
        setDefault(maxSamples, 256.0);
        setDefault(maxFeatures, 1.0);
        setDefault(contamination, 0.0);
        setDefault(contaminationError, 0.001);
        setDefault(bootstrap, false);
        setDefault(randomSeed, 1L);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "predicted_label");
        setDefault(scoreCol, "outlier_score");
    }

    @Override
    public String uid() {
        return uid;
    }

    // Param accessors: Spark discovers params through public no-argument methods returning Param.
    public IntParam numTrees() { return numTrees; }
    public DoubleParam maxSamples() { return maxSamples; }
    public DoubleParam maxFeatures() { return maxFeatures; }
    public DoubleParam contamination() { return contamination; }
    public DoubleParam contaminationError() { return contaminationError; }
    public BooleanParam bootstrap() { return bootstrap; }
    public LongParam randomSeed() { return randomSeed; }
    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> scoreCol() { return scoreCol; }

    public int getNumTrees() { return (Integer) getOrDefault(numTrees); }
    public double getMaxSamples() { return (Double) getOrDefault(maxSamples); }
    public double getMaxFeatures() { return (Double) getOrDefault(maxFeatures); }
    public double getContamination() { return (Double) getOrDefault(contamination); }
    public double getContaminationError() { return (Double) getOrDefault(contaminationError); }
    public boolean getBootstrap() { return (Boolean) getOrDefault(bootstrap); }
    public long getRandomSeed() { return (Long) getOrDefault(randomSeed); }
    public String getFeaturesCol() { return getOrDefault(featuresCol); }
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    public String getScoreCol() { return getOrDefault(scoreCol); }

    public IsolationForest setNumTrees(int v) { set(numTrees, v); return this; }
    public IsolationForest setMaxSamples(double v) { set(maxSamples, v); return this; }
    public IsolationForest setMaxFeatures(double v) { set(maxFeatures, v); return this; }
    public IsolationForest setContamination(double v) { set(contamination, v); return this; }
    public IsolationForest setContaminationError(double v) { set(contaminationError, v); return this; }
    public IsolationForest setBootstrap(boolean v) { set(bootstrap, v); return this; }
    public IsolationForest setRandomSeed(long v) { set(randomSeed, v); return this; }
    public IsolationForest setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public IsolationForest setPredictionCol(String v) { set(predictionCol, v); return this; }
    public IsolationForest setScoreCol(String v) { set(scoreCol, v); return this; }

    @Override
    public IsolationForestModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Dataset<Row> features = dataset.select(col(getFeaturesCol()));
        long n = features.count();
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit an isolation forest on an empty dataset");
        }
        int trees = getNumTrees();
        int perTree = (int) Math.max(1, Math.min(n,
                getMaxSamples() > 1.0 ? (long) getMaxSamples() : (long) Math.ceil(getMaxSamples() * n)));

        // One seeded Bernoulli sample for all trees, with a margin so that it rarely falls short of trees * perTree.
        double wanted = (double) trees * perTree;
        double fraction = Math.min(1.0, (wanted + 6.0 * Math.sqrt(wanted) + 10.0) / n);
        Dataset<Row> sampled = fraction < 1.0 ? features.sample(false, fraction, getRandomSeed()) : features;
        List<double[]> pool = new ArrayList<>();
        for (Row r : sampled.collectAsList()) {
            if (!r.isNullAt(0)) {
                pool.add(((Vector) r.get(0)).toArray());
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("cannot fit an isolation forest: every " + getFeaturesCol()
                    + " value in the sample is null");
        }
        int numFeatures = pool.get(0).length;
        for (double[] row : pool) {
            if (row.length != numFeatures) {
                throw new IllegalArgumentException("feature vectors differ in length: " + numFeatures + " and "
                        + row.length + " in column " + getFeaturesCol());
            }
        }
        perTree = Math.min(perTree, pool.size());
        int featuresPerTree = (int) Math.max(1, Math.min(numFeatures,
                getMaxFeatures() > 1.0 ? (long) getMaxFeatures() : (long) (getMaxFeatures() * numFeatures)));
        int heightLimit = (int) Math.ceil(Math.log(perTree) / Math.log(2));

        Random master = new Random(getRandomSeed());
        IsolationTree[] forest = new IsolationTree[trees];
        for (int t = 0; t < trees; t++) {
            Random random = new Random(master.nextLong());
            double[][] rows = draw(pool, perTree, getBootstrap(), random);
            int[] treeFeatures = Arrays.copyOf(shuffledRange(numFeatures, random), featuresPerTree);
            forest[t] = IsolationTree.grow(rows, treeFeatures, heightLimit, random);
        }

        IsolationForestModel model = new IsolationForestModel(uid, forest, perTree, numFeatures);
        copyValues(model, extractParamMap());
        model.setParent(this);
        if (getContamination() > 0) {
            double threshold = model.transform(dataset).stat()
                    .approxQuantile(getScoreCol(), new double[] {1.0 - getContamination()}, getContaminationError())[0];
            model.setThreshold(threshold);
        }
        return model;
    }

    /** perTree rows of the pool: a partial Fisher-Yates shuffle (without replacement) or uniform draws (with). */
    private static double[][] draw(List<double[]> pool, int perTree, boolean withReplacement, Random random) {
        double[][] rows = new double[perTree][];
        if (withReplacement) {
            for (int i = 0; i < perTree; i++) {
                rows[i] = pool.get(random.nextInt(pool.size()));
            }
            return rows;
        }
        int[] order = new int[pool.size()];
        Arrays.setAll(order, i -> i);
        for (int i = 0; i < perTree; i++) {
            int j = i + random.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            rows[i] = pool.get(order[i]);
        }
        return rows;
    }

    private static int[] shuffledRange(int n, Random random) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return IsolationForestModel.outputSchema(schema, getFeaturesCol(), getPredictionCol(), getScoreCol());
    }

    @Override
    public IsolationForest copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<IsolationForest> read() {
        return new DefaultParamsReader<>();
    }

    public static IsolationForest load(String path) {
        return read().load(path);
    }
}
