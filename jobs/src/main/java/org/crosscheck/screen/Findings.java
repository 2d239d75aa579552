package org.crosscheck.screen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.Money;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;

/**
 * The contract every screening rule's output conforms to (docs/design.md, "Findings"). One row is one suspected
 * problem with one subject in one period.
 */
public final class Findings {
    public static final String RULE_ID = "rule_id";
    public static final String RULE_VERSION = "rule_version";
    public static final String SEVERITY = "severity";
    public static final String SUBJECT_TYPE = "subject_type";
    public static final String SUBJECT_ID = "subject_id";
    public static final String SCHEME = "scheme";
    public static final String REGION = "region";
    public static final String PERIOD = "period";
    public static final String AMOUNT_AT_RISK = "amount_at_risk";
    public static final String EVIDENCE = "evidence";
    public static final String EXPLANATION = "explanation";
    /**
     * Optional part of a case's identity beside rule, subject and scheme, for rules that find several problems per
     * subject and scheme (e.g. one per month). A rule file declares it with {@code case_key: [columns]}; null for most
     * rules. See {@link ExceptionList#exceptionId}.
     */
    public static final String CASE_KEY = "case_key";

    /**
     * Column order and types of a findings Dataset. All nullable (Spark SQL output is), but rule_id, subject_type and
     * subject_id must not be null: {@link ExceptionList#merge} refuses such findings.
     */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField(RULE_ID, DataTypes.StringType, true),
            DataTypes.createStructField(RULE_VERSION, DataTypes.StringType, true),
            DataTypes.createStructField(SEVERITY, DataTypes.StringType, true),
            DataTypes.createStructField(SUBJECT_TYPE, DataTypes.StringType, true),
            DataTypes.createStructField(SUBJECT_ID, DataTypes.StringType, true),
            DataTypes.createStructField(SCHEME, DataTypes.StringType, true),
            DataTypes.createStructField(REGION, DataTypes.StringType, true),
            DataTypes.createStructField(PERIOD, DataTypes.StringType, true),
            DataTypes.createStructField(AMOUNT_AT_RISK, Money.TYPE, true),
            DataTypes.createStructField(EVIDENCE, DataTypes.StringType, true),
            DataTypes.createStructField(EXPLANATION, DataTypes.StringType, true),
            DataTypes.createStructField(CASE_KEY, DataTypes.StringType, true)});

    /** Columns a rule's output must have; the other findings columns may be left out (null, or filled by the engine). */
    public static final List<String> REQUIRED = List.of("subject_type", "subject_id", "period", "amount_at_risk");

    /** Values of {@link #SEVERITY}, most severe first. */
    public static final List<String> SEVERITIES = List.of("high", "medium", "low");

    /** Values of {@link #SUBJECT_TYPE}. */
    public static final List<String> SUBJECT_TYPES = List.of("person", "account", "person_pair");

    private Findings() {
    }

    /**
     * Selects the contract's columns in contract order, cast to the contract's types (extra columns are dropped).
     *
     * @throws CrossCheckException (internal failure) naming the missing columns when a rule's output lacks any
     */
    public static Dataset<Row> conform(Dataset<Row> findings) {
        List<String> present = Arrays.asList(findings.columns());
        List<String> missing = new ArrayList<>();
        List<Column> cols = new ArrayList<>();
        for (StructField f : SCHEMA.fields()) {
            if (!present.contains(f.name())) {
                missing.add(f.name());
            } else {
                cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
            }
        }
        if (!missing.isEmpty()) {
            throw CrossCheckException.internal("findings lack the columns " + missing
                    + " of the findings contract (org.crosscheck.screen.Findings.SCHEMA); they have " + present);
        }
        return findings.select(cols.toArray(Column[]::new));
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
                case "case_key" -> caseKey(rule, have);
                default -> have.contains(name) ? col(name) : lit(null);
            };
            cols[i] = c.cast(SCHEMA.fields()[i].dataType()).as(name);
        }
        return output.select(cols);
    }

    /** The rule's declared case-key columns joined by '|', else the output's own {@code case_key} column, else null. */
    private static Column caseKey(ScreeningRule rule, List<String> have) {
        if (!rule.caseKey().isEmpty()) {
            return concat_ws("|", rule.caseKey().stream().map(c -> coalesce(col(c).cast(DataTypes.StringType), lit("")))
                    .toArray(Column[]::new));
        }
        return have.contains(CASE_KEY) ? col(CASE_KEY) : lit(null);
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

    /** 0 for high, 1 for medium, 2 for low, 3 for anything else: sorts the most severe first. */
    public static Column severityRank(Column severity) {
        return org.apache.spark.sql.functions.when(severity.equalTo("high"), 0)
                .when(severity.equalTo("medium"), 1)
                .when(severity.equalTo("low"), 2)
                .otherwise(3);
    }
}
