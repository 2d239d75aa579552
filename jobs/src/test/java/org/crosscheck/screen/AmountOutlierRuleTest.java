package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class AmountOutlierRuleTest extends RuleFixtureTest {
    private static final String RULE = "amount_outlier";

    /** {@code count} ordinary pensions for March 2025 in {@code region}, 3,000.00 to 3,000 + 10 x (count-1). */
    private static CleanFixtures peers(CleanFixtures f, String region, int firstPerson, int count) {
        for (int i = 0; i < count; i++) {
            String id = CleanFixtures.id(firstPerson + i);
            f.paymentIn(region, "P" + region + "-" + i, id, "employee_pension", "basic_pension", "2025-03-01",
                    "2025-03-31", "2025-03-10", String.valueOf(3000 + 10 * i) + ".00", "ACC" + region + i, null);
        }
        return f;
    }

    @Test
    void paymentFarAboveItsPeersIsFlaggedWithRobustDeviationsInWords() {
        var f = peers(new CleanFixtures(), "440106", 100, 40);
        f.paymentIn("440106", "PBIG", CleanFixtures.id(500), "employee_pension", "basic_pension", "2025-03-01",
                "2025-03-31", "2025-03-10", "41520.00", "ACCBIG", null);

        List<Row> rows = findings(RULE, f);

        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals(CleanFixtures.id(500), str(r, "subject_id"));
        assertEquals("2025-03", str(r, "period"));
        assertEquals("high", str(r, "severity"), "more than three times the threshold");
        String text = str(r, "explanation");
        assertTrue(text.startsWith("41,520.00 is ") && text.contains("robust deviations above the median")
                && text.contains("of 41 peers (employee pension, basic pension, region 440106, 2025-03)"), text);
        assertTrue(str(r, "evidence").contains("\"payment_id\":\"PBIG\""), str(r, "evidence"));
    }

    @Test
    void ordinaryVariationIsNotFlagged() {
        assertEquals(List.of(), findings(RULE, peers(new CleanFixtures(), "440106", 100, 40)));
    }

    @Test
    void smallPeerGroupFallsBackToAllRegionsInsteadOfFlaggingNoise() {
        var f = peers(new CleanFixtures(), "440104", 100, 35);
        // region 440111 has only three payments, one of them large
        f.paymentIn("440111", "PX1", CleanFixtures.id(300), "employee_pension", "basic_pension", "2025-03-01",
                "2025-03-31", "2025-03-10", "3100.00", "ACCX1", null);
        f.paymentIn("440111", "PX2", CleanFixtures.id(301), "employee_pension", "basic_pension", "2025-03-01",
                "2025-03-31", "2025-03-10", "3150.00", "ACCX2", null);
        f.paymentIn("440111", "PX3", CleanFixtures.id(302), "employee_pension", "basic_pension", "2025-03-01",
                "2025-03-31", "2025-03-10", "39000.00", "ACCX3", null);

        List<Row> rows = findings(RULE, f);

        assertEquals(1, rows.size());
        assertEquals(CleanFixtures.id(302), str(rows.get(0), "subject_id"));
        assertTrue(str(rows.get(0), "explanation").contains("of 38 peers (employee pension, basic pension, all regions, 2025-03)"),
                str(rows.get(0), "explanation"));
        // when no group is large enough, nothing is judged
        assertEquals(List.of(), findings(RULE, Map.of("min_peers", 100), f));
    }

    @Test
    void paymentManyTimesThePersonsUsualAmountIsFlagged() {
        var f = new CleanFixtures();
        // amounts vary widely between people, so 6,000.00 is unremarkable among peers
        for (int i = 0; i < 40; i++) {
            f.paymentIn("440106", "Q" + i, CleanFixtures.id(600 + i), "unemployment", "unemployment_benefit",
                    "2025-03-01", "2025-03-31", "2025-03-10", String.valueOf(800 + 200 * i) + ".00", "ACCQ" + i, null);
        }
        String id = CleanFixtures.id(700);
        for (String month : new String[] {"2024-11", "2024-12", "2025-01", "2025-02"}) {
            f.paymentIn("440106", "H" + month, id, "unemployment", "unemployment_benefit", month + "-01",
                    java.time.YearMonth.parse(month).atEndOfMonth().toString(), month + "-10", "1000.00", "ACCH", null);
        }
        f.paymentIn("440106", "HBIG", id, "unemployment", "unemployment_benefit", "2025-03-01", "2025-03-31",
                "2025-03-10", "6000.00", "ACCH", null);

        List<Row> rows = findings(RULE, f);

        assertEquals(1, rows.size());
        assertEquals(id, str(rows.get(0), "subject_id"));
        assertTrue(str(rows.get(0), "explanation").contains("times this person's usual 1,000.00 over 5 payments"),
                str(rows.get(0), "explanation"));
    }
}
