package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ActivityAfterDeathRuleTest extends RuleFixtureTest {
    private static final String RULE = "activity_after_death";
    private final String dead = CleanFixtures.id(2);

    @Test
    void contributionsForMonthsAfterTheMonthOfDeathAreFlagged() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .contribution(dead, "employee_pension", "EMP1", "2025-04")
                .contribution(dead, "employee_pension", "EMP1", "2025-05")
                .contribution(dead, "employee_pension", "EMP1", "2025-06");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("2025-05..2025-06", str(r, "period"));
        assertEquals("medium", str(r, "severity"));
        assertEquals("0.00", amount(r));
        assertTrue(str(r, "explanation").startsWith("2 contribution month(s) under employee pension dated"
                + " 2025-05..2025-06 come after the death on 2025-04-15"), str(r, "explanation"));
    }

    @Test
    void contributionForTheMonthOfDeathIsNotFlagged() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .contribution(dead, "employee_pension", "EMP1", "2025-04");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void enrollmentAndInjuryClaimAfterDeathAreFlaggedWithTheClaimAmount() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .enrollment(dead, "work_injury", "110101", "2025-05-01", null)
                .payment("W1", dead, "work_injury", "injury_allowance", "2025-06-01", "2025-06-30", "2025-07-01",
                        "500.00", "ACC", "2025-06-01");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("work_injury", str(rows.get(0), "scheme"));
        assertEquals("2025-05..2025-06", str(rows.get(0), "period"));
        assertEquals("500.00", amount(rows.get(0)));
    }

    @Test
    void funeralGrantAfterDeathIsNotActivity() {
        var f = new CleanFixtures().deceased(dead, "2025-04-15", "day")
                .payment("F1", dead, "employee_pension", "funeral_grant", "2025-04-01", "2025-04-30", "2025-05-10",
                        "5000.00", "ACC", "2025-04-20");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void yearPrecisionDeathCountsOnlyActivityAfterThatYearAtLowSeverity() {
        var f = new CleanFixtures().deceased(dead, "2024-01-01", "year")
                .contribution(dead, "employee_pension", "EMP1", "2024-11")
                .contribution(dead, "employee_pension", "EMP1", "2025-02");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("2025-02", str(rows.get(0), "period"));
        assertEquals("low", str(rows.get(0), "severity"));
    }

    @Test
    void activityOfAPersonWhoseDeathWasCancelledIsNotFlagged() {
        var f = new CleanFixtures().cancelledDeath(dead)
                .contribution(dead, "employee_pension", "EMP1", "2025-06");
        assertEquals(List.of(), findings(RULE, f));
    }
}
