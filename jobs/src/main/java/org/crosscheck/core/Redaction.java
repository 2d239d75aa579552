package org.crosscheck.core;

import java.util.regex.Pattern;

/**
 * Keeps identities out of what a run prints and records in {@code meta/runs}: a message passes through here before
 * it leaves the process, and every run of 15 to 19 digits (an identity number, old or new, possibly ending in X; a
 * bank account) is withheld. Messages are written to name file, line and field, so nothing a reader needs is lost;
 * this catches the values that a library's error text (a Spark cast error, a parser message) may quote.
 */
public final class Redaction {
    private static final Pattern NUMBER = Pattern.compile("(?<![0-9A-Za-z])[0-9]{14}[0-9]{0,4}[0-9Xx](?![0-9A-Za-z])");
    public static final String WITHHELD = "<number withheld>";

    private Redaction() {
    }

    public static String identities(String message) {
        return message == null ? null : NUMBER.matcher(message).replaceAll(WITHHELD);
    }
}
