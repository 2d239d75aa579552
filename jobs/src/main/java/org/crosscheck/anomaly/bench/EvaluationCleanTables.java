package org.crosscheck.anomaly.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.crosscheck.core.Money;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.ExtractFile;
import org.crosscheck.ingest.ExtractReader;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.crosscheck.screen.CleanedTables;

/**
 * FOR THE ANOMALY EVALUATION ONLY, not the validation stage: turns a generated sample-data folder ({@code landing/},
 * {@code mappings/}) into typed cleaned Delta tables under {@code <warehouse>/clean/<family>} with the least
 * interpretation that makes screening meaningful: each mapping's date patterns, code lists and decimal format;
 * the registry record with the latest {@code updated_at} per person (a cancelled death keeps no death date); one row
 * per payment id. Values that do not parse become null (no quarantine, no quality checks, no lineage beyond file
 * and record number). Existing tables at the target are overwritten.
 */
public final class EvaluationCleanTables {
    private EvaluationCleanTables() {
    }

    public static void build(SparkSession spark, java.nio.file.Path sampleData, Tables tables) throws Exception {
        String landing = sampleData.resolve("landing").toString();
        List<Mapping> mappings = MappingLoader.loadAll(List.of(sampleData.resolve("mappings").toString()));
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Map<SourceFamily, Dataset<Row>> raw = new EnumMap<>(SourceFamily.class);
        for (Mapping m : mappings) {
            Path pattern = new Path(landing, m.files());
            FileSystem fs = pattern.getFileSystem(conf);
            FileStatus[] found = fs.globStatus(pattern);
            if (found == null) {
                continue;
            }
            for (FileStatus st : found) {
                Charset cs = "parquet".equals(m.format()) ? null : Charset.forName(m.encoding());
                ExtractFile file = ExtractFile.fingerprint(conf, st.getPath().toString(), cs);
                Dataset<Row> typed = typed(m, ExtractReader.read(spark, m, file)
                        .withColumn("_source_file", lit(st.getPath().toString())));
                raw.merge(m.sourceFamily(), typed, Dataset::unionByName);
            }
        }
        for (Map.Entry<SourceFamily, Dataset<Row>> e : raw.entrySet()) {
            Dataset<Row> t = e.getValue();
            switch (e.getKey()) {
                case CIVIL_REGISTRY -> t = t.where(col("national_id").isNotNull())
                        .withColumn("_rank", row_number().over(Window.partitionBy("national_id")
                                .orderBy(col("updated_at").desc_nulls_last(), col("_source_file").desc())))
                        .where(col("_rank").equalTo(1)).drop("_rank")
                        .withColumn("death_date", when(col("record_status").equalTo("cancelled"), lit(null))
                                .otherwise(col("death_date")));
                case BENEFIT_PAYMENT -> t = t.where(col("payment_id").isNotNull().and(col("amount").isNotNull()))
                        .withColumn("_rank", row_number().over(Window.partitionBy("payment_id")
                                .orderBy(col("_source_file"), col("_record_number"))))
                        .where(col("_rank").equalTo(1)).drop("_rank");
                default -> {
                }
            }
            CleanedTables.conform(e.getKey(), t).write().format("delta").mode("overwrite")
                    .option("overwriteSchema", "true").save(tables.clean(e.getKey()));
        }
    }

    /** Raw strings to the canonical types, with the mapping's formats, codes and decimal format. */
    static Dataset<Row> typed(Mapping m, Dataset<Row> rawRows) {
        SourceFamily family = m.sourceFamily();
        List<Column> cols = new ArrayList<>();
        for (StructField f : family.canonicalSchema().fields()) {
            String name = f.name();
            if (name.equals("death_date_precision")) {
                continue;
            }
            Column v = trim(col(name));
            v = when(v.equalTo(""), lit(null)).otherwise(v);
            Map<String, String> codes = m.codes().get(name);
            if (codes != null && !codes.isEmpty()) {
                Column translated = null;
                for (Map.Entry<String, String> c : codes.entrySet()) {
                    translated = translated == null ? when(v.equalTo(c.getKey()), lit(c.getValue()))
                            : translated.when(v.equalTo(c.getKey()), lit(c.getValue()));
                }
                v = translated.otherwise(v);
            }
            cols.add(convert(v, f.dataType(), m, name).as(name));
        }
        if (family == SourceFamily.CIVIL_REGISTRY) {
            List<String> patterns = m.formats().getOrDefault("death_date", List.of("yyyyMMdd"));
            Column precision = lit(null).cast("string");
            for (int i = patterns.size() - 1; i >= 0; i--) {
                String p = patterns.get(i);
                String level = p.contains("d") ? "day" : p.contains("M") ? "month" : "year";
                precision = when(try_to_timestamp(trim(col("death_date")), lit(p)).isNotNull()
                        .and(trim(col("death_date")).rlike("^\\d{" + p.length() + "}$")), lit(level)).otherwise(precision);
            }
            cols.add(precision.as("death_date_precision"));
        }
        cols.add(col("_source_file"));
        cols.add(col(ExtractReader.RECORD_NUMBER).as("_record_number"));
        return rawRows.select(cols.toArray(new Column[0]));
    }

    private static Column convert(Column v, DataType type, Mapping m, String name) {
        if (type.equals(DataTypes.DateType) || type.equals(DataTypes.TimestampType)) {
            List<String> patterns = m.formats().getOrDefault(name, List.of("yyyy-MM-dd"));
            List<Column> parsed = new ArrayList<>();
            for (String p : patterns) {
                // an all-digit pattern must match the whole length: yyyy must not read the start of 20250301
                Column whole = p.matches("[yMdHms]+") ? v.rlike("^\\d{" + p.length() + "}$") : lit(true);
                parsed.add(when(whole, try_to_timestamp(v, lit(p))));
            }
            Column ts = coalesce(parsed.toArray(new Column[0]));
            return type.equals(DataTypes.DateType) ? to_date(ts) : ts;
        }
        if (type.equals(Money.TYPE) || type instanceof org.apache.spark.sql.types.DecimalType) {
            Column s = v;
            if (!m.decimal().grouping().isEmpty()) {
                s = regexp_replace(s, Pattern.quote(m.decimal().grouping()), "");
            }
            if (!".".equals(m.decimal().separator())) {
                s = regexp_replace(s, Pattern.quote(m.decimal().separator()), ".");
            }
            return s.try_cast(type);
        }
        return v.try_cast(type);
    }
}
