package org.crosscheck.linkage;

import java.util.List;

/**
 * Full names, written in Chinese characters or in Latin script: equal ({@code NamesEqual}); the same toneless pinyin
 * ({@code NamesSoundTheSame}: homophones such as 张伟/张玮, or traditional and simplified forms 王静/王靜); pinyin
 * Jaro-Winkler at or above {@code pinyinThreshold} ({@code NamesSoundAlike}); characters' Jaro-Winkler at or above
 * {@code characterThreshold} ({@code NamesWrittenAlike}); only the surnames agree ({@code SurnameOnly}); differ.
 * The equal and same-pinyin levels are adjusted for term frequency: 王伟 agreeing says less than 覃韬 agreeing.
 *
 * <p>Columns: the name, its pinyin (spaces between syllables) and its surname, and the frequency columns
 * {@code <name>_tf} and {@code <pinyin>_tf} that {@link LinkageRecords#prepare} adds.
 */
public final class NameComparison implements Comparison {
    private static final List<Level> LEVELS = List.of(
            new Level("NameMissing", "a name is missing"),
            new Level("NamesEqual", "names equal"),
            new Level("NamesSoundTheSame", "names sound the same (same pinyin)"),
            new Level("NamesSoundAlike", "names sound alike (similar pinyin)"),
            new Level("NamesWrittenAlike", "names written alike (similar characters)"),
            new Level("SurnameOnly", "only the surnames agree"),
            new Level("NamesDiffer", "names differ"));

    private final String name;
    private final String pinyin;
    private final String surname;
    private final double pinyinThreshold;
    private final double characterThreshold;

    public NameComparison(String name, String pinyin, String surname, double pinyinThreshold,
                          double characterThreshold) {
        this.name = name;
        this.pinyin = pinyin;
        this.surname = surname;
        this.pinyinThreshold = pinyinThreshold;
        this.characterThreshold = characterThreshold;
    }

    @Override
    public String name() {
        return "name";
    }

    /**
     * "Equal" and "sound the same" both mean the same name (said aloud; a homophone or traditional character is the
     * same name written otherwise), so they share the 0.9 the most similar level gets elsewhere: 0.7 and 0.2. With
     * 0.05 a homophone with the same birth date was not linked among a few hundred records.
     */
    @Override
    public double[] agreementPrior() {
        double[] p = Comparison.super.agreementPrior();
        p[1] = 0.7;
        p[2] = 0.2;
        return p;
    }

    @Override
    public List<Level> levels() {
        return LEVELS;
    }

    @Override
    public List<String> columns() {
        return List.of(name, pinyin, surname);
    }

    @Override
    public String termFrequencyColumn(int level) {
        return switch (level) {
            case 1 -> name + "_tf";
            case 2 -> pinyin + "_tf";
            default -> null;
        };
    }

    @Override
    public int level(PairValues pair) {
        String a = pair.left(name);
        String b = pair.right(name);
        if (a == null || b == null) {
            return 0;
        }
        if (a.equals(b)) {
            return 1;
        }
        String pa = pair.left(pinyin);
        String pb = pair.right(pinyin);
        if (pa != null && pa.equals(pb)) {
            return 2;
        }
        if (pa != null && pb != null
                && StringSimilarity.jaroWinkler(pa.replace(" ", ""), pb.replace(" ", "")) >= pinyinThreshold
                && sameSyllableCount(pa, pb)) {
            return 3;
        }
        if (StringSimilarity.jaroWinkler(a, b) >= characterThreshold) {
            return 4;
        }
        String sa = pair.left(surname);
        String sb = pair.right(surname);
        if (sa != null && sa.equals(sb)) {
            return 5;
        }
        return 6;
    }

    private static boolean sameSyllableCount(String a, String b) {
        return a.chars().filter(c -> c == ' ').count() == b.chars().filter(c -> c == ' ').count();
    }
}
