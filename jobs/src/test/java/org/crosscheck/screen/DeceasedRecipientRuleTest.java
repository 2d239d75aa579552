package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DeceasedRecipientRuleTest extends RuleFixtureTest {
    private static final String RULE = "deceased_recipient";
    private final String dead = CleanFixtures.id(1);

    @Test
    void pensionsForMonthsAfterDeathAreOneFindingWithTheirExactSum() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .pension("P03", dead, "2025-03", "2025-03-05", "3000.00")
                .pension("P04", dead, "2025-04", "2025-04-05", "3000.00")
                .pension("P05", dead, "2025-05", "2025-05-05", "3000.00")
                .pension("P06", dead, "2025-06", "2025-06-05", "3100.50");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals(dead, str(r, "subject_id"));
        assertEquals("person", str(r, "subject_type"));
        assertEquals("employee_pension", str(r, "scheme"));
        assertEquals("2025-05..2025-06", str(r, "period"));
        assertEquals("6100.50", amount(r));
        assertEquals("high", str(r, "severity"));
        assertEquals("1", str(r, "rule_version"));
        String evidence = str(r, "evidence");
        assertTrue(evidence.startsWith("[{\"table\":\"civil_registry\""), evidence);
        assertTrue(evidence.contains("\"payment_id\":\"P05\"") && evidence.contains("\"payment_id\":\"P06\""), evidence);
        assertTrue(!evidence.contains("P04"), evidence);
        assertEquals("2 payments of employee pension covering 2025-05..2025-06 (6,100.50 in total, paid between"
                + " 2025-05-05 and 2025-06-05) went to a person whose death on 2025-04-15 is recorded by the civil"
                + " registry; this scheme pays through the month of death.", str(r, "explanation"));
    }

    @Test
    void paymentForMonthOfDeathIsNotFlaggedThoughPaidAfterTheDeath() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .pension("P04", dead, "2025-04", "2025-05-02", "3000.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void arrearsForMonthsBeforeDeathPaidLaterAreNotFlagged() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .pension("P02", dead, "2025-02", "2025-06-20", "3000.00")
                .pension("P03", dead, "2025-03", "2025-03-05", "3000.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void cancelledDeathRecordIsNotFlagged() {
        var f = new CleanFixtures().cancelledDeath(dead)
                .pension("P05", dead, "2025-05", "2025-05-05", "3000.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void schemePaidThroughDateOfDeathFlagsTheMonthOfDeath() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .pension("P04", dead, "2025-04", "2025-04-05", "3000.00")
                .monthly("C04", dead, "long_term_care", "care_allowance", "2025-04", "2025-04-05", "800.00");
        List<Row> rows = findings(RULE, Map.of("through_date_of_death_schemes", List.of("employee_pension")), f);
        assertEquals(1, rows.size());
        assertEquals("employee_pension", str(rows.get(0), "scheme"));
        assertEquals("2025-04", str(rows.get(0), "period"));
        assertEquals("3000.00", amount(rows.get(0)));
        assertTrue(str(rows.get(0), "explanation").endsWith("this scheme pays only up to the date of death."));
    }

    @Test
    void monthPrecisionDeathComparesMonthsEvenForSchemesPaidThroughTheDate() {
        var f = new CleanFixtures().deceased(dead, "2025-04-01", "month")
                .pension("P04", dead, "2025-04", "2025-04-05", "3000.00")
                .pension("P05", dead, "2025-05", "2025-05-05", "3000.00");
        List<Row> rows = findings(RULE, Map.of("through_date_of_death_schemes", List.of("employee_pension")), f);
        assertEquals(1, rows.size());
        assertEquals("2025-05", str(rows.get(0), "period"));
        assertEquals("high", str(rows.get(0), "severity"));
    }

    @Test
    void yearPrecisionDeathFlagsOnlyPeriodsAfterThatYearAtLowerSeverity() {
        var f = new CleanFixtures().deceased(dead, "2024-01-01", "year")
                .pension("P06", dead, "2024-06", "2024-06-05", "3000.00")
                .pension("P12", dead, "2024-12", "2024-12-05", "3000.00")
                .pension("Q01", dead, "2025-01", "2025-01-05", "3000.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("2025-01", str(rows.get(0), "period"));
        assertEquals("medium", str(rows.get(0), "severity"));
        assertEquals("3000.00", amount(rows.get(0)));
    }

    @Test
    void eachSchemeIsItsOwnFinding() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .pension("P05", dead, "2025-05", "2025-05-05", "3000.00")
                .monthly("C05", dead, "long_term_care", "care_allowance", "2025-05", "2025-05-05", "800.00")
                .monthly("C06", dead, "long_term_care", "care_allowance", "2025-06", "2025-06-05", "800.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(2, rows.size());
        Map<String, String> amountByScheme = Map.of(str(rows.get(0), "scheme"), amount(rows.get(0)),
                str(rows.get(1), "scheme"), amount(rows.get(1)));
        assertEquals(Map.of("employee_pension", "3000.00", "long_term_care", "1600.00"), amountByScheme);
    }
}
