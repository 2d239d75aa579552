package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SharedBankAccountRuleTest extends RuleFixtureTest {
    private static final String RULE = "shared_bank_account";

    private static CleanFixtures paidInto(CleanFixtures f, String account, int person, String paymentDate) {
        String id = CleanFixtures.id(person);
        return f.alive(id).payment("P" + person + paymentDate, id, "employee_pension", "basic_pension", "2025-03-01",
                "2025-03-31", paymentDate, "1000.00", account, null);
    }

    @Test
    void accountPaidForFourPeopleIsFlagged() {
        var f = new CleanFixtures();
        for (int p = 10; p < 14; p++) {
            paidInto(f, "6222000011112222", p, "2025-03-05");
        }
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("account", str(r, "subject_type"));
        assertEquals("6222000011112222", str(r, "subject_id"));
        assertEquals("4000.00", amount(r));
        assertEquals("2025-03", str(r, "period"));
        assertEquals("employee_pension", str(r, "scheme"));
        for (int p = 10; p < 14; p++) {
            assertTrue(str(r, "evidence").contains(CleanFixtures.id(p)), str(r, "evidence"));
        }
        assertTrue(str(r, "explanation").contains("4,000.00 for 4 different people"), str(r, "explanation"));
    }

    @Test
    void coupleSharingAnAccountIsNotFlagged() {
        var f = new CleanFixtures();
        paidInto(f, "6222000033334444", 20, "2025-03-05");
        paidInto(f, "6222000033334444", 21, "2025-03-05");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void windowMonthsLeavesOutOlderPayments() {
        var f = new CleanFixtures();
        paidInto(f, "6222000055556666", 30, "2024-01-05");
        paidInto(f, "6222000055556666", 31, "2024-01-05");
        paidInto(f, "6222000055556666", 32, "2025-11-05");
        paidInto(f, "6222000055556666", 33, "2025-11-05");
        assertEquals(1, findings(RULE, f).size());
        assertEquals(List.of(), findings(RULE, Map.of("window_months", 12), f));
    }
}
