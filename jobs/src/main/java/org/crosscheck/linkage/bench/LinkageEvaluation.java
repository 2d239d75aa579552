package org.crosscheck.linkage.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.linkage.ConnectedComponents;
import org.crosscheck.linkage.LinkagePipeline;
import org.crosscheck.linkage.LinkageSettings;

/**
 * Pairwise precision, recall and F1 of the linkage against the ground truth of public benchmarks: FEBRL 4a↔4b
 * (link), FEBRL dataset3 and dataset2 (de-duplication), splink_datasets fake_1000 (de-duplication). Figures for the
 * linked pairs themselves and for all pairs inside the resulting clusters. Parameters are trained on each data set
 * without labels; labels are only read to score. Prints SKIP and exits 0 when the benchmark folder is absent.
 *
 * <p>Usage: {@code LinkageEvaluation <benchmarks dir> <settings dir (bench/linkage)>}
 */
public final class LinkageEvaluation {
    private LinkageEvaluation() {
    }

    public static void main(String[] args) {
        Path bench = Path.of(args.length > 0 ? args[0] : "../shared/benchmarks");
        Path settingsDir = Path.of(args.length > 1 ? args[1] : "bench/linkage");
        if (!Files.isDirectory(bench.resolve("febrl"))) {
            System.out.println("SKIP: no benchmark data under " + bench.toAbsolutePath());
            return;
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("linkage-eval")
                .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        spark.sparkContext().setCheckpointDir(System.getProperty("java.io.tmpdir") + "/linkage-eval-checkpoints");
        LinkageSettings febrl = LinkageSettings.load(settingsDir.resolve("febrl.settings.yaml"));
        System.out.println("data set                | records | candidate pairs | linked | true pairs | precision | recall | F1     | cluster-pair F1 | seconds");
        Dataset<Row> a = febrl(spark, bench.resolve("febrl/dataset4a.csv"), "a");
        Dataset<Row> b = febrl(spark, bench.resolve("febrl/dataset4b.csv"), "b");
        evaluate(spark, "FEBRL 4a<->4b (link)", a.unionByName(b), withMode(febrl, "link"));
        evaluate(spark, "FEBRL dataset3 (dedupe)", febrl(spark, bench.resolve("febrl/dataset3.csv"), "x"), febrl);
        evaluate(spark, "FEBRL dataset2 (dedupe)", febrl(spark, bench.resolve("febrl/dataset2.csv"), "x"), febrl);
        Dataset<Row> fake = spark.read().option("header", true).csv(bench.resolve("splink/fake_1000.csv").toString())
                .select(col("unique_id").as("record_id"), col("cluster").as("entity"), col("first_name"),
                        col("surname"), col("dob"), col("city"), col("email"));
        evaluate(spark, "splink fake_1000 (dedupe)", fake, LinkageSettings.load(settingsDir.resolve("splink-fake-people.settings.yaml")));
        spark.stop();
    }

    static LinkageSettings withMode(LinkageSettings s, String mode) {
        return new LinkageSettings(s.id(), mode, s.maxBlockSize(), s.blocking(), s.comparisons(), s.exclusions(),
                s.threshold(), s.randomPairs(), s.emIterations(), s.mPriorPairs(), s.seed(), s.source());
    }

    /** FEBRL CSV: values have a blank after each comma; rec-N-org / rec-N-dup-k, the same N is the same person. */
    static Dataset<Row> febrl(SparkSession spark, Path file, String dataset) {
        Dataset<Row> raw = spark.read().option("header", true).option("ignoreLeadingWhiteSpace", true)
                .option("ignoreTrailingWhiteSpace", true).csv(file.toString());
        for (String c : raw.columns()) {
            raw = raw.withColumnRenamed(c, c.trim());
        }
        Column[] cols = new Column[]{col("rec_id").as("record_id"), lit(dataset).as("dataset"),
                regexp_extract(col("rec_id"), "rec-(\\d+)-", 1).as("entity"), trim(col("given_name")).as("given_name"),
                trim(col("surname")).as("surname"), col("street_number"), col("address_1"), col("address_2"),
                col("suburb"), col("postcode"), col("state"), col("date_of_birth"), col("soc_sec_id")};
        return raw.select(cols);
    }

    static void evaluate(SparkSession spark, String label, Dataset<Row> records, LinkageSettings settings) {
        long start = System.nanoTime();
        LinkagePipeline.Result result = new LinkagePipeline(spark, settings).run(records, null, true);
        Dataset<Row> links = result.links().select("id_l", "id_r").cache();
        long linked = links.count();
        Dataset<Row> entity = records.select(col("record_id"), col("entity"));
        boolean link = settings.linkOnly();
        Dataset<Row> l = records.select(col("record_id").as("id_l"), col("entity"), link ? col("dataset").as("ds_l") : lit("x").as("ds_l"));
        Dataset<Row> r = records.select(col("record_id").as("id_r"), col("entity").as("entity_r"), link ? col("dataset").as("ds_r") : lit("x").as("ds_r"));
        Column pairOrder = link ? col("ds_l").lt(col("ds_r")) : col("id_l").lt(col("id_r"));
        Dataset<Row> truth = l.join(r, col("entity").equalTo(col("entity_r")).and(pairOrder)).select("id_l", "id_r").cache();
        long truePairs = truth.count();
        long tp = links.join(truth, new String[]{"id_l", "id_r"}).count();
        double seconds = (System.nanoTime() - start) / 1e9;
        // pairs inside clusters (the transitive closure of the links)
        Dataset<Row> comps = ConnectedComponents.of(links.select(col("id_l").as("src"), col("id_r").as("dst")), 50);
        Dataset<Row> withDs = comps.join(records.select(col("record_id").as("node"),
                link ? col("dataset") : lit("x").as("dataset")), "node");
        Dataset<Row> cl = withDs.select(col("node").as("id_l"), col("component"), col("dataset").as("ds_l"));
        Dataset<Row> cr = withDs.select(col("node").as("id_r"), col("component").as("component_r"), col("dataset").as("ds_r"));
        Dataset<Row> clusterPairs = cl.join(cr, col("component").equalTo(col("component_r")).and(pairOrder))
                .select("id_l", "id_r");
        long cp = clusterPairs.count();
        long ctp = clusterPairs.join(truth, new String[]{"id_l", "id_r"}).count();
        double p = linked == 0 ? 0 : (double) tp / linked;
        double rec = truePairs == 0 ? 0 : (double) tp / truePairs;
        double f1 = p + rec == 0 ? 0 : 2 * p * rec / (p + rec);
        double cpP = cp == 0 ? 0 : (double) ctp / cp;
        double cpR = truePairs == 0 ? 0 : (double) ctp / truePairs;
        double cf1 = cpP + cpR == 0 ? 0 : 2 * cpP * cpR / (cpP + cpR);
        System.out.println(String.format(Locale.ROOT, "%-23s | %7d | %15d | %6d | %10d | %9.4f | %6.4f | %6.4f | %15.4f | %.1f",
                label, result.records().count(), result.candidatePairs(), linked, truePairs, p, rec, f1, cf1, seconds));
        System.out.println("    pairs per blocking rule " + result.pairsPerRule() + "; blocks skipped as too large "
                + result.skippedBlocksPerRule() + "; prior match probability "
                + String.format(Locale.ROOT, "%.5f", result.model().lambda()));
        links.unpersist();
        truth.unpersist();
        result.release();
        entity.unpersist();
    }
}
