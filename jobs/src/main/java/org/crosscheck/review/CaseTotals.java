package org.crosscheck.review;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.core.Money;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;

/**
 * Amount at risk counted once. Rule totals may overlap: one payment can be flagged by {@code amount_outlier} and by
 * {@code anomaly_score}, a dead person's pension by {@code deceased_recipient} and {@code activity_after_death}. Here
 * each case's amount is attributed to the payments in its evidence (pro rata to their amounts), and each payment
 * counts once, at the largest amount any case attributes to it; a case without payment evidence counts its own
 * amount. By region: the payment's region (else the case's).
 */
public final class CaseTotals {
    /** The overall total and the total per region (key null: no region), of the given cases. */
    public record Totals(BigDecimal total, BigDecimal sumOfCases, Map<String, BigDecimal> byRegion) {
        /** How much the plain sum of the cases' amounts counts twice or more. */
        public BigDecimal overlap() {
            return sumOfCases.subtract(total);
        }
    }

    private CaseTotals() {
    }

    public static Totals of(Dataset<Row> cases) {
        Dataset<Row> entries = cases
                .select(col(ExceptionList.EXCEPTION_ID), col(Findings.REGION).as("_case_region"),
                        col(Findings.AMOUNT_AT_RISK).as("_case_amount"),
                        explode_outer(expr("from_json(evidence, 'array<map<string,string>>')")).as("_e"))
                .select(col(ExceptionList.EXCEPTION_ID), col("_case_region"), col("_case_amount"),
                        when(expr("_e['table'] = 'benefit_payment'"), expr("_e['payment_id']")).as("_payment"),
                        when(expr("_e['table'] = 'benefit_payment'"), expr("CAST(_e['amount'] AS DECIMAL(18,2))"))
                                .as("_paid"),
                        coalesce(expr("_e['region']"), col("_case_region")).as("_region"));
        Dataset<Row> perCase = entries.groupBy(ExceptionList.EXCEPTION_ID)
                .agg(sum(coalesce(col("_paid"), lit(BigDecimal.ZERO))).as("_case_paid"));
        Dataset<Row> attributed = entries.join(perCase, ExceptionList.EXCEPTION_ID);
        Column share = when(col("_case_paid").gt(0), col("_case_amount").multiply(col("_paid")).divide(col("_case_paid")));
        // payments: each once, at its largest attribution; cases without payment evidence: their amount
        Dataset<Row> payments = attributed.where(col("_payment").isNotNull().and(col("_case_paid").gt(0)))
                .groupBy(col("_payment")).agg(max(share).as("_amount"), max(col("_region")).as("_region"));
        Dataset<Row> others = attributed.where(col("_case_paid").leq(0).or(col("_case_paid").isNull()))
                .groupBy(ExceptionList.EXCEPTION_ID)
                .agg(max(col("_case_amount")).as("_amount"), max(col("_case_region")).as("_region"));
        Dataset<Row> units = payments.select(col("_amount"), col("_region"))
                .unionByName(others.select(col("_amount"), col("_region")));
        Map<String, BigDecimal> byRegion = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Row r : units.groupBy("_region").agg(sum(col("_amount").cast(Money.TYPE)).cast(Money.TYPE).as("a"))
                .orderBy(col("_region").asc_nulls_last()).collectAsList()) {
            BigDecimal a = r.isNullAt(1) ? BigDecimal.ZERO : r.getDecimal(1).setScale(2);
            byRegion.put(r.getString(0), a);
            total = total.add(a);
        }
        Row s = cases.agg(sum(col(Findings.AMOUNT_AT_RISK)).cast(DataTypes.createDecimalType(20, 2))).head();
        BigDecimal sumOfCases = s.isNullAt(0) ? BigDecimal.ZERO : s.getDecimal(0).setScale(2);
        return new Totals(total.setScale(2), sumOfCases, byRegion);
    }
}
