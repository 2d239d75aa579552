package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PayeeUnknownToRegistryRuleTest extends RuleFixtureTest {
    private static final String RULE = "payee_unknown_to_registry";

    @Test
    void paymentsToANumberTheRegistryDoesNotKnowAreFlaggedWithTheirSum() {
        String ghost = CleanFixtures.id(40);
        var f = new CleanFixtures().alive(CleanFixtures.id(41))
                .pension("G1", ghost, "2025-01", "2025-01-05", "2000.00")
                .pension("G2", ghost, "2025-02", "2025-02-05", "2000.00")
                .pension("K1", CleanFixtures.id(41), "2025-01", "2025-01-05", "2000.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals(ghost, str(r, "subject_id"));
        assertEquals("2025-01..2025-02", str(r, "period"));
        assertEquals("4000.00", amount(r));
        assertEquals("high", str(r, "severity"));
    }

    @Test
    void personsKnownToTheRegistryInAnyStatusAreNotFlagged() {
        String cancelled = CleanFixtures.id(42);
        String dead = CleanFixtures.id(43);
        var f = new CleanFixtures().cancelledDeath(cancelled).deceased(dead, "2025-01-10", "day")
                .pension("C1", cancelled, "2025-01", "2025-01-05", "2000.00")
                .pension("D1", dead, "2025-01", "2025-01-05", "2000.00");
        assertEquals(List.of(), findings(RULE, f));
    }
}
