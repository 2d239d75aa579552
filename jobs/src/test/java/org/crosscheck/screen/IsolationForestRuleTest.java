package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.anomaly.IsolationForestRule;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.junit.jupiter.api.Test;

class IsolationForestRuleTest extends RuleFixtureTest {
    private static final String BIG = CleanFixtures.id(900);
    private static final String SPLIT = CleanFixtures.id(901);
    private static final String[] MONTHS = {"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"};
    private static CleanFixtures fixture;

    /**
     * 60 pensioners paid 3,000 + 10 x i every month of 2025-01..06 into their own account (360 person-months), plus
     * two odd months: BIG is paid 41,520.00 once in 2025-04; SPLIT's usual pension is split over three accounts
     * in 2025-05.
     */
    static synchronized CleanFixtures fixture() {
        if (fixture == null) {
            CleanFixtures f = new CleanFixtures();
            for (int i = 0; i < 60; i++) {
                String id = CleanFixtures.id(100 + i);
                f.alive(id);
                for (String m : MONTHS) {
                    f.payment("P" + i + m, id, "employee_pension", "basic_pension", m + "-01",
                            java.time.YearMonth.parse(m).atEndOfMonth().toString(), m + "-10", (3000 + 10 * i) + ".00",
                            "ACC" + i, null);
                }
            }
            f.alive(BIG).alive(SPLIT);
            for (String m : MONTHS) {
                f.payment("B" + m, BIG, "employee_pension", "basic_pension", m + "-01",
                        java.time.YearMonth.parse(m).atEndOfMonth().toString(), m + "-10",
                        m.equals("2025-04") ? "41520.00" : "3300.00", "ACCB", null);
                if (m.equals("2025-05")) {
                    for (int k = 1; k <= 3; k++) {
                        f.payment("S" + m + k, SPLIT, "employee_pension", "basic_pension", m + "-01", m + "-31",
                                m + "-10", "1100.00", "ACCS" + k, null);
                    }
                } else {
                    f.payment("S" + m, SPLIT, "employee_pension", "basic_pension", m + "-01",
                            java.time.YearMonth.parse(m).atEndOfMonth().toString(), m + "-10", "3300.00", "ACCS", null);
                }
            }
            fixture = f;
        }
        return fixture;
    }

    private static List<Row> run(ScreeningRule rule) {
        Dataset<Row> f = ScreeningEngine.of(spark(), List.of(rule)).run(fixture().tables(spark()), AS_OF).findings();
        assertFindingsSchema(f);
        List<Row> rows = new ArrayList<>(f.collectAsList());
        rows.sort(Comparator.comparing((Row r) -> str(r, "subject_id") + "|" + str(r, "period")));
        return rows;
    }

    /** Names and types of design.md's findings, in order (nullability is the engine's business). */
    static void assertFindingsSchema(Dataset<Row> f) {
        assertEquals(Findings.SCHEMA.toDDL().replace(" NOT NULL", ""), f.schema().toDDL().replace(" NOT NULL", ""));
        assertEquals(List.of(Findings.SCHEMA.fieldNames()), List.of(f.schema().fieldNames()));
    }

    private static IsolationForestRule rule(Map<String, Object> overrides) {
        return (IsolationForestRule) new IsolationForestRule().withOverrides(overrides);
    }

    private static Row of(List<Row> rows, String id, String period) {
        return rows.stream().filter(r -> str(r, "subject_id").equals(id) && str(r, "period").equals(period))
                .findFirst().orElseThrow(() -> new AssertionError("no finding for " + id + " " + period + " in " + rows));
    }

