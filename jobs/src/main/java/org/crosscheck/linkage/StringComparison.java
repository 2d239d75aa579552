package org.crosscheck.linkage;

import java.util.List;
import java.util.Locale;

/**
 * A text value (region, bank account, employer, street, suburb, ...): equal ({@code <Label>Equal}); optionally one
 * character apart ({@code <Label>OneCharacterApart}: a typo in a code or a number); Jaro-Winkler at or above each
 * threshold, highest first ({@code <Label>JaroWinklerAtLeast0.9}); differ. With no thresholds and no one-character
 * level this is an exact match. {@code termFrequency} adjusts the equal level by the value's frequency (column
 * {@code <column>_tf}, added by {@link LinkageRecords#prepare}).
 */
public final class StringComparison extends ColumnComparison {
    private final boolean oneCharacter;
    private final double[] thresholds;
    private final boolean termFrequency;

    /**
     * @param name   the comparison's name (e.g. {@code region})
     * @param label  the levels' prefix, e.g. {@code Region} gives {@code RegionEqual}
     * @param words  what the value is called in an explanation, e.g. {@code regions}
     */
    public StringComparison(String name, String column, String label, String words, boolean oneCharacter,
                            double[] thresholds, boolean termFrequency) {
        super(name, column);
        this.oneCharacter = oneCharacter;
        this.thresholds = thresholds.clone();
        this.termFrequency = termFrequency;
        addLevel(label + "Missing", words + ": one is missing");
        addLevel(label + "Equal", words + " equal");
        if (oneCharacter) {
            addLevel(label + "OneCharacterApart", words + " differ in one character");
        }
        for (double t : this.thresholds) {
            String shown = String.format(Locale.ROOT, "%.2f", t);
            addLevel(label + "JaroWinklerAtLeast" + shown, words + " similar (Jaro-Winkler ≥ " + shown + ")");
        }
        addLevel(label + "Differ", words + " differ");
    }

    /** An exact-match comparison: equal, differ, missing. */
    public static StringComparison exact(String name, String column, String label, String words) {
        return new StringComparison(name, column, label, words, false, new double[0], false);
    }

    @Override
    public String termFrequencyColumn(int level) {
        return termFrequency && level == 1 ? column + "_tf" : null;
    }

    @Override
    public int level(PairValues pair) {
        String a = pair.left(column);
        String b = pair.right(column);
        if (a == null || b == null) {
            return 0;
        }
        if (a.equals(b)) {
            return 1;
        }
        int next = 2;
        if (oneCharacter) {
            if (StringSimilarity.oneSubstitutionApart(a, b) || StringSimilarity.adjacentTransposition(a, b)) {
                return next;
            }
            next++;
        }
        if (thresholds.length > 0) {
            double jw = StringSimilarity.jaroWinkler(a, b);
            for (double t : thresholds) {
                if (jw >= t) {
                    return next;
                }
                next++;
            }
        }
        return levels().size() - 1;
    }
}
