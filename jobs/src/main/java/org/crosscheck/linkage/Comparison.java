package org.crosscheck.linkage;

import java.io.Serializable;
import java.util.List;

/**
 * One comparison of a Fellegi-Sunter model: a pair of records falls into exactly one of its {@link #levels()}, from
 * "missing" (level 0: a value is missing on either side, contributes nothing) through the most similar (level 1) to
 * "differ" (the last level). Levels are named as a reader would ({@code IdentityNumberOneDigitApart}) and carry the
 * words an explanation uses ("identity numbers differ in one digit").
 */
public interface Comparison extends Serializable {
    /** One level: a reader's name and the words for an explanation. */
    record Level(String name, String words) implements Serializable {
    }

    /** Name of the comparison in the parameter file and the evidence, e.g. {@code identity_number}. */
    String name();

    /** The levels, index 0 the null level, the last the "differ" level. */
    List<Level> levels();

    /** The level of the pair (an index into {@link #levels()}). */
    int level(PairValues pair);

    /** Columns of the record the comparison reads. */
    List<String> columns();

    /**
     * The record column holding the relative frequency of the value compared at {@code level}, for term-frequency
     * adjustment (a common name agreeing is weaker evidence than a rare one); null when the level is not adjusted.
     */
    default String termFrequencyColumn(int level) {
        return null;
    }

    /**
     * The largest weight any level of this comparison may carry (settings key {@code max_weight}; infinite when
     * not set): for values that unrelated persons of one household share, such as a bank account.
     */
    default double maxWeight() {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Whether EM's prior presumes that one person's two records mostly agree on this comparison (settings key
     * {@code presume_agreement}, default true: names, birth dates, sex). False for values a second identity
     * seldom shares with the first (its number, its bank account): the prior is then the levels' distribution
     * among random pairs, so the comparison weighs nothing until the data shows otherwise.
     */
    default boolean presumeAgreement() {
        return true;
    }

    /**
     * EM's prior m when agreement is presumed (index 0 unused): by default 0.9 on the most similar level, then each
     * level half the one before. A comparison whose first two levels both mean "the same value" may share the 0.9
     * between them.
     */
    default double[] agreementPrior() {
        int levels = levels().size();
        double[] p = new double[levels];
        double rest = 0.1;
        p[1] = 0.9;
        for (int l = 2; l < levels; l++) {
            rest /= 2;
            p[l] = l == levels - 1 ? rest * 2 : rest;
        }
        return p;
    }
}
