package org.crosscheck.review;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.Money;
import org.junit.jupiter.api.Test;

class CaseTotalsTest extends SparkTestSupport {
    private static String payment(String id, String amount, String region) {
        return "{\"table\":\"benefit_payment\",\"payment_id\":\"" + id + "\",\"amount\":" + amount + ",\"region\":\""
                + region + "\"}";
    }

    @Test
    void aPaymentFlaggedByTwoRulesCountsOnceAtItsLargestShare() {
        StructType schema = new StructType().add("exception_id", DataTypes.StringType)
                .add("region", DataTypes.StringType).add("amount_at_risk", Money.TYPE)
                .add("evidence", DataTypes.StringType);
        Dataset<Row> cases = spark().createDataFrame(List.of(
                // deceased recipient: two pensions paid after death, 3,000 + 3,000
                RowFactory.create("a", "110101", new BigDecimal("6000.00"),
                        "[{\"table\":\"civil_registry\",\"national_id\":\"X\"}," + payment("P1", "3000", "110101") + ","
                                + payment("P2", "3000", "110101") + "]"),
                // an outlier on P2: the excess 1,000 of it
                RowFactory.create("b", "110101", new BigDecimal("1000.00"), "[" + payment("P2", "3000", "110101")
                        + ",{\"peer_group\":\"scheme\"}]"),
                // anomaly score over a list of ids without amounts: P3 (elsewhere) and P1
                RowFactory.create("c", "440106", new BigDecimal("500.00"),
                        "[{\"record\":\"person_month\",\"payment_ids\":[\"P3\",\"P1\"]}]"),
                // an account case without payment evidence
                RowFactory.create("d", "440106", new BigDecimal("70.00"), "[{\"table\":\"enrollment\"}]")), schema);

        CaseTotals.Totals t = CaseTotals.of(cases);

        assertEquals(new BigDecimal("7570.00"), t.sumOfCases());
        // P1 3,000 (max of 3,000 and 250) + P2 3,000 (max of 3,000 and 1,000) + P3 250 + d 70
        assertEquals(new BigDecimal("6320.00"), t.total());
        assertEquals(new BigDecimal("1250.00"), t.overlap());
        assertEquals(new BigDecimal("6000.00"), t.byRegion().get("110101"));
        assertEquals(new BigDecimal("320.00"), t.byRegion().get("440106"));
    }
}
