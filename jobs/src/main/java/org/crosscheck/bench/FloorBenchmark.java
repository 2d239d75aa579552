package org.crosscheck.bench;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.ingest.ExtractFile;
import org.crosscheck.ingest.ExtractReader;
import org.crosscheck.ingest.IngestJob;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;

/**
 * The floor the pipeline is measured against: read every landing file with its mapping (the same CSV and JSON
 * reader options ingestion uses, columns renamed) and append it to one Delta table per family, with no record
 * numbering, no checks, no hashing, no lineage, no logs. Same Spark settings as the pipeline.
 *
 * <pre>java ... org.crosscheck.bench.FloorBenchmark CONFIG OUT_DIR</pre>
 * Prints {@code floor: <rows> rows in <s> s (<rows/s> rows/s)}; the time excludes starting Spark.
 */
public final class FloorBenchmark {
    private FloorBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: FloorBenchmark <config.yaml> <output folder for the Delta tables>");
            System.exit(2);
        }
        CrossCheckConfig config = ConfigLoader.load(Path.of(args[0]));
        String out = args[1];
        SparkSession spark = SparkSessions.create(config.spark());
        try {
            long start = System.nanoTime();
            Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
            Map<String, List<Dataset<Row>>> byFamily = new TreeMap<>();
            for (Mapping mapping : MappingLoader.loadAll(config.ingest().mappings())) {
                Charset charset = "parquet".equals(mapping.format()) ? null : Charset.forName(mapping.encoding());
                for (String file : IngestJob.matchingFiles(hadoopConf, config.ingest().landing(), mapping)) {
                    ExtractFile extract = ExtractFile.headerOnly(hadoopConf, file, charset);
                    byFamily.computeIfAbsent(mapping.family(), k -> new ArrayList<>())
                            .add(ExtractReader.readUnnumbered(spark, mapping, extract));
                }
            }
            long rows = 0;
            for (var e : byFamily.entrySet()) {
                long t = System.nanoTime();
                Dataset<Row> all = e.getValue().stream().reduce(Dataset::unionByName).orElseThrow();
                String path = Path.of(out, e.getKey()).toString();
                all.write().format("delta").mode("append").save(path);
                long n = io.delta.tables.DeltaTable.forPath(spark, path).history(1).select("operationMetrics")
                        .first().<String, String>getJavaMap(0).entrySet().stream()
                        .filter(m -> m.getKey().equals("numOutputRows")).mapToLong(m -> Long.parseLong(m.getValue()))
                        .sum();
                rows += n;
                System.out.printf(Locale.ROOT, "floor %s: %,d rows in %.1f s%n", e.getKey(), n, (System.nanoTime() - t) / 1e9);
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "floor: %d rows in %.1f s (%.0f rows/s)%n", rows, s, rows / s);
        } finally {
            spark.stop();
        }
    }
}
