package org.crosscheck.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;

/** The 24 months the sample data covers, the regions it is drawn from and the registry extract cut-offs. */
final class StudyPeriod {
    static final YearMonth FIRST = YearMonth.of(2024, 1);
    static final YearMonth LAST = YearMonth.of(2025, 12);
    static final LocalDate START = FIRST.atDay(1);
    static final LocalDate END = LAST.atEndOfMonth();

    /** The full registry extract holds every record as of this instant; later changes come in the update. */
    static final LocalDateTime BASE_CUTOFF = LocalDateTime.of(2025, 12, 1, 0, 0);
    /** The incremental registry extract holds changes made from {@link #BASE_CUTOFF} up to this instant. */
    static final LocalDateTime UPDATE_CUTOFF = LocalDateTime.of(2026, 1, 5, 0, 0);

    /** Guangzhou districts (paid by the CSV benefits office), then Shanghai Xuhui and Beijing Chaoyang (JSON). */
    static final List<String> REGIONS = List.of("440106", "440104", "440111", "310104", "110105");
    private static final double[] REGION_WEIGHTS = {0.30, 0.20, 0.20, 0.15, 0.15};

    private StudyPeriod() {
    }

    static boolean paidByCsvOffice(String region) {
        return region.startsWith("44");
    }

    static String region(java.util.SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < REGION_WEIGHTS.length; i++) {
            u -= REGION_WEIGHTS[i];
            if (u < 0) {
                return REGIONS.get(i);
            }
        }
        return REGIONS.get(REGIONS.size() - 1);
    }

    static int regionIndex(String region) {
        int i = REGIONS.indexOf(region);
        if (i < 0) {
            throw new IllegalArgumentException("region " + region + " is not one of " + REGIONS);
        }
        return i;
    }

    static YearMonth max(YearMonth a, YearMonth b) {
        return a.isAfter(b) ? a : b;
    }

    static YearMonth min(YearMonth a, YearMonth b) {
        return a.isBefore(b) ? a : b;
    }

    /** A uniformly drawn day in [from, to]. */
    static LocalDate day(java.util.SplittableRandom rng, LocalDate from, LocalDate to) {
        long span = to.toEpochDay() - from.toEpochDay();
        return from.plusDays(span <= 0 ? 0 : rng.nextLong(span + 1));
    }

    /** A uniformly drawn month in [from, to]. */
    static YearMonth month(java.util.SplittableRandom rng, YearMonth from, YearMonth to) {
        long span = from.until(to, java.time.temporal.ChronoUnit.MONTHS);
        return from.plusMonths(span <= 0 ? 0 : rng.nextLong(span + 1));
    }

    /** A time of day on the given date, to the second. */
    static LocalDateTime at(java.util.SplittableRandom rng, LocalDate day) {
        return day.atStartOfDay().plusSeconds(8 * 3600 + rng.nextInt(10 * 3600));
    }
}