    @Test
    void oddMonthsAreFlaggedWithTheFeaturesThatMakeThemOdd() {
        List<Row> rows = run(rule(Map.of("top_k", 2)));

        assertEquals(2, rows.size(), rows.toString());
        Row big = of(rows, BIG, "2025-04");
        assertEquals("anomaly_score", str(big, "rule_id"));
        assertEquals("1", str(big, "rule_version"));
        assertEquals("person", str(big, "subject_type"));
        assertEquals("employee_pension", str(big, "scheme"));
        assertEquals(CleanFixtures.REGION, str(big, "region"));
        BigDecimal median = new BigDecimal("3300.00"); // 62 peers (372 person-months) paid 3,000 .. 3,590 and 3,300 (x2)
        assertTrue(big.getDecimal(big.fieldIndex("amount_at_risk")).subtract(new BigDecimal("41520.00").subtract(median))
                .abs().compareTo(new BigDecimal("20")) < 0, amount(big));
        String text = str(big, "explanation");
        assertTrue(text.startsWith("Unusual pattern (score 0."), text);
        assertTrue(text.contains("in the top 2 of 372 person-months): amount 41,520.00 is "), text);
        assertTrue(text.contains("times the peer median") && text.contains("times this person's own median month"),
                text);
        assertTrue(text.endsWith("A lead for review, not a decision: check the payments listed in the evidence"
                + " against their basis."), text);
        String evidence = str(big, "evidence");
        assertTrue(evidence.startsWith("[{\"record\":\"person_month\"") && evidence.contains("\"payment_ids\":[\"B2025-04\"]")
                && evidence.contains("\"score\":0.") && evidence.contains("\"bank_accounts\":1.0")
                && evidence.contains("\"peer_median_amount\":"), evidence);

        Row split = of(rows, SPLIT, "2025-05");
        String splitText = str(split, "explanation");
        assertTrue(splitText.contains("): 3 payments this month where peers have 1")
                || splitText.contains("): 3 bank accounts used this month where peers have 1"), splitText);
        assertTrue(splitText.contains("3 bank accounts used this month where peers have 1"), splitText);
        assertEquals(0, split.getDecimal(split.fieldIndex("amount_at_risk")).signum(), "paid the usual amount");
    }

    @Test
    void alertBudgetLimitsTheFindings() {
        assertEquals(5, run(rule(Map.of("top_k", 5))).size());
        List<Row> strict = run(rule(Map.of("budget", "threshold", "min_score", 0.99)));
        assertEquals(0, strict.size(), strict.toString());
    }

    @Test
    void sameSeedGivesTheSameFindings() {
        List<Row> first = run(rule(Map.of("top_k", 4, "seed", 7)));
        List<Row> second = run(rule(Map.of("top_k", 4, "seed", 7)));
        assertEquals(first, second);
    }

    @Test
    void engineAppliesOverridesAndSelectionToTheJavaRule() {
        var settings = new CrossCheckConfig.ScreeningSettings(null, repoRoot().resolve("rules/screening").toString(),
                List.of("anomaly_score"), null, Map.of("anomaly_score", Map.of("top_k", 3, "budget", "top_k")));
        ScreeningEngine engine = ScreeningEngine.load(spark(), settings, AnomalyRules.all());
        assertEquals(1, engine.rules().size());
        assertEquals(3, ((IsolationForestRule) engine.rules().get(0)).topK());

        var unknown = new CrossCheckConfig.ScreeningSettings(null, repoRoot().resolve("rules/screening").toString(),
                null, null, Map.of("anomaly_score", Map.of("top_n", 3)));
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> ScreeningEngine.load(spark(), unknown, AnomalyRules.all()));
        assertTrue(e.getMessage().contains("screening.parameters.anomaly_score.top_n"), e.getMessage());

        CrossCheckException bad = assertThrows(CrossCheckException.class,
                () -> rule(Map.of("budget", "everything")));
        assertTrue(bad.getMessage().toLowerCase(Locale.ROOT).contains("budget must be one of"), bad.getMessage());
        // rules/screening/java/anomaly_score.md describes the rule and is not read as a rule file
        assertTrue(RuleFiles.load(repoRoot().resolve("rules/screening")).stream()
                .noneMatch(r -> r.id().equals("anomaly_score")));
    }

    @Test
    void noPaymentsGiveNoFindings() {
        Dataset<Row> f = ScreeningEngine.of(spark(), List.of(new IsolationForestRule()))
                .run(new CleanFixtures().tables(spark()), AS_OF).findings();
        assertFindingsSchema(f);
        assertEquals(0, f.count());
    }
}
