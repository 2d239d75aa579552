package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class BenefitWhileEmployedRuleTest extends RuleFixtureTest {
    private static final String RULE = "benefit_while_employed";
    private final String person = CleanFixtures.id(6);

    @Test
    void unemploymentBenefitForAMonthWithPensionContributionsIsFlagged() {
        var f = new CleanFixtures().alive(person)
                .contribution(person, "employee_pension", "EMP9", "2025-02")
                .contribution(person, "employee_pension", "EMP9", "2025-03")
                .monthly("U03", person, "unemployment", "unemployment_benefit", "2025-03", "2025-04-02", "1800.00")
                .monthly("U04", person, "unemployment", "unemployment_benefit", "2025-04", "2025-05-02", "1800.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("2025-03", str(r, "period"));
        assertEquals("1800.00", amount(r));
        assertEquals("unemployment", str(r, "scheme"));
        assertTrue(str(r, "evidence").contains("\"employer_id\":\"EMP9\""), str(r, "evidence"));
        assertTrue(str(r, "explanation").contains("employer(s) EMP9"), str(r, "explanation"));
    }

    @Test
    void benefitStartingAfterContributionsStoppedIsNotFlagged() {
        var f = new CleanFixtures().alive(person)
                .contribution(person, "employee_pension", "EMP9", "2025-01")
                .contribution(person, "employee_pension", "EMP9", "2025-02")
                .monthly("U03", person, "unemployment", "unemployment_benefit", "2025-03", "2025-04-02", "1800.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void contributionsToSchemesThatDoNotShowEmploymentDoNotCount() {
        var f = new CleanFixtures().alive(person)
                .contribution(person, "medical", "EMP9", "2025-03")
                .monthly("U03", person, "unemployment", "unemployment_benefit", "2025-03", "2025-04-02", "1800.00");
        assertEquals(List.of(), findings(RULE, f));
    }
}
