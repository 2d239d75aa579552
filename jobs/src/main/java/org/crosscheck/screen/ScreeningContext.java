package org.crosscheck.screen;

import java.time.LocalDate;

/**
 * What a screening run knows besides the tables.
 *
 * @param asOfDate the run's reference date: open coverage ({@code coverage_end} null) is taken to last until this
 *                 day, and windows such as "the last 12 months" end on it. SQL rules see it as {@code ${as_of_date}}.
 *                 Fixing it makes a run reproducible.
 */
public record ScreeningContext(LocalDate asOfDate) {
    public ScreeningContext {
        asOfDate = asOfDate == null ? LocalDate.now() : asOfDate;
    }
}
