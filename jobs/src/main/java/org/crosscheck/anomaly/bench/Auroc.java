package org.crosscheck.anomaly.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exact area under the ROC curve by ranking (Mann-Whitney U): the probability that a random outlier scores above a
 * random inlier, ties counted as one half (tied scores share their average rank).
 */
public final class Auroc {
    private Auroc() {
    }

    /**
     * @param scores higher means more likely an outlier
     * @param positive true for an outlier
     * @return AUROC in [0, 1]; NaN when there are no outliers or no inliers
     */
    public static double of(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end < n && scores[order[end]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + 1 + end) / 2.0; // ranks start+1 .. end
            for (int k = start; k < end; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            start = end;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Collects the two columns to the driver: for benchmark-sized data only. Label 1.0 means outlier. */
    public static double of(Dataset<Row> scored, String scoreCol, String labelCol) {
        List<Row> rows = scored.select(scoreCol, labelCol).collectAsList();
        double[] s = new double[rows.size()];
        boolean[] p = new boolean[rows.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = rows.get(i).getDouble(0);
            p[i] = ((Number) rows.get(i).get(1)).doubleValue() == 1.0;
        }
        return of(s, p);
    }
}
