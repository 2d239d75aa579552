package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClaimBeforeCoverageRuleTest extends RuleFixtureTest {
    private static final String RULE = "claim_before_coverage";
    private final String person = CleanFixtures.id(7);

    private static CleanFixtures injury(CleanFixtures f, String paymentId, String person, String eventDate) {
        return f.payment(paymentId, person, "work_injury", "injury_allowance", "2025-03-01", "2025-03-31",
                "2025-04-05", "500.00", "ACC", eventDate);
    }

    @Test
    void injuryBeforeCoverageBeganIsFlagged() {
        var f = new CleanFixtures().alive(person).enrollment(person, "work_injury", "110101", "2025-03-01", null);
        injury(f, "W1", person, "2025-02-10");
        injury(f, "W2", person, "2025-02-10");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("2025-02", str(r, "period"));
        assertEquals("1000.00", amount(r));
        assertEquals("For an event on 2025-02-10 the person received 2 payments of work-injury insurance (1,000.00 in"
                + " total), but no work-injury insurance coverage of the person covers that date (coverage on record:"
                + " 2025-03-01 to open in region 110101).", str(r, "explanation"));
        assertTrue(str(r, "evidence").contains("\"table\":\"enrollment\""), str(r, "evidence"));
    }

    @Test
    void injuryOnTheDayCoverageStartsIsNotFlagged() {
        var f = new CleanFixtures().alive(person).enrollment(person, "work_injury", "110101", "2025-03-01", null);
        injury(f, "W1", person, "2025-03-01");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void injuryAfterCoverageEndedIsFlagged() {
        var f = new CleanFixtures().alive(person)
                .enrollment(person, "work_injury", "110101", "2024-01-01", "2024-12-31");
        injury(f, "W1", person, "2025-01-15");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("2025-01", str(rows.get(0), "period"));
    }

    @Test
    void schemesNotListedAreNotChecked() {
        var f = new CleanFixtures().alive(person)
                .payment("M1", person, "medical", "medical_reimbursement", "2025-03-01", "2025-03-31", "2025-04-05",
                        "500.00", "ACC", "2025-03-10");
        assertEquals(List.of(), findings(RULE, f));
    }
}
