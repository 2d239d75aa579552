package org.crosscheck.anomaly;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Reason codes for an anomaly score: which features of a row lie furthest from their peers, in plain words, e.g.
 * "amount 41,520.00 is 23.1 robust deviations above the peer median 3,480.00". Independent of any table schema:
 * feature names and values in, text out. The peer group is whatever dataset the statistics were computed on.
 */
public final class AnomalyReasons {
    /** Scales MAD to the standard deviation of a normal distribution. */
    static final double MAD_TO_SIGMA = 1.4826;
    /** Scales the mean absolute deviation likewise; used when MAD is 0 (Iglewicz and Hoaglin's modified z). */
    static final double MEAN_AD_TO_SIGMA = 1.2533;

    private AnomalyReasons() {
    }

    /**
     * Robust location and spread of one feature in a peer group.
     *
     * @param median                median (approximate, from percentile_approx)
     * @param mad                   median absolute deviation from the median
     * @param meanAbsoluteDeviation mean absolute deviation from the median, the fallback spread when MAD is 0
     */
    public record RobustStats(double median, double mad, double meanAbsoluteDeviation) {
        /**
         * (x - median) / (1.4826 MAD); when MAD is 0, (x - median) / (1.2533 mean absolute deviation); when both are 0
         * (every peer has the same value), 0 for x equal to the median and +/-infinity otherwise. NaN when x or the
         * median is NaN.
         */
        public double robustZ(double x) {
            double d = x - median;
            double scale = mad > 0 ? MAD_TO_SIGMA * mad : MEAN_AD_TO_SIGMA * meanAbsoluteDeviation;
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            if (scale > 0) {
                return d / scale;
            }
            return d == 0 ? 0.0 : Math.copySign(Double.POSITIVE_INFINITY, d);
        }
    }

    /** One feature's contribution: its value, the peer median, the robust z and the sentence for a reviewer. */
    public record Reason(String feature, double value, double median, double robustZ, String text) {
    }

    /**
     * Median, MAD and mean absolute deviation of each feature over {@code peers}, with Spark's percentile_approx
     * (default accuracy 10,000: rank error about 1/10,000 of the rows). Two passes over the data. Nulls are ignored;
     * a feature with no non-null value (or an empty dataset) gets NaN statistics, and then never yields a reason.
     */
    public static Map<String, RobustStats> robustStats(Dataset<Row> peers, List<String> features) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no features given for robust statistics");
        }
        List<Column> medians = new ArrayList<>();
        for (String f : features) {
            medians.add(percentile_approx(col(f).cast("double"), lit(0.5), lit(10_000)));
        }
        Row m = peers.agg(medians.get(0), medians.subList(1, medians.size()).toArray(new Column[0])).first();
        List<Column> spreads = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            double median = m.isNullAt(i) ? Double.NaN : m.getDouble(i);
            Column deviation = abs(col(features.get(i)).cast("double").minus(lit(median)));
            spreads.add(percentile_approx(deviation, lit(0.5), lit(10_000)));
            spreads.add(avg(deviation));
        }
        Row s = peers.agg(spreads.get(0), spreads.subList(1, spreads.size()).toArray(new Column[0])).first();
        Map<String, RobustStats> stats = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            stats.put(features.get(i), new RobustStats(m.isNullAt(i) ? Double.NaN : m.getDouble(i),
                    s.isNullAt(2 * i) ? Double.NaN : s.getDouble(2 * i),
                    s.isNullAt(2 * i + 1) ? Double.NaN : s.getDouble(2 * i + 1)));
        }
        return stats;
    }

    /**
     * The k features of one row with the largest |robust z|, largest first (ties keep the order of {@code names}).
     * Features whose value or statistics are NaN are skipped; so are features at exactly the peer median.
     *
     * @throws IllegalArgumentException when names and values differ in length or a name has no statistics
     */
    public static List<Reason> topReasons(List<String> names, double[] values, Map<String, RobustStats> stats,
                                          int k) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " feature names but " + values.length + " values");
        }
        List<Reason> reasons = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            RobustStats s = stats.get(names.get(i));
            if (s == null) {
                throw new IllegalArgumentException("no peer statistics for feature " + names.get(i)
                        + "; known: " + stats.keySet());
            }
            double z = s.robustZ(values[i]);
            if (!Double.isNaN(z) && z != 0) {
                reasons.add(new Reason(names.get(i), values[i], s.median(), z, describe(names.get(i), values[i],
                        s.median(), z)));
            }
        }
        reasons.sort(Comparator.comparingDouble((Reason r) -> -Math.abs(r.robustZ())));
        return reasons.subList(0, Math.max(0, Math.min(k, reasons.size())));
    }

    /** The reviewer's sentence for one feature. */
    static String describe(String feature, double value, double median, double z) {
        String v = String.format(Locale.ROOT, "%,.2f", value);
        String med = String.format(Locale.ROOT, "%,.2f", median);
        if (Double.isInfinite(z)) {
            return String.format(Locale.ROOT, "%s %s differs from %s, the value every peer has", feature, v, med);
        }
        return String.format(Locale.ROOT, "%s %s is %.1f robust deviations %s the peer median %s", feature, v,
                Math.abs(z), z > 0 ? "above" : "below", med);
    }
}
