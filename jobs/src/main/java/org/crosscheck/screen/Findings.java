package org.crosscheck.screen;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.Money;

/** The findings schema of design.md, shared by every rule, and the step that brings a rule's output into it. */
public final class Findings {
    public static final StructType SCHEMA = new StructType()
            .add("rule_id", DataTypes.StringType, false)
            .add("rule_version", DataTypes.StringType, false)
            .add("severity", DataTypes.StringType)
            .add("subject_type", DataTypes.StringType)
            .add("subject_id", DataTypes.StringType)
            .add("scheme", DataTypes.StringType)
            .add("region", DataTypes.StringType)
            .add("period", DataTypes.StringType)
            .add("amount_at_risk", Money.TYPE)
            .add("evidence", DataTypes.StringType)
            .add("explanation", DataTypes.StringType);

    /** Columns a rule's output must have; the other findings columns may be left out (null, or filled by the engine). */
    public static final List<String> REQUIRED = List.of("subject_type", "subject_id", "period", "amount_at_risk");

    public static final List<String> SEVERITIES = List.of("high", "medium", "low");

    private Findings() {
    }

    /**
     * Selects the findings columns, in order and with their types, from a rule's output. {@code evidence} and
     * {@code explanation} are taken from the given columns; extra output columns are dropped.
     */
    public static Dataset<Row> conform(Dataset<Row> output, ScreeningRule rule, Column evidence, Column explanation) {
        List<String> have = Arrays.asList(output.columns());
        Column[] cols = new Column[SCHEMA.size()];
        for (int i = 0; i < SCHEMA.size(); i++) {
            String name = SCHEMA.fields()[i].name();
            Column c = switch (name) {
                case "rule_id" -> lit(rule.id());
                case "rule_version" -> lit(rule.version());
                case "severity" -> have.contains("severity") ? coalesce(col("severity"), lit(rule.severity()))
                        : lit(rule.severity());
                case "evidence" -> evidence;
                case "explanation" -> explanation;
                default -> have.contains(name) ? col(name) : lit(null);
            };
            cols[i] = c.cast(SCHEMA.fields()[i].dataType()).as(name);
        }
        return output.select(cols);
    }

    /**
     * As {@link #conform(Dataset, ScreeningRule, Column, Column)} for a rule's own {@code evidence} and
     * {@code explanation} columns: a missing evidence becomes {@code []}, a missing explanation the rule's title.
     */
    public static Dataset<Row> conform(Dataset<Row> output, ScreeningRule rule) {
        List<String> have = Arrays.asList(output.columns());
        return conform(output, rule, have.contains("evidence") ? col("evidence") : lit("[]"),
                have.contains("explanation") ? col("explanation") : lit(rule.title()));
    }

    /** An empty findings table. */
    public static Dataset<Row> empty(org.apache.spark.sql.SparkSession spark) {
        return spark.createDataFrame(List.of(), SCHEMA);
    }
}
