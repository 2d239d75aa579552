package org.crosscheck.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.spark_partition_id;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;

/**
 * Reads one extract file as its mapping describes and renames source columns to canonical fields. Every value
 * stays a string exactly as delivered: turning it into a date or an amount is validation's job, so ingestion never
 * fails on a bad value. It does fail, naming the file and column, when a mapped column is absent.
 */
public final class ExtractReader {
    /** Raw line of a CSV row whose field count is wrong (its other columns are then partial). */
    public static final String MALFORMED = StageSchemas.MALFORMED;
    /** 1-based record number in the file (header not counted). */
    public static final String RECORD_NUMBER = "_record_number";

    private ExtractReader() {
    }

    /**
     * Canonical fields that bronze keeps for a family: every one. The death-date precision is null unless a mapping
     * maps the registry's precision column (validation then infers it from the death date's format).
     */
    public static List<String> bronzeFields(SourceFamily family) {
        return StageSchemas.bronzeFields(family);
    }

    /**
     * Start of {@code _malformed} for the last record of a text file that ends without a line end: the file may
     * have been cut inside that record, so validation quarantines it with this reason instead of loading a value
     * that may be short (3612.33 arriving as 36).
     */
    public static final String CUT_SHORT = "[no line end at the end of the file: this last record may be cut short] ";

    public static Dataset<Row> read(SparkSession spark, Mapping mapping, ExtractFile file) {
        Dataset<Row> numbered = withRecordNumbers(spark, readUnnumbered(spark, mapping, file));
        return file.endsWithoutLineEnd() ? markLastRecordCut(numbered) : numbered;
    }

    private static Dataset<Row> markLastRecordCut(Dataset<Row> numbered) {
        Row last = numbered.agg(org.apache.spark.sql.functions.max(RECORD_NUMBER)).first();
        if (last.isNullAt(0)) {
            return numbered;
        }
        return numbered.withColumn(MALFORMED, org.apache.spark.sql.functions.when(col(RECORD_NUMBER).equalTo(last.getLong(0)),
                        org.apache.spark.sql.functions.concat(lit(CUT_SHORT),
                                org.apache.spark.sql.functions.coalesce(col(MALFORMED), lit(""))))
                .otherwise(col(MALFORMED)));
    }

    /**
     * As {@link #read} without {@code _record_number}: the file parsed and its columns renamed, nothing else. The
     * benchmark floor reads files this way.
     */
    public static Dataset<Row> readUnnumbered(SparkSession spark, Mapping mapping, ExtractFile file) {
        Dataset<Row> source = switch (mapping.format()) {
            case "csv" -> readCsv(spark, mapping, file);
            case "json" -> readWithInferredSchema(spark, mapping, file, jsonReader(spark, mapping), "json");
            case "parquet" -> readWithInferredSchema(spark, mapping, file, spark.read(), "parquet");
            default -> throw CrossCheckException.config("mapping " + mapping.id() + ": unknown format " + mapping.format());
        };
        return toCanonical(mapping, source);
    }

