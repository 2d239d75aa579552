package org.crosscheck.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;

/** How dates and amounts are written in the extracts (hand-rolled: these run tens of millions of times). */
final class FieldText {
    private FieldText() {
    }

    /** {@code yyyyMMdd}. */
    static String compact(LocalDate d) {
        char[] c = new char[8];
        digits(c, 0, d.getYear(), 4);
        digits(c, 4, d.getMonthValue(), 2);
        digits(c, 6, d.getDayOfMonth(), 2);
        return new String(c);
    }

    /** {@code yyyy-MM-dd}; empty for null. */
    static String iso(LocalDate d) {
        if (d == null) {
            return "";
        }
        char[] c = new char[10];
        digits(c, 0, d.getYear(), 4);
        c[4] = '-';
        digits(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, d.getDayOfMonth(), 2);
        return new String(c);
    }

    /** {@code yyyyMM}. */
    static String compact(YearMonth m) {
        char[] c = new char[6];
        digits(c, 0, m.getYear(), 4);
        digits(c, 4, m.getMonthValue(), 2);
        return new String(c);
    }

    /** {@code yyyy-MM} as used in truth periods. */
    static String period(YearMonth m) {
        return m.toString();
    }

    static String period(YearMonth from, YearMonth to) {
        return from.equals(to) ? from.toString() : from + ".." + to;
    }

    /** {@code yyyyMMddHHmmss}. */
    static String compact(LocalDateTime t) {
        char[] c = new char[14];
        digits(c, 0, t.getYear(), 4);
        digits(c, 4, t.getMonthValue(), 2);
        digits(c, 6, t.getDayOfMonth(), 2);
        digits(c, 8, t.getHour(), 2);
        digits(c, 10, t.getMinute(), 2);
        digits(c, 12, t.getSecond(), 2);
        return new String(c);
    }

    /** Cents as {@code 1234.50}, or with a thousands separator {@code 1,234.50}. */
    static String amount(long cents, boolean grouped) {
        boolean negative = cents < 0;
        long abs = Math.abs(cents);
        String units = Long.toString(abs / 100);
        StringBuilder sb = new StringBuilder(units.length() + 6);
        if (negative) {
            sb.append('-');
        }
        if (grouped) {
            int lead = units.length() % 3 == 0 ? 3 : units.length() % 3;
            sb.append(units, 0, lead);
            for (int i = lead; i < units.length(); i += 3) {
                sb.append(',').append(units, i, i + 3);
            }
        } else {
            sb.append(units);
        }
        long frac = abs % 100;
        sb.append('.').append((char) ('0' + frac / 10)).append((char) ('0' + frac % 10));
        return sb.toString();
    }

    /** ASCII digits replaced by their full-width forms (U+FF10..U+FF19), as some keyboards and forms deliver them. */
    static String fullWidthDigits(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= '0' && c <= '9' ? (char) ('\uFF10' + (c - '0')) : c);
        }
        return sb.toString();
    }

    /** The identity number with a wrong check character. */
    static String wrongCheckCharacter(String id) {
        char last = id.charAt(id.length() - 1);
        char wrong = last == 'X' ? '0' : last == '9' ? 'X' : (char) (last + 1);
        return id.substring(0, id.length() - 1) + wrong;
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            c[at + i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
