package org.crosscheck.screen;

import java.util.Locale;
import java.util.Optional;

/**
 * Where an exception stands. {@link #NEW} and {@link #OPEN} await review; the others are dispositions.
 * See docs/exceptions.md for the lifecycle.
 */
public enum ReviewStatus {
    /** First produced by the latest screening run that saw it; nobody has looked at it. */
    NEW("new"),
    /** Seen before and awaiting (further) review; also where a resolved finding lands when it reappears. */
    OPEN("open"),
    /** A reviewer agrees it is a real problem. */
    CONFIRMED("confirmed"),
    /** A reviewer judged it a false positive. */
    DISMISSED("dismissed"),
    /** The rule ran and no longer produces it (or a reviewer marked it so); reopens if it reappears. */
    RESOLVED("resolved");

    private final String code;

    ReviewStatus(String code) {
        this.code = code;
    }

    /** The value stored in the exceptions table and shown in exports. */
    public String code() {
        return code;
    }

    public boolean awaitsReview() {
        return this == NEW || this == OPEN;
    }

    /** Trimmed, case-insensitive; empty when the text is not one of the five codes. */
    public static Optional<ReviewStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ReviewStatus s : values()) {
            if (s.code.equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return code;
    }
}
