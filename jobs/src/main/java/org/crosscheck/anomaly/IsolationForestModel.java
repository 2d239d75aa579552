package org.crosscheck.anomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fitted isolation forest. {@link #transform} appends {@code scoreCol} (the outlier score in (0, 1], higher is more
 * anomalous) and {@code predictionCol} (1.0 when the score is at or above {@code threshold}, else 0.0; always 0.0
 * when no threshold is set, i.e. {@code threshold} is NaN). Scoring runs on the executors: the trees are broadcast
 * and evaluated in a UDF (each call to transform broadcasts them again: tens of KB per tree); nothing is collected.
 * Empty input gives empty output; a null vector gives a null score and prediction 0.0.
 *
 * <p>Saved layout ({@code write().overwrite().save(path)}, read with {@link #load(String)}), written through Spark so it
 * works on any Hadoop file system: {@code path/metadata} is one line of JSON in Spark's DefaultParamsWriter format
 * (class, uid, sparkVersion, paramMap, defaultParamMap) plus {@code numSamples} and {@code numFeatures};
 * {@code path/data} is Parquet with one row per tree node: {@code tree, node, feature (-1 at a leaf), split, left,
 * right, size}.
 */
public final class IsolationForestModel extends Model<IsolationForestModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final StructType NODE_SCHEMA = new StructType()
            .add("tree", DataTypes.IntegerType, false)
            .add("node", DataTypes.IntegerType, false)
            .add("feature", DataTypes.IntegerType, false)
            .add("split", DataTypes.DoubleType, false)
            .add("left", DataTypes.IntegerType, false)
            .add("right", DataTypes.IntegerType, false)
            .add("size", DataTypes.IntegerType, false);

    private final String uid;
    private final IsolationTree[] trees;
    private final int numSamples;
    private final int numFeatures;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> scoreCol;
    private final DoubleParam threshold;

    IsolationForestModel(String uid, IsolationTree[] trees, int numSamples, int numFeatures) {
        this.uid = uid;
        this.trees = trees;
        this.numSamples = numSamples;
        this.numFeatures = numFeatures;
        featuresCol = new Param<>(this, "featuresCol", "features column (Vector)");
        predictionCol = new Param<>(this, "predictionCol", "predicted label column (1.0 outlier, 0.0 not)");
        scoreCol = new Param<>(this, "scoreCol", "outlier score column");
        threshold = new DoubleParam(this, "threshold", "score at or above which a row is predicted an outlier;"
                + " NaN = no threshold");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "predicted_label");
        setDefault(scoreCol, "outlier_score");
        setDefault(threshold, Double.NaN);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> scoreCol() { return scoreCol; }
    public DoubleParam threshold() { return threshold; }

    public String getFeaturesCol() { return getOrDefault(featuresCol); }
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    public String getScoreCol() { return getOrDefault(scoreCol); }
    public double getThreshold() { return (Double) getOrDefault(threshold); }

    public IsolationForestModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public IsolationForestModel setPredictionCol(String v) { set(predictionCol, v); return this; }
    public IsolationForestModel setScoreCol(String v) { set(scoreCol, v); return this; }
    public IsolationForestModel setThreshold(double v) { set(threshold, v); return this; }

    /** Rows each tree was grown on; scores are normalised by c(numSamples). */
    public int getNumSamples() { return numSamples; }
    public int getNumFeatures() { return numFeatures; }
    public int getNumTrees() { return trees.length; }

    IsolationTree[] trees() {
        return trees;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Broadcast<IsolationTree[]> forest = JavaSparkContext
                .fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(trees);
        double norm = IsolationTree.averagePathLength(numSamples);
        int width = numFeatures;
        UserDefinedFunction score = udf((UDF1<Vector, Double>) v -> v == null ? null
                : score(forest.value(), norm, width, v), DataTypes.DoubleType);
        double t = getThreshold();
        Dataset<Row> scored = dataset.withColumn(getScoreCol(), score.apply(col(getFeaturesCol())));
        Column label = Double.isNaN(t) ? lit(0.0)
                : when(col(getScoreCol()).geq(t), lit(1.0)).otherwise(lit(0.0));
        return scored.withColumn(getPredictionCol(), label);
    }

    /** s(x) = 2^(-E[h(x)] / c(numSamples)); norm is c(numSamples). */
    static double score(IsolationTree[] forest, double norm, int width, Vector v) {
        if (v.size() != width) {
            throw new IllegalArgumentException("feature vector has " + v.size() + " values; the model was fitted on "
                    + width);
        }
        double[] x = v.toArray();
        double sum = 0;
        for (IsolationTree tree : forest) {
            sum += tree.pathLength(x);
        }
        // With one sample per tree c(1) = 0: every path has length 0 and every row scores 2^0 = 1.
        return norm == 0 ? 1.0 : Math.pow(2.0, -(sum / forest.length) / norm);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(schema, getFeaturesCol(), getPredictionCol(), getScoreCol());
    }

    static StructType outputSchema(StructType schema, String features, String prediction, String score) {
        List<String> names = List.of(schema.fieldNames());
        if (!names.contains(features)) {
            throw new IllegalArgumentException("input column " + features + " does not exist; columns: " + names);
        }
        if (!schema.apply(features).dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("input column " + features + " must be a Vector, not "
                    + schema.apply(features).dataType().simpleString());
        }
        for (String out : List.of(prediction, score)) {
            if (names.contains(out)) {
                throw new IllegalArgumentException("output column " + out + " already exists");
            }
        }
        return schema.add(new StructField(score, DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty()))
                .add(new StructField(prediction, DataTypes.DoubleType, false,
                        org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public IsolationForestModel copy(ParamMap extra) {
        IsolationForestModel copy = new IsolationForestModel(uid, trees, numSamples, numFeatures);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<IsolationForestModel> read() {
        return new Reader();
    }

    public static IsolationForestModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final IsolationForestModel model;

        Writer(IsolationForestModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            ObjectMapper json = new ObjectMapper();
            ObjectNode meta = json.createObjectNode();
            meta.put("class", IsolationForestModel.class.getName());
            meta.put("timestamp", System.currentTimeMillis());
            meta.put("sparkVersion", spark.version());
            meta.put("uid", model.uid());
            ObjectNode set = meta.putObject("paramMap");
            ObjectNode defaults = meta.putObject("defaultParamMap");
            try {
                for (Param<?> p : model.params()) {
                    @SuppressWarnings("unchecked")
                    Param<Object> param = (Param<Object>) p;
                    if (model.isSet(param)) {
                        set.set(param.name(), json.readTree(param.jsonEncode(model.getOrDefault(param))));
                    }
                    if (model.hasDefault(param)) {
                        defaults.set(param.name(), json.readTree(param.jsonEncode(model.getDefault(param).get())));
                    }
                }
                meta.put("numSamples", model.numSamples);
                meta.put("numFeatures", model.numFeatures);
                spark.createDataset(List.of(json.writeValueAsString(meta)), Encoders.STRING())
                        .coalesce(1).write().text(path + "/metadata");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot write isolation forest metadata to " + path, e);
            }
            List<Row> nodes = new ArrayList<>();
            for (int t = 0; t < model.trees.length; t++) {
                IsolationTree tree = model.trees[t];
                for (int i = 0; i < tree.nodeCount(); i++) {
                    nodes.add(RowFactory.create(t, i, tree.feature[i], tree.split[i], tree.left[i], tree.right[i],
                            tree.size[i]));
                }
            }
            spark.createDataFrame(nodes, NODE_SCHEMA).coalesce(1).write().parquet(path + "/data");
        }
    }

    private static final class Reader extends MLReader<IsolationForestModel> {
        @Override
        public IsolationForestModel load(String path) {
            SparkSession spark = sparkSession();
            JsonNode meta;
            try {
                meta = new ObjectMapper().readTree(spark.read().text(path + "/metadata").first().getString(0));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read isolation forest metadata under " + path, e);
            }
            if (!IsolationForestModel.class.getName().equals(meta.path("class").asText())) {
                throw new IllegalArgumentException(path + " holds a " + meta.path("class").asText()
                        + ", not an " + IsolationForestModel.class.getName());
            }
            List<Row> rows = spark.read().parquet(path + "/data").orderBy("tree", "node").collectAsList();
            int numTrees = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).getInt(0) + 1;
            IsolationTree[] trees = new IsolationTree[numTrees];
            int from = 0;
            for (int t = 0; t < numTrees; t++) {
                int to = from;
                while (to < rows.size() && rows.get(to).getInt(0) == t) {
                    to++;
                }
                int n = to - from;
                int[] feature = new int[n];
                double[] split = new double[n];
                int[] left = new int[n];
                int[] right = new int[n];
                int[] size = new int[n];
                for (int i = 0; i < n; i++) {
                    Row r = rows.get(from + i);
                    feature[i] = r.getInt(2);
                    split[i] = r.getDouble(3);
                    left[i] = r.getInt(4);
                    right[i] = r.getInt(5);
                    size[i] = r.getInt(6);
                }
                trees[t] = new IsolationTree(feature, split, left, right, size);
                from = to;
            }
            IsolationForestModel model = new IsolationForestModel(meta.path("uid").asText(), trees,
                    meta.path("numSamples").asInt(), meta.path("numFeatures").asInt());
            meta.path("paramMap").fields().forEachRemaining(e -> {
                Param<Object> param = model.getParam(e.getKey());
                model.set(param, param.jsonDecode(e.getValue().toString()));
            });
            return model;
        }
    }
}
