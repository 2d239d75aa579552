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

import static org.apache.spark.sql.functions.col;

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
            DataTypes.createStructField(EXPLANATION, DataTypes.StringType, true)});

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

    /** 0 for high, 1 for medium, 2 for low, 3 for anything else: sorts the most severe first. */
    public static Column severityRank(Column severity) {
        return org.apache.spark.sql.functions.when(severity.equalTo("high"), 0)
                .when(severity.equalTo("medium"), 1)
                .when(severity.equalTo("low"), 2)
                .otherwise(3);
    }
}
