package org.crosscheck.linkage;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.core.CrossCheckException;

/**
 * Records to link: a {@code record_id} column (unique), a {@code dataset} column in link mode, and the columns the
 * comparisons and blocking keys read. {@link #prepare} adds what the comparisons derive once per record rather than
 * once per pair: the pinyin of names ({@code <name>_pinyin}), the surname when absent ({@code surname}, with
 * {@code surname_pinyin}) and the term-frequency columns ({@code <column>_tf}: share of records with that value, the
 * pair's own second record left out: (holders - 1) / records, at least 1 / records).
 */
public final class LinkageRecords {
    /** Two-character surnames; any other name's surname is its first character. */
    private static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐",
            "慕容", "尉迟", "长孙", "宇文", "司徒", "夏侯", "公孙", "轩辕", "端木", "独孤", "南宫", "西门", "澹台", "呼延");

    private LinkageRecords() {
    }

    /** Surname of a Chinese name (compound surnames known), or the last word of a Latin-script name. */
    public static String surname(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.strip();
        if (Character.UnicodeScript.of(n.codePointAt(0)) == Character.UnicodeScript.HAN) {
            if (n.length() >= 3 && COMPOUND_SURNAMES.contains(n.substring(0, 2))) {
                return n.substring(0, 2);
            }
            return n.substring(0, Character.charCount(n.codePointAt(0)));
        }
        String[] words = n.split("\\s+");
        return words[words.length - 1].toLowerCase(java.util.Locale.ROOT);
    }

    static void registerFunctions(SparkSession spark) {
        spark.udf().register("linkage_pinyin", (UDF1<String, String>) Pinyin::of, DataTypes.StringType);
        spark.udf().register("linkage_surname", (UDF1<String, String>) LinkageRecords::surname, DataTypes.StringType);
    }

    /** The records with derived columns added; checks that the columns the settings read are present. */
    public static Dataset<Row> prepare(SparkSession spark, Dataset<Row> records, LinkageSettings settings) {
        registerFunctions(spark);
        List<String> have = Arrays.asList(records.columns());
        if (!have.contains("record_id")) {
            throw CrossCheckException.badInput("linkage records lack the column record_id (they have " + have + ")");
        }
        if (settings.linkOnly() && !have.contains("dataset")) {
            throw CrossCheckException.badInput("linkage in link mode needs a dataset column (records have " + have + ")");
        }
        Dataset<Row> out = records;
        for (Comparison c : settings.comparisons()) {
            if (c instanceof NameComparison) {
                String name = c.columns().get(0);
                String surname = c.columns().get(2);
                out = out.withColumn(name + "_pinyin", callUDF("linkage_pinyin", col(name)));
                if (!Arrays.asList(out.columns()).contains(surname)) {
                    out = out.withColumn(surname, callUDF("linkage_surname", col(name)));
                }
                if (!Arrays.asList(out.columns()).contains(surname + "_pinyin")) {
                    out = out.withColumn(surname + "_pinyin", callUDF("linkage_pinyin", col(surname)));
                }
            }
        }
        for (Comparison c : settings.comparisons()) {
            for (String column : c.columns()) {
                if (!Arrays.asList(out.columns()).contains(column)) {
                    throw CrossCheckException.badInput("linkage comparison " + c.name() + " reads the column " + column
                            + ", which the records lack (they have " + Arrays.asList(out.columns()) + ")");
                }
            }
        }
        Set<String> tf = new LinkedHashSet<>();
        for (Comparison c : settings.comparisons()) {
            for (int l = 0; l < c.levels().size(); l++) {
                if (c.termFrequencyColumn(l) != null) {
                    tf.add(c.termFrequencyColumn(l));
                }
            }
        }
        long total = Math.max(1, out.count());
        for (String tfColumn : tf) {
            String base = tfColumn.substring(0, tfColumn.length() - "_tf".length());
            // a pair agreeing on a value is compared with the other holders of it: the pair's second record is not
            // evidence that the value is common (two records of one person under a rare name would otherwise make
            // the name look twice as common as it is); a value held by one record counts once
            Dataset<Row> freq = out.filter(col(base).isNotNull()).groupBy(col(base).as("_tf_value"))
                    .agg(functions.greatest(count(lit(1)).minus(1), lit(1)).divide(lit((double) total)).as(tfColumn));
            out = out.join(freq, out.col(base).equalTo(freq.col("_tf_value")), "left").drop("_tf_value");
        }
        return out;
    }
}
