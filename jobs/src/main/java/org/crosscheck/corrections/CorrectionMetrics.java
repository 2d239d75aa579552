package org.crosscheck.corrections;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.Tables;

/**
 * Figures of the loop per department and run, appended to {@code meta/correction_metrics}: items first requested in
 * this run, open now, closed as corrected by this run, corrected so far, open and overdue, and the median days from request to
 * correction over all items corrected so far (null before the first correction).
 */
public record CorrectionMetrics(String department, long requested, long open, long correctedThisRun,
                                long correctedTotal, long overdue, Double medianDaysToCorrection) {
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("recorded_at", DataTypes.TimestampType)
            .add("department", DataTypes.StringType)
            .add("requested", DataTypes.LongType)
            .add("open", DataTypes.LongType)
            .add("corrected", DataTypes.LongType)
            .add("corrected_total", DataTypes.LongType)
            .add("overdue", DataTypes.LongType)
            .add("median_days_to_correction", DataTypes.DoubleType);

    public static String table(Tables tables) {
        return tables.path("meta/correction_metrics");
    }

    public static List<CorrectionMetrics> of(List<RequestItem> items, String runId, Timestamp now, int overdueDays) {
        Map<String, List<RequestItem>> byDept = new TreeMap<>();
        items.forEach(i -> byDept.computeIfAbsent(i.department(), k -> new ArrayList<>()).add(i));
        List<CorrectionMetrics> out = new ArrayList<>();
        byDept.forEach((dept, list) -> {
            List<RequestItem> corrected = list.stream().filter(i -> RequestItem.CORRECTED.equals(i.status())).toList();
            double[] days = corrected.stream().mapToDouble(i -> i.daysOpen(now)).sorted().toArray();
            Double median = days.length == 0 ? null : days.length % 2 == 1 ? days[days.length / 2]
                    : (days[days.length / 2 - 1] + days[days.length / 2]) / 2;
            out.add(new CorrectionMetrics(dept,
                    list.stream().filter(i -> runId.equals(i.requestedRun())).count(),
                    list.stream().filter(RequestItem::isOpen).count(),
                    // closed by this update (its corrected_run is the run that brought the row, which is an earlier
                    // run when validate and corrections ran as separate commands)
                    corrected.stream().filter(i -> now.equals(i.correctedAt())).count(),
                    corrected.size(),
                    list.stream().filter(i -> i.isOpen() && i.daysOpen(now) >= overdueDays).count(),
                    median));
        });
        return out;
    }

    public static void append(SparkSession spark, Tables tables, String runId, Timestamp now,
                              List<CorrectionMetrics> metrics) {
        List<Row> rows = metrics.stream().map(m -> RowFactory.create(runId, now, m.department, m.requested, m.open,
                m.correctedThisRun, m.correctedTotal, m.overdue, m.medianDaysToCorrection)).toList();
        if (!rows.isEmpty()) {
            spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append").save(table(tables));
        }
    }
}
