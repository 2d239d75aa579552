package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DuplicateEnrollmentRegionRuleTest extends RuleFixtureTest {
    private static final String RULE = "duplicate_enrollment_region";
    private final String person = CleanFixtures.id(4);

    @Test
    void coverageInTwoRegionsOverlappingForMonthsIsFlagged() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2024-01-01", null)
                .enrollment(person, "employee_pension", "310101", "2025-01-01", null)
                .paymentIn("110101", "A02", person, "employee_pension", "basic_pension", "2025-02-01", "2025-02-28", "2025-02-05",
                        "1000.00", "ACC", null)
                .paymentIn("310101", "B02", person, "employee_pension", "basic_pension", "2025-02-01", "2025-02-28", "2025-02-06",
                        "1000.00", "ACC", null)
                .paymentIn("310101", "B03", person, "employee_pension", "basic_pension", "2025-03-01", "2025-03-31",
                        "2025-03-06", "1000.00", "ACC", null);
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("2025-01..2025-12", str(r, "period"));
        assertEquals("employee_pension", str(r, "scheme"));
        // only February was paid by both regions; March by the new region alone is not a double payment
        assertEquals("1000.00", amount(r));
        assertEquals("310101", str(r, "region"));
    }

    @Test
    void transferWhereOldCoverageEndsBeforeTheNewOneStartsIsNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2020-01-01", "2025-02-28")
                .enrollment(person, "employee_pension", "310101", "2025-03-01", null);
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void overlapOfOneMonthIsNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2020-01-01", "2025-03-31")
                .enrollment(person, "employee_pension", "310101", "2025-03-01", null);
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void overlapOfTwoMonthsIsFlaggedUnlessGraceMonthsIsRaised() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2020-01-01", "2025-04-30")
                .enrollment(person, "employee_pension", "310101", "2025-03-01", null);
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("2025-03..2025-04", str(rows.get(0), "period"));
        assertEquals(List.of(), findings(RULE, Map.of("grace_months", 2), f));
    }
}
