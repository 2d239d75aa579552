package org.crosscheck.linkage;

/** The two records of a candidate pair as a comparison sees them: a column's value on the left and on the right. */
public interface PairValues {
    /** The left record's value of {@code column}, null when missing or blank. */
    String left(String column);

    /** The right record's value of {@code column}, null when missing or blank. */
    String right(String column);

    /** Values from two maps (tests, small in-memory use). */
    static PairValues of(java.util.Map<String, String> left, java.util.Map<String, String> right) {
        return new PairValues() {
            @Override
            public String left(String column) {
                return blankToNull(left.get(column));
            }

            @Override
            public String right(String column) {
                return blankToNull(right.get(column));
            }
        };
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
