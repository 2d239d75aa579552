package org.crosscheck.anomaly;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;

/**
 * One isolation tree (Liu, Ting and Zhou 2008, Algorithm 2) as flat arrays, so that a forest broadcasts as a few
 * primitive arrays. Node 0 is the root; {@code feature[i] < 0} marks an external node (leaf).
 *
 * <p>A value goes left when {@code x[feature] < split}, otherwise right. NaN compares false, so a NaN feature value
 * always goes right (it behaves like a very large value); growth ignores NaN when taking a node's min and max.
 */
final class IsolationTree implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double EULER_GAMMA = 0.5772156649;

    final int[] feature;
    final double[] split;
    final int[] left;
    final int[] right;
    /** Training rows that reached the node; used at external nodes for the c(size) correction. */
    final int[] size;
    /** The same nodes packed for scoring: three ints each (feature, left, right), next to {@link #value}. */
    private final int[] links;
    /** Per node: the split, or at a leaf c(size), so that no logarithm is taken per tree per row. */
    private final double[] value;

    IsolationTree(int[] feature, double[] split, int[] left, int[] right, int[] size) {
        this.feature = feature;
        this.split = split;
        this.left = left;
        this.right = right;
        this.size = size;
        this.links = new int[3 * size.length];
        this.value = new double[size.length];
        for (int i = 0; i < size.length; i++) {
            links[3 * i] = feature[i];
            links[3 * i + 1] = left[i];
            links[3 * i + 2] = right[i];
            value[i] = feature[i] < 0 ? averagePathLength(size[i]) : split[i];
        }
    }

    int nodeCount() {
        return feature.length;
    }

    /**
     * c(n), the average path length of an unsuccessful search in a binary search tree of n points: the expected depth
     * still to go below an external node holding n training rows. c(0) = c(1) = 0, c(2) = 1.
     */
    static double averagePathLength(long n) {
        if (n <= 1) {
            return 0.0;
        }
        if (n == 2) {
            return 1.0;
        }
        return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
    }

    /** h(x): edges from the root to the external node x falls into, plus c(size) of that node. */
    double pathLength(double[] x) {
        int node = 0;
        int depth = 0;
        int f;
        while ((f = links[3 * node]) >= 0) {
            node = links[3 * node + (x[f] < value[node] ? 1 : 2)];
            depth++;
        }
        return depth + value[node];
    }

    /**
     * Grows a tree on {@code rows} (every row the same length). At each node a feature is drawn at random from
     * {@code features}; if it is constant in the node (min == max) another is drawn, and when every candidate is
     * constant the node becomes external (its rows cannot be separated). The split is uniform in [min, max).
     * Growth stops at {@code heightLimit} or when a node holds at most one row.
     */
    static IsolationTree grow(double[][] rows, int[] features, int heightLimit, Random random) {
        Grower g = new Grower(rows, features, heightLimit, random);
        int[] index = new int[rows.length];
        Arrays.setAll(index, i -> i);
        g.node(index, 0, rows.length, 0);
        return g.build();
    }

    private static final class Grower {
        private final double[][] rows;
        private final int[] features;
        private final int heightLimit;
        private final Random random;
        private int count;
        private int[] feature = new int[64];
        private double[] split = new double[64];
        private int[] left = new int[64];
        private int[] right = new int[64];
        private int[] size = new int[64];

        Grower(double[][] rows, int[] features, int heightLimit, Random random) {
            this.rows = rows;
            this.features = features;
            this.heightLimit = heightLimit;
            this.random = random;
        }

        /** Grows the subtree over index[from, to) and returns its node id. */
        int node(int[] index, int from, int to, int depth) {
            int id = allocate(to - from);
            if (depth >= heightLimit || to - from <= 1) {
                return id;
            }
            int[] candidates = features.clone();
            for (int remaining = candidates.length; remaining > 0; remaining--) {
                int pick = random.nextInt(remaining);
                int f = candidates[pick];
                candidates[pick] = candidates[remaining - 1];
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    double v = rows[index[i]][f];
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
                if (min < max) {
                    double p = min + (max - min) * random.nextDouble();
                    int mid = partition(index, from, to, f, p);
                    feature[id] = f;
                    split[id] = p;
                    // children first: growing them may reallocate the arrays
                    int l = node(index, from, mid, depth + 1);
                    int r = node(index, mid, to, depth + 1);
                    left[id] = l;
                    right[id] = r;
                    return id;
                }
            }
            return id;
        }

        private int partition(int[] index, int from, int to, int f, double p) {
            int mid = from;
            for (int i = from; i < to; i++) {
                if (rows[index[i]][f] < p) {
                    int t = index[mid];
                    index[mid++] = index[i];
                    index[i] = t;
                }
            }
            return mid;
        }

        private int allocate(int rowsInNode) {
            if (count == feature.length) {
                int n = count * 2;
                feature = Arrays.copyOf(feature, n);
                split = Arrays.copyOf(split, n);
                left = Arrays.copyOf(left, n);
                right = Arrays.copyOf(right, n);
                size = Arrays.copyOf(size, n);
            }
            feature[count] = -1;
            left[count] = -1;
            right[count] = -1;
            size[count] = rowsInNode;
            return count++;
        }

        IsolationTree build() {
            return new IsolationTree(Arrays.copyOf(feature, count), Arrays.copyOf(split, count),
                    Arrays.copyOf(left, count), Arrays.copyOf(right, count), Arrays.copyOf(size, count));
        }
    }
}