    private static Dataset<Row> readCsv(SparkSession spark, Mapping mapping, ExtractFile file) {
        List<String> header;
        if (mapping.header()) {
            if (file.headerLine() == null || file.headerLine().isBlank()) {
                throw CrossCheckException.badInput("file " + file.path() + " has no header row, but mapping "
                        + mapping.id() + " says it has one");
            }
            header = splitHeader(file.headerLine(), mapping.delimiter(), mapping.quote());
        } else {
            int width = file.headerLine() == null ? 0 : splitHeader(file.headerLine(), mapping.delimiter(), mapping.quote()).size();
            header = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                header.add("_c" + i);
            }
        }
        requireColumns(mapping, file, header);
        Set<String> unique = new LinkedHashSet<>(header);
        if (unique.size() != header.size()) {
            throw CrossCheckException.badInput("file " + file.path() + ": the header repeats a column name: "
                    + safeHeader(header));
        }
        StructType schema = new StructType();
        for (String h : header) {
            schema = schema.add(h, DataTypes.StringType, true);
        }
        schema = schema.add(MALFORMED, DataTypes.StringType, true);
        return spark.read()
                .format("csv")
                .schema(schema)
                .option("header", mapping.header())
                .option("enforceSchema", "true")
                .option("encoding", mapping.encoding())
                .option("sep", mapping.delimiter())
                .option("quote", mapping.quote())
                .option("escape", mapping.quote())
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", MALFORMED)
                .option("ignoreLeadingWhiteSpace", "false")
                .option("ignoreTrailingWhiteSpace", "false")
                .load(file.path());
    }

    private static DataFrameReader jsonReader(SparkSession spark, Mapping mapping) {
        DataFrameReader r = spark.read()
                .option("encoding", mapping.encoding())
                .option("primitivesAsString", "true")
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", MALFORMED);
        // Spark needs an explicit line separator for JSON lines in a non-UTF-8 encoding.
        return "UTF-8".equalsIgnoreCase(mapping.encoding()) ? r : r.option("lineSep", "\n");
    }

    private static Dataset<Row> readWithInferredSchema(SparkSession spark, Mapping mapping, ExtractFile file,
                                                       DataFrameReader reader, String format) {
        Dataset<Row> df = reader.format(format).load(file.path());
        List<String> columns = Arrays.asList(df.columns());
        requireColumns(mapping, file, columns);
        if (!columns.contains(MALFORMED)) {
            df = df.withColumn(MALFORMED, lit(null).cast(DataTypes.StringType));
        }
        return df;
    }

    static void requireColumns(Mapping mapping, ExtractFile file, List<String> available) {
        if (file.empty()) {
            throw CrossCheckException.badInput("file " + file.path() + " is empty (0 bytes)");
        }
        boolean anyMapped = mapping.columns().values().stream().anyMatch(available::contains);
        for (var e : mapping.columns().entrySet()) {
            if (!available.contains(e.getValue())) {
                String has = anyMapped || !mapping.header() ? "the file has " + safeHeader(available)
                        : "none of the mapped columns is in the first line (" + available.size() + " fields), so the"
                        + " file probably has no header row although mapping " + mapping.id() + " says 'header: true';"
                        + " the line's values are not shown, as they may be personal data";
                throw CrossCheckException.badInput("file " + file.path() + ": column '" + e.getValue()
                        + "' (mapped to " + e.getKey() + " by mapping " + mapping.id() + ") is missing; " + has);
            }
        }
    }

    /**
     * A header for a message, with every cell that looks like data rather than a column name (a run of four or more
     * digits, as in identity, account and phone numbers, or over 40 characters) withheld: when a file lacks its
     * header row, its "header" is somebody's record.
     */
    static String safeHeader(List<String> header) {
        return header.stream().map(h -> h.matches(".*\\d{4}.*") || h.length() > 40 ? "<value withheld>" : h).toList()
                .toString();
    }

    /** Selects mapped columns under canonical names, constants filled in, unmapped fields null, all strings. */
    static Dataset<Row> toCanonical(Mapping mapping, Dataset<Row> source) {
        List<Column> cols = new ArrayList<>();
        for (String field : bronzeFields(mapping.sourceFamily())) {
            Column c;
            if (mapping.columns().containsKey(field)) {
                c = col("`" + mapping.columns().get(field) + "`").cast(DataTypes.StringType);
            } else if (mapping.constants().containsKey(field)) {
                c = lit(mapping.constants().get(field));
            } else {
                c = lit(null).cast(DataTypes.StringType);
            }
            cols.add(c.as(field));
        }
        cols.add(col(MALFORMED));
        return source.select(cols.toArray(Column[]::new));
    }

    /**
     * Numbers records in file order: a file's splits are read in offset order, so record number = rows in the
     * splits before + position in the split + 1. The rows per split come from a first pass that needs no column
     * (Spark's CSV and JSON readers then count records without parsing them) instead of the full parse that
     * {@code zipWithIndex} would run; a file in one split needs no first pass. Each split checks that it holds
     * exactly the rows the first pass counted and fails the job otherwise, so a record number is never wrong.
     */
    static Dataset<Row> withRecordNumbers(SparkSession spark, Dataset<Row> rows) {
        StructType schema = rows.schema().add(RECORD_NUMBER, DataTypes.LongType, false);
        int width = rows.schema().size();
        JavaRDD<Row> source = rows.javaRDD();
        int splits = source.getNumPartitions();
        long[] counts = new long[splits];
        boolean checked = splits > 1;
        if (checked) {
            for (Row r : rows.select(spark_partition_id().as("split")).groupBy("split").count().collectAsList()) {
                counts[r.getInt(0)] = r.getLong(1);
            }
        }
        long[] offsets = new long[splits];
        for (int i = 1; i < splits; i++) {
            offsets[i] = offsets[i - 1] + counts[i - 1];
        }
        JavaRDD<Row> numbered = source.mapPartitionsWithIndex((split, it) -> new java.util.Iterator<Row>() {
            long next = offsets[split];

            @Override
            public boolean hasNext() {
                boolean more = it.hasNext();
                if (!more && checked && next - offsets[split] != counts[split]) {
                    throw new IllegalStateException("record numbering: split " + split + " holds "
                            + (next - offsets[split]) + " records but the counting pass found " + counts[split]);
                }
                return more;
            }

            @Override
            public Row next() {
                Row r = it.next();
                Object[] values = new Object[width + 1];
                for (int i = 0; i < width; i++) {
                    values[i] = r.get(i);
                }
                values[width] = ++next;
                return RowFactory.create(values);
            }
        }, true);
        return spark.createDataFrame(numbered, schema);
    }

    /** Splits a header line on the delimiter, removing surrounding quotes and blanks. */
    static List<String> splitHeader(String line, String delimiter, String quote) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        char q = quote.isEmpty() ? 0 : quote.charAt(0);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == q) {
                inQuotes = !inQuotes;
            } else if (!inQuotes && line.startsWith(delimiter, i)) {
                out.add(cur.toString().strip());
                cur.setLength(0);
                i += delimiter.length() - 1;
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }
}
