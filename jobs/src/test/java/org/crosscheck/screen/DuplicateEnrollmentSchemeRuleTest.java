package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DuplicateEnrollmentSchemeRuleTest extends RuleFixtureTest {
    private static final String RULE = "duplicate_enrollment_scheme";
    private final String person = CleanFixtures.id(3);

    @Test
    void overlappingExclusiveCoverageIsFlaggedWithTheSecondSchemesPayments() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2024-01-01", null)
                .enrollment(person, "urban_rural_resident_pension", "110101", "2025-03-01", "2025-05-31")
                .monthly("R03", person, "urban_rural_resident_pension", "basic_pension", "2025-03", "2025-03-10", "200.00")
                .monthly("R04", person, "urban_rural_resident_pension", "basic_pension", "2025-04", "2025-04-10", "200.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals(person, str(r, "subject_id"));
        assertEquals("urban_rural_resident_pension", str(r, "scheme"));
        assertEquals("2025-03..2025-05", str(r, "period"));
        assertEquals("400.00", amount(r));
        assertTrue(str(r, "evidence").contains("\"payment_id\":\"R04\""), str(r, "evidence"));
        assertTrue(str(r, "explanation").contains("both employee pension and urban-rural resident pension in 3"
                + " month(s)"), str(r, "explanation"));
    }

    @Test
    void switchingFromOneSchemeToTheOtherIsNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2020-01-01", "2025-02-28")
                .enrollment(person, "urban_rural_resident_pension", "110101", "2025-03-01", null);
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void paymentsFromBothSchemesForTheSameMonthAreFlaggedWithoutEnrollments() {
        var f = new CleanFixtures().alive(person)
                .monthly("E03", person, "employee_pension", "basic_pension", "2025-03", "2025-03-10", "3000.00")
                .monthly("R03", person, "urban_rural_resident_pension", "basic_pension", "2025-03", "2025-03-10", "180.00")
                .monthly("R04", person, "urban_rural_resident_pension", "basic_pension", "2025-04", "2025-04-10", "180.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("2025-03", str(rows.get(0), "period"));
        assertEquals("180.00", amount(rows.get(0)));
    }

    @Test
    void schemesThatMayBeHeldTogetherAreNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2024-01-01", null)
                .enrollment(person, "medical", "110101", "2024-01-01", null);
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void exclusivePairsFromTheDeploymentReplaceTheDefault() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "employee_pension", "110101", "2024-01-01", null)
                .enrollment(person, "urban_rural_resident_pension", "110101", "2025-03-01", "2025-05-31");
        assertEquals(List.of(), findings(RULE, java.util.Map.of("exclusive_pairs", List.of()), f));
        assertEquals(List.of(), findings(RULE, java.util.Map.of("exclusive_pairs",
                List.of(List.of("unemployment", "employee_pension"))), f));
    }
}
