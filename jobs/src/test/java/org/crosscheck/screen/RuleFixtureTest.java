package org.crosscheck.screen;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.crosscheck.SmallQueryTests;

/**
 * Base of the per-rule tests: loads and checks all rule files of rules/screening once per JVM, then runs one rule
 * over a fixture and returns its findings sorted by subject and period.
 */
abstract class RuleFixtureTest extends SmallQueryTests {
    static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
    private static Map<String, SqlRule> rules;

    static synchronized Map<String, SqlRule> rules() {
        if (rules == null) {
            Map<String, SqlRule> m = new HashMap<>();
            for (SqlRule r : ShippedRules.load(spark(), repoRoot().resolve("rules/screening"))) {
                m.put(r.id(), r);
            }
            rules = m;
        }
        return rules;
    }

    List<Row> findings(String ruleId, CleanFixtures fixtures) {
        return findings(ruleId, Map.of(), fixtures);
    }

    List<Row> findings(String ruleId, Map<String, Object> overrides, CleanFixtures fixtures) {
        SqlRule rule = rules().get(ruleId).withOverrides(overrides);
        List<Row> rows = new java.util.ArrayList<>(
                ScreeningEngine.of(spark(), List.of(rule)).run(fixtures.tables(spark()), AS_OF).findings().collectAsList());
        rows.sort(java.util.Comparator.comparing((Row r) -> str(r, "subject_id") + "|" + str(r, "period") + "|"
                + str(r, "scheme")));
        return rows;
    }

    static String str(Row r, String col) {
        return r.getString(r.fieldIndex(col));
    }

    static String amount(Row r) {
        return r.getDecimal(r.fieldIndex("amount_at_risk")).toPlainString();
    }
}
