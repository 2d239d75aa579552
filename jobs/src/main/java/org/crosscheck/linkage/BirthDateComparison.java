package org.crosscheck.linkage;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Birth dates (ISO {@code yyyy-MM-dd} or {@code yyyyMMdd}): equal; day and month swapped
 * ({@code BirthDateDayMonthSwapped}, 1958-03-04 / 1958-04-03); one digit apart ({@code BirthDateOneDigitApart}, a
 * typo); within {@code withinDays} days ({@code BirthDatesWithinDays}); differ. A date that does not parse (FEBRL
 * has some on purpose) is compared as digits only.
 */
public final class BirthDateComparison extends ColumnComparison {
    private final int withinDays;

    public BirthDateComparison(String column, int withinDays) {
        super("birth_date", column);
        this.withinDays = withinDays;
        addLevel("BirthDateMissing", "a birth date is missing");
        addLevel("BirthDatesEqual", "birth dates equal");
        addLevel("BirthDateDayMonthSwapped", "birth dates with day and month swapped");
        addLevel("BirthDateOneDigitApart", "birth dates differ in one digit");
        addLevel("BirthDatesWithinDays", "birth dates within " + withinDays + " days");
        addLevel("BirthDatesDiffer", "birth dates differ");
    }

    @Override
    public int level(PairValues pair) {
        String a = digits(pair.left(column));
        String b = digits(pair.right(column));
        if (a == null || b == null) {
            return 0;
        }
        if (a.equals(b)) {
            return 1;
        }
        if (a.length() == 8 && b.length() == 8 && a.startsWith(b.substring(0, 4))
                && a.substring(4, 6).equals(b.substring(6, 8)) && a.substring(6, 8).equals(b.substring(4, 6))) {
            return 2;
        }
        if (StringSimilarity.oneSubstitutionApart(a, b)) {
            return 3;
        }
        LocalDate da = parse(a);
        LocalDate db = parse(b);
        if (da != null && db != null && Math.abs(ChronoUnit.DAYS.between(da, db)) <= withinDays) {
            return 4;
        }
        return 5;
    }

    private static String digits(String s) {
        if (s == null) {
            return null;
        }
        String d = s.replaceAll("[^0-9]", "");
        return d.isEmpty() ? null : d;
    }

    private static LocalDate parse(String yyyymmdd) {
        if (yyyymmdd.length() != 8) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(yyyymmdd.substring(0, 4)), Integer.parseInt(yyyymmdd.substring(4, 6)),
                    Integer.parseInt(yyyymmdd.substring(6, 8)));
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}
