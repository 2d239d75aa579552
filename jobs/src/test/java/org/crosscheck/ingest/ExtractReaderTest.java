package org.crosscheck.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.util.List;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Record numbers of a file read in many splits (the counting pass, then numbering per split) are exactly those of
 * the same file read in one split, for every sample-data layout: CSV in UTF-8 and GBK with planted malformed lines,
 * and JSON lines.
 */
class ExtractReaderTest extends SparkTestSupport {
    @Test
    void recordNumbersDoNotDependOnHowAFileIsSplit() {
        SparkSession spark = spark();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        String landing = repoRoot().resolve("sample-data/landing").toString();
        int files = 0;
        for (Mapping mapping : MappingLoader.loadAll(List.of(repoRoot().resolve("sample-data/mappings").toString()))) {
            Charset charset = "parquet".equals(mapping.format()) ? null : Charset.forName(mapping.encoding());
            for (String file : IngestJob.matchingFiles(conf, landing, mapping)) {
                ExtractFile extract = ExtractFile.fingerprint(conf, file, charset);
                List<Row> whole = numbered(spark, mapping, extract, "1g");
                List<Row> split = numbered(spark, mapping, extract, "16k");
                assertTrue(splits(spark, mapping, extract, "16k") > 1 || extract.bytes() < 16 * 1024,
                        file + " was not split");
                assertEquals(whole.size(), split.size(), file);
                assertEquals(whole, split, file);
                assertEquals(1L, whole.get(0).getLong(whole.get(0).fieldIndex(ExtractReader.RECORD_NUMBER)), file);
                assertEquals(whole.size(), whole.get(whole.size() - 1).getLong(
                        whole.get(0).fieldIndex(ExtractReader.RECORD_NUMBER)), file);
                files++;
            }
        }
        assertTrue(files >= 5, "sample files read: " + files);
    }

    private static List<Row> numbered(SparkSession spark, Mapping mapping, ExtractFile file, String splitSize) {
        return withSplitSize(spark, splitSize, () -> ExtractReader.read(spark, mapping, file)
                .orderBy(ExtractReader.RECORD_NUMBER).collectAsList());
    }

    private static int splits(SparkSession spark, Mapping mapping, ExtractFile file, String splitSize) {
        return withSplitSize(spark, splitSize,
                () -> ExtractReader.readUnnumbered(spark, mapping, file).javaRDD().getNumPartitions());
    }

    /** Runs {@code body} with files split every {@code splitSize} bytes, then restores the session's settings. */
    private static <T> T withSplitSize(SparkSession spark, String splitSize, Supplier<T> body) {
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", splitSize);
        spark.conf().set("spark.sql.files.openCostInBytes", "0");
        try {
            return body.get();
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
            spark.conf().unset("spark.sql.files.openCostInBytes");
        }
    }
}
