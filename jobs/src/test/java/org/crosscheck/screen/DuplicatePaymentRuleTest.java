package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DuplicatePaymentRuleTest extends RuleFixtureTest {
    private static final String RULE = "duplicate_payment";
    private final String person = CleanFixtures.id(5);

    @Test
    void samePeriodPaidTwiceIsFlaggedWithTheExtraPayment() {
        var f = new CleanFixtures().alive(person)
                .pension("P1", person, "2025-03", "2025-03-05", "1000.00")
                .pension("P2", person, "2025-03", "2025-03-20", "1000.00")
                .pension("P3", person, "2025-04", "2025-04-05", "1000.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("2025-03", str(r, "period"));
        assertEquals("1000.00", amount(r));
        assertEquals("high", str(r, "severity"));
        assertTrue(!str(r, "evidence").contains("P3"), str(r, "evidence"));
        assertEquals("The basic pension of employee pension for 2025-03 was paid 2 times over one period, where it is"
                + " due once per period; the payments beyond one per period come to 1,000.00.", str(r, "explanation"));
    }

    @Test
    void paymentReversedAndPaidAgainIsNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .pension("P1", person, "2025-03", "2025-03-05", "1000.00")
                .pension("P1R", person, "2025-03", "2025-03-15", "-1000.00")
                .pension("P2", person, "2025-03", "2025-03-20", "1000.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void differentBenefitTypesForTheSamePeriodAreNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .pension("P1", person, "2025-03", "2025-03-05", "1000.00")
                .monthly("P2", person, "employee_pension", "care_allowance", "2025-03", "2025-03-05", "300.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void duplicatesInSeveralMonthsAreOneFindingWithAllExtras() {
        var f = new CleanFixtures().alive(person)
                .pension("P1", person, "2025-03", "2025-03-05", "1000.00")
                .pension("P2", person, "2025-03", "2025-03-06", "1000.00")
                .pension("P3", person, "2025-05", "2025-05-05", "1000.00")
                .pension("P4", person, "2025-05", "2025-05-06", "1000.00")
                .pension("P5", person, "2025-05", "2025-05-07", "1000.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("2025-03..2025-05", str(rows.get(0), "period"));
        assertEquals("3000.00", amount(rows.get(0)));
    }
}
