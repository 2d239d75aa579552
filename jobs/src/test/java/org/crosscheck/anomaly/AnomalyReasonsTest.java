package org.crosscheck.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.anomaly.AnomalyReasons.Reason;
import org.crosscheck.anomaly.AnomalyReasons.RobustStats;
import org.junit.jupiter.api.Test;

class AnomalyReasonsTest extends SparkTestSupport {
    private static final Map<String, RobustStats> STATS = Map.of(
            "amount", new RobustStats(3480.00, 1110.72, 1500.0),
            "payments_per_month", new RobustStats(1.0, 0.5, 0.6),
            "age", new RobustStats(67.0, 6.0, 7.0),
            "scheme_count", new RobustStats(1.0, 0.0, 0.0));

    @Test
    void largestRobustDeviationComesFirstInPlainWords() {
        List<Reason> reasons = AnomalyReasons.topReasons(List.of("age", "amount", "payments_per_month"),
                new double[] {70.0, 41_520.00, 0.0}, STATS, 2);
        assertEquals(2, reasons.size());
        assertEquals("amount 41,520.00 is 23.1 robust deviations above the peer median 3,480.00",
                reasons.get(0).text());
        assertEquals("payments_per_month 0.00 is 1.3 robust deviations below the peer median 1.00",
                reasons.get(1).text());
        assertEquals(23.1, reasons.get(0).robustZ(), 0.05);
    }

    @Test
    void zeroMadFallsBackToMeanAbsoluteDeviation() {
        RobustStats s = new RobustStats(10.0, 0.0, 2.0);
        assertEquals(4.0 / (AnomalyReasons.MEAN_AD_TO_SIGMA * 2.0), s.robustZ(14.0), 1e-12);
    }

    @Test
    void valueOffAConstantPeerGroupIsReportedWithoutANumberOfDeviations() {
        List<Reason> reasons = AnomalyReasons.topReasons(List.of("scheme_count", "age"), new double[] {3, 67}, STATS,
                3);
        assertEquals(1, reasons.size(), "age equals the median and gives no reason");
        assertEquals("scheme_count 3.00 differs from 1.00, the value every peer has", reasons.get(0).text());
    }

    @Test
    void nanValuesAreSkippedAndUnknownFeaturesRejected() {
        assertTrue(AnomalyReasons.topReasons(List.of("age"), new double[] {Double.NaN}, STATS, 3).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyReasons.topReasons(List.of("height"), new double[] {1}, STATS, 3));
        assertTrue(e.getMessage().contains("height"));
    }

    @Test
    void robustStatsComputesMedianMadAndMeanDeviationWithSpark() {
        StructType schema = new StructType().add("amount", DataTypes.DoubleType).add("n", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            rows.add(RowFactory.create((double) i, 1));
        }
        rows.add(RowFactory.create(100.0, null));
        Dataset<Row> peers = spark().createDataFrame(rows, schema);
        Map<String, RobustStats> stats = AnomalyReasons.robustStats(peers, List.of("amount", "n"));
        // |x - 5| sorted: 0 1 1 2 2 3 3 4 4 95
        assertEquals(new RobustStats(5.0, 2.0, 11.5), stats.get("amount"));
        assertEquals(new RobustStats(1.0, 0.0, 0.0), stats.get("n"));
    }
}
