package org.crosscheck.review;

import java.util.Locale;
import java.util.Optional;

/**
 * A reviewer's decision on a case. Only reviewers set it (in the browser or by importing an export); a screening run
 * never changes it. Whether the data still shows the case is its separate state (active, no longer found).
 */
public enum Disposition {
    /** Nobody has decided yet. */
    NONE("none"),
    /** A reviewer agrees it is a real problem, to be handled. */
    CONFIRMED("confirmed"),
    /** A reviewer judged it not a problem (false positive, known and handled, ...), with a reason. */
    DISMISSED("dismissed");

    private final String code;

    Disposition(String code) {
        this.code = code;
    }

    /** The value stored in the exceptions table and shown in exports. */
    public String code() {
        return code;
    }

    /**
     * Trimmed, case-insensitive. Statuses of exports written before cases had dispositions are understood too:
     * {@code new} and {@code open} mean none. Empty when the text is none of these ({@code resolved} included: whether
     * a case is still found is for the data to say, not for a reviewer).
     */
    public static Optional<Disposition> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Disposition d : values()) {
            if (d.code.equals(t)) {
                return Optional.of(d);
            }
        }
        if (t.equals("new") || t.equals("open")) {
            return Optional.of(NONE);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return code;
    }
}
