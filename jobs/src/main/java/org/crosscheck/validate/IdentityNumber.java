package org.crosscheck.validate;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Chinese resident identity number (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence whose
 * last digit is odd for men and even for women, and a check character from ISO 7064 MOD 11-2.
 * Pure functions; safe to call inside Spark UDFs.
 */
public final class IdentityNumber {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = "10X98765432".toCharArray();

    private IdentityNumber() {
    }

    /** Check character for the first 17 digits, or 0 when they are not 17 digits. */
    public static char checkCharacter(String first17) {
        if (first17 == null || first17.length() != 17) {
            return 0;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /**
     * Trims, upper-cases a trailing {@code x} and upgrades a legacy 15-digit number to 18 (century 19, check
     * character computed). Returns the input trimmed when it has neither shape, so validation can report it.
     */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip().toUpperCase(java.util.Locale.ROOT);
        if (s.length() == 15 && s.chars().allMatch(Character::isDigit)) {
            String first17 = s.substring(0, 6) + "19" + s.substring(6);
            return first17 + checkCharacter(first17);
        }
        return s;
    }

    /** True for an 18-character number whose check character is right (after {@link #normalise}). */
    public static boolean isValidChecksum(String id) {
        String s = normalise(id);
        if (s == null || s.length() != 18) {
            return false;
        }
        char expected = checkCharacter(s.substring(0, 17));
        return expected != 0 && expected == s.charAt(17);
    }

    /** The birth date embedded in positions 7–14, if it is a real calendar date. */
    public static Optional<LocalDate> birthDate(String id) {
        String s = normalise(id);
        if (s == null || s.length() != 18) {
            return Optional.empty();
        }
        try {
            int y = Integer.parseInt(s.substring(6, 10));
            int m = Integer.parseInt(s.substring(10, 12));
            int d = Integer.parseInt(s.substring(12, 14));
            return Optional.of(LocalDate.of(y, m, d));
        } catch (NumberFormatException | DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code M} when the 17th digit is odd, {@code F} when even, empty when it is not a digit. */
    public static Optional<String> sex(String id) {
        String s = normalise(id);
        if (s == null || s.length() != 18 || !Character.isDigit(s.charAt(16))) {
            return Optional.empty();
        }
        return Optional.of((s.charAt(16) - '0') % 2 == 1 ? "M" : "F");
    }

    /**
     * Builds a valid number from its parts (the generator and tests use it).
     *
     * @param region   6-digit administrative division code
     * @param sequence 0–999; its parity must agree with {@code male}, otherwise it is moved by one
     */
    public static String build(String region, LocalDate birth, int sequence, boolean male) {
        int seq = sequence % 1000;
        if ((seq % 2 == 1) != male) {
            seq = seq == 999 ? 998 : seq + 1;
            if ((seq % 2 == 1) != male) {
                seq = seq - 2;
            }
        }
        String first17 = region + String.format("%04d%02d%02d%03d", birth.getYear(), birth.getMonthValue(),
                birth.getDayOfMonth(), seq);
        return first17 + checkCharacter(first17);
    }
}
