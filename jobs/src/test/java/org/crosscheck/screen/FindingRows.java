package org.crosscheck.screen;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Tiny findings fixtures. */
public final class FindingRows {
    private FindingRows() {
    }

    public static Row finding(String ruleId, String version, String severity, String subjectId, String period,
                              String amount, String explanation) {
        return RowFactory.create(ruleId, version, severity, "person", subjectId, "employee_pension", "110101",
                period, amount == null ? null : new BigDecimal(amount),
                "[{\"person_id\":\"" + subjectId + "\"}]", explanation, null);
    }

    public static Row finding(String ruleId, String subjectId, String period, String amount) {
        return finding(ruleId, "1", "high", subjectId, period, amount, "paid after death");
    }

    public static Dataset<Row> findings(SparkSession spark, Row... rows) {
        List<Row> list = Arrays.asList(rows);
        return spark.createDataFrame(list, Findings.SCHEMA);
    }
}
