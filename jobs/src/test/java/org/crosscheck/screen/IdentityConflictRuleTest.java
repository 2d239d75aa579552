package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class IdentityConflictRuleTest extends RuleFixtureTest {
    private static final String RULE = "identity_conflict";
    private final String man = CleanFixtures.id(LocalDate.of(1960, 5, 5), true);

    @Test
    void registryBirthDateDifferentFromTheNumberIsFlagged() {
        var f = new CleanFixtures().person(man, "M", "1960-06-05", "alive", null, null)
                .pension("P1", man, "2025-03", "2025-03-05", "2500.00");
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("medium", str(r, "severity"));
        assertEquals("1960-06", str(r, "period"));
        assertEquals("2500.00", amount(r));
        assertEquals("The civil registry records identity number " + man + " with birth date 1960-06-05 while the"
                + " number says 1960-05-05. Payments to this number so far: 2,500.00.", str(r, "explanation"));
    }

    @Test
    void sexContradictingTheNumberAloneIsLowSeverity() {
        var f = new CleanFixtures().person(man, "F", "1960-05-05", "alive", null, null);
        List<Row> rows = findings(RULE, f);
        assertEquals(1, rows.size());
        assertEquals("low", str(rows.get(0), "severity"));
        assertEquals("0.00", amount(rows.get(0)));
    }

    @Test
    void consistentRecordsAndUnknownSexAreNotFlagged() {
        String woman = CleanFixtures.id(LocalDate.of(1971, 2, 28), false);
        var f = new CleanFixtures().person(man, "M", "1960-05-05", "alive", null, null)
                .person(woman, "U", "1971-02-28", "deceased", "2024-02-01", "day");
        assertEquals(List.of(), findings(RULE, f));
    }
}
