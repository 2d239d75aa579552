package org.crosscheck.review;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;

/**
 * Reviewers' precision per rule and rule version: confirmed ÷ (confirmed + dismissed) over all cases of the list,
 * with the counts, recorded per run in {@link Tables#rulePrecision()} (re-recording a run replaces its rows). A rule
 * whose dismissals dominate is marked in the run summary.
 */
public final class RulePrecision {
    /** Fewest decisions before a precision below one half is called out. */
    public static final int MIN_DECISIONS_TO_WARN = 5;

    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add(Findings.RULE_ID, DataTypes.StringType)
            .add(Findings.RULE_VERSION, DataTypes.StringType)
            .add("confirmed", DataTypes.LongType)
            .add("dismissed", DataTypes.LongType)
            .add("undecided", DataTypes.LongType)
            .add("precision", DataTypes.DoubleType);

    public record Line(String ruleId, String ruleVersion, long confirmed, long dismissed, long undecided,
                       Double precision) {
        /** Dismissals dominate, over enough decisions to mean something. */
        public boolean mostlyDismissed() {
            return precision != null && precision < 0.5 && confirmed + dismissed >= MIN_DECISIONS_TO_WARN;
        }

        @Override
        public String toString() {
            String p = precision == null ? "no decisions yet"
                    : String.format(Locale.ROOT, "%.0f%% (%d confirmed, %d dismissed)", precision * 100, confirmed, dismissed);
            return String.format(Locale.ROOT, "%-30s v%-4s %s; %d undecided%s", ruleId, ruleVersion, p, undecided,
                    mostlyDismissed() ? "  <- mostly dismissed: review this rule" : "");
        }
    }

    private RulePrecision() {
    }

    public static Dataset<Row> compute(Dataset<Row> cases, String runId) {
        return cases.groupBy(col(Findings.RULE_ID), col(Findings.RULE_VERSION))
                .agg(count(when(col(ExceptionList.DISPOSITION).equalTo(Disposition.CONFIRMED.code()), 1)).as("confirmed"),
                        count(when(col(ExceptionList.DISPOSITION).equalTo(Disposition.DISMISSED.code()), 1)).as("dismissed"),
                        count(when(col(ExceptionList.DISPOSITION).isin(Disposition.CONFIRMED.code(),
                                Disposition.DISMISSED.code()).unary_$bang(), 1)).as("undecided"))
                .select(lit(runId).as("run_id"), col(Findings.RULE_ID), col(Findings.RULE_VERSION),
                        col("confirmed"), col("dismissed"), col("undecided"),
                        when(col("confirmed").plus(col("dismissed")).gt(0),
                                col("confirmed").divide(col("confirmed").plus(col("dismissed")))).as("precision"));
    }

    /** Computes, records and returns the precision of the current exception list for {@code runId}. */
    public static List<Line> record(SparkSession spark, Tables tables, String runId) {
        List<Row> rows = compute(ExceptionList.read(spark, tables), runId)
                .orderBy(Findings.RULE_ID, Findings.RULE_VERSION).collectAsList();
        Dataset<Row> df = spark.createDataFrame(rows, SCHEMA);
        if (!DeltaTable.isDeltaTable(spark, tables.rulePrecision())) {
            spark.createDataFrame(Collections.emptyList(), SCHEMA).write().format("delta").save(tables.rulePrecision());
        }
        df.write().format("delta").mode("overwrite").option("replaceWhere", "run_id = '" + runId.replace("'", "") + "'")
                .save(tables.rulePrecision());
        List<Line> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(new Line(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getLong(5),
                    r.isNullAt(6) ? null : r.getDouble(6)));
        }
        return lines;
    }
}
