package org.crosscheck.anomaly.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.anomaly.IsolationForest;
import org.crosscheck.anomaly.IsolationForestModel;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SparkSessions;

/**
 * Isolation forest against published figures on the ODDS shuttle and mammography data (linkedin/isolation-forest:
 * AUROC 0.9971 and 0.8649, 100 trees, 256 samples, mean of 10 seeds), then a scoring throughput run on synthetic rows.
 *
 * <p>Usage: {@code OddsBenchmark <shared-dir> [seeds=10] [throughputRows=2000000]}. When the shared folder or the
 * ODDS files are absent it says so and exits 0, so a clean checkout without the data does not fail.
 */
public final class OddsBenchmark {
    private static final Map<String, Double> PUBLISHED = new LinkedHashMap<>();

    static {
        PUBLISHED.put("shuttle", 0.9971);
        PUBLISHED.put("mammography", 0.8649);
    }

    private OddsBenchmark() {
    }

    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long throughputRows = args.length > 2 ? Long.parseLong(args[2]) : 2_000_000L;
        Path odds = shared.resolve("benchmarks/odds");
        if (!Files.isDirectory(odds)) {
            System.out.println("SKIP: " + odds.toAbsolutePath().normalize()
                    + " not found; the ODDS benchmark needs ../shared beside the checkout.");
            return;
        }
        SparkSession spark = SparkSessions.create(new CrossCheckConfig.SparkSettings(
                System.getProperty("spark.master", "local[*]"), "iforest-bench", 4, null,
                Map.of("spark.driver.host", "127.0.0.1")));
        try {
            System.out.printf("%-12s %7s %8s %11s %8s %7s %7s %9s %7s %7s %7s%n", "dataset", "rows", "outliers",
                    "mean AUROC", "std", "min", "max", "published", "diff", "fit s", "score s");
            for (Map.Entry<String, Double> e : PUBLISHED.entrySet()) {
                Path csv = odds.resolve(e.getKey() + ".csv");
                if (!Files.isRegularFile(csv)) {
                    System.out.println("SKIP: " + csv + " not found");
                    continue;
                }
                evaluate(spark, e.getKey(), csv.toString(), e.getValue(), seeds);
            }
            if (throughputRows > 0) {
                throughput(spark, throughputRows, 8);
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * Reads an ODDS CSV (# comments, no header, all numeric, last column the label, 1 = outlier) into {@code features}
     * and {@code label}. The column count comes from the first data line; a malformed line fails the read.
     */
    public static Dataset<Row> readOdds(SparkSession spark, String path) {
        int width;
        try (Stream<String> lines = Files.lines(Path.of(path))) {
            width = lines.filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(path + " has no data lines")).split(",").length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        StructType schema = new StructType();
        for (int i = 0; i < width; i++) {
            schema = schema.add("c" + i, DataTypes.DoubleType);
        }
        Dataset<Row> raw = spark.read().option("comment", "#").option("mode", "FAILFAST").schema(schema).csv(path);
        String[] columns = raw.columns();
        String label = columns[columns.length - 1];
        return new VectorAssembler()
                .setInputCols(Arrays.copyOf(columns, columns.length - 1))
                .setOutputCol("features")
                .transform(raw)
                .select(col("features"), col(label).cast("double").as("label"));
    }

    private static void evaluate(SparkSession spark, String name, String path, double published, int seeds) {
        Dataset<Row> data = readOdds(spark, path).cache();
        long rows = data.count();
        long outliers = data.where("label = 1.0").count();
        double[] auroc = new double[seeds];
        double fitSeconds = 0;
        double scoreSeconds = 0;
        for (int s = 0; s < seeds; s++) {
            long t0 = System.nanoTime();
            IsolationForestModel model = new IsolationForest().setNumTrees(100).setMaxSamples(256)
                    .setRandomSeed(s + 1).fit(data);
            long t1 = System.nanoTime();
            auroc[s] = Auroc.of(model.transform(data), "outlier_score", "label");
            long t2 = System.nanoTime();
            fitSeconds += (t1 - t0) / 1e9;
            scoreSeconds += (t2 - t1) / 1e9;
        }
        data.unpersist();
        double mean = Arrays.stream(auroc).average().orElse(Double.NaN);
        double var = Arrays.stream(auroc).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, seeds - 1);
        System.out.printf("%-12s %7d %8d %11.4f %8.4f %7.4f %7.4f %9.4f %+7.4f %7.2f %7.2f%n", name, rows, outliers,
                mean, Math.sqrt(var), Arrays.stream(auroc).min().orElse(Double.NaN),
                Arrays.stream(auroc).max().orElse(Double.NaN), published, mean - published,
                fitSeconds / seeds, scoreSeconds / seeds);
    }

    /** Scores {@code rows} synthetic rows (uniform features, one in a thousand shifted) and prints rows/second. */
    private static void throughput(SparkSession spark, long rows, int width) {
        Column[] features = new Column[width];
        String[] names = new String[width];
        for (int f = 0; f < width; f++) {
            names[f] = "f" + f;
            features[f] = when(col("id").mod(1000).equalTo(0), rand(f).plus(3)).otherwise(rand(f)).as(names[f]);
        }
        Dataset<Row> data = new VectorAssembler().setInputCols(names).setOutputCol("features")
                .transform(spark.range(rows).select(append(col("id"), features)))
                .select("id", "features").cache();
        data.count();
        long t0 = System.nanoTime();
        IsolationForestModel model = new IsolationForest().setNumTrees(100).setMaxSamples(256).fit(data);
        long t1 = System.nanoTime();
        model.transform(data).write().format("noop").mode("overwrite").save();
        long t2 = System.nanoTime();
        double scoreSeconds = (t2 - t1) / 1e9;
        double perSecond = rows / scoreSeconds;
        System.out.printf("%nthroughput: %,d rows x %d features, 100 trees x 256 samples, %d cores (%s)%n", rows, width,
                spark.sparkContext().defaultParallelism(), spark.sparkContext().master());
        System.out.printf("  fit %.2f s (count + sample pass), score %.2f s = %,.0f rows/s;"
                + " 12M rows would take about %.0f s%n", (t1 - t0) / 1e9, scoreSeconds, perSecond,
                12_000_000 / perSecond);
        data.unpersist();
    }

    private static Column[] append(Column first, Column[] rest) {
        Column[] all = new Column[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
