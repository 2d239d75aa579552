package org.crosscheck.validate;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;

/**
 * Writes bronze rows and ingest-log entries exactly as design.md describes them, standing in for ingestion.
 * Row maps hold raw strings by canonical field; key {@code _malformed} sets the malformed line.
 */
final class BronzeFixture {
    static final StructType INGEST_LOG = new StructType()
            .add("load_id", DataTypes.StringType)
            .add("family", DataTypes.StringType)
            .add("mapping_id", DataTypes.StringType)
            .add("mapping_json", DataTypes.StringType)
            .add("source_file", DataTypes.StringType)
            .add("source_hash", DataTypes.StringType)
            .add("rows", DataTypes.LongType)
            .add("loaded_at", DataTypes.TimestampType)
            .add("previous_hash", DataTypes.StringType);

    private final SparkSession spark;
    final Path warehouse;
    final Tables tables;
    private int loads;
    private final Instant base = Instant.parse("2025-01-01T00:00:00Z");

    BronzeFixture(SparkSession spark, Path warehouse) {
        this.spark = spark;
        this.warehouse = warehouse;
        this.tables = new Tables(warehouse.toString());
    }

    static StructType bronzeSchema(SourceFamily family) {
        return StageSchemas.bronze(family);
    }

    static Mapping mapping(SourceFamily family, Map<String, List<String>> formats, Map<String, Map<String, String>> codes) {
        return new Mapping("test_" + family.id(), family.id(), "test", "*.csv", "csv", null, null, null, null,
                Map.of(), Map.of(), formats, codes, null);
    }

    /** Bronze rows in memory (no Delta), for tests of parsing and checks. */
    Dataset<Row> rows(SourceFamily family, String loadId, List<Map<String, String>> rows) {
        Timestamp at = Timestamp.from(base.plusSeconds(60L * loads));
        List<Row> out = new ArrayList<>();
        List<String> fields = Normalisation.rawFields(family);
        for (int i = 0; i < rows.size(); i++) {
            Object[] v = new Object[fields.size() + 7];
            for (int j = 0; j < fields.size(); j++) {
                v[j] = rows.get(i).get(fields.get(j));
            }
            int k = fields.size();
            v[k] = rows.get(i).get("_malformed");
            v[k + 1] = "/landing/" + family.id() + "/" + loadId + ".csv";
            v[k + 2] = "hash-" + loadId;
            v[k + 3] = (long) (i + 1);
            v[k + 4] = loadId;
            v[k + 5] = at;
            v[k + 6] = "test_" + family.id();
            out.add(RowFactory.create(v));
        }
        return spark.createDataFrame(out, bronzeSchema(family));
    }

    /** Appends one load to bronze and the ingest log; returns its load id. */
    String load(SourceFamily family, Mapping mapping, List<Map<String, String>> rows) {
        loads++;
        String loadId = family.id() + "-load-" + loads;
        rows(family, loadId, rows).write().format("delta").mode("append").save(tables.bronze(family));
        Row log = RowFactory.create(loadId, family.id(), mapping.id(), MappingLoader.toJson(mapping),
                "/landing/" + family.id() + "/" + loadId + ".csv", "hash-" + loadId, (long) rows.size(),
                Timestamp.from(base.plusSeconds(60L * loads)), null);
        spark.createDataFrame(List.of(log), INGEST_LOG).write().format("delta").mode("append").save(tables.ingestLog());
        return loadId;
    }

    CrossCheckConfig config(Path repoRoot) {
        return new CrossCheckConfig(null,
                new CrossCheckConfig.StorageSettings(warehouse.toString(), warehouse.resolve("exports").toString()),
                null, new CrossCheckConfig.PseudonymisationSettings("CROSSCHECK_TEST_KEY_THAT_IS_NOT_SET", null),
                new CrossCheckConfig.ScreeningSettings(repoRoot.resolve("rules/quality").toString(), null, null, null,
                        null));
    }
}
