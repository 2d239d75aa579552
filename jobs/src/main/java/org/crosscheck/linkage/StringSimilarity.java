package org.crosscheck.linkage;

/** Jaro-Winkler similarity and the small edit tests the comparisons use; on Unicode code points. */
public final class StringSimilarity {
    private StringSimilarity() {
    }

    /** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters); 1 for two equal strings. */
    public static double jaroWinkler(String a, String b) {
        int[] s = a.codePoints().toArray();
        int[] t = b.codePoints().toArray();
        if (s.length == 0 && t.length == 0) {
            return 1.0;
        }
        if (s.length == 0 || t.length == 0) {
            return 0.0;
        }
        int window = Math.max(0, Math.max(s.length, t.length) / 2 - 1);
        boolean[] sm = new boolean[s.length];
        boolean[] tm = new boolean[t.length];
        int matches = 0;
        for (int i = 0; i < s.length; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(t.length - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!tm[j] && s[i] == t[j]) {
                    sm[i] = true;
                    tm[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (sm[i]) {
                while (!tm[k]) {
                    k++;
                }
                if (s[i] != t[k]) {
                    transpositions++;
                }
                k++;
            }
        }
        double m = matches;
        double jaro = (m / s.length + m / t.length + (m - transpositions / 2.0) / m) / 3.0;
        int prefix = 0;
        while (prefix < Math.min(4, Math.min(s.length, t.length)) && s[prefix] == t[prefix]) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /** True when the strings have the same length and differ in exactly one position. */
    public static boolean oneSubstitutionApart(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length() && diff < 2; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                diff++;
            }
        }
        return diff == 1;
    }

    /** True when b is a with two adjacent, different characters swapped (and nothing else changed). */
    public static boolean adjacentTransposition(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int first = -1;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                first = i;
                break;
            }
        }
        if (first < 0 || first + 1 >= a.length()) {
            return false;
        }
        return a.charAt(first) == b.charAt(first + 1) && a.charAt(first + 1) == b.charAt(first)
                && a.substring(first + 2).equals(b.substring(first + 2));
    }
}
