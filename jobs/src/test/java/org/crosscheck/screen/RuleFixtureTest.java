package org.crosscheck.screen;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;

/**
 * Base of the per-rule tests: loads and checks all rule files of rules/screening once per JVM, then runs one rule
 * over a fixture and returns its findings sorted by subject and period.
 */
abstract class RuleFixtureTest extends SparkTestSupport {
    static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
    private static Map<String, SqlRule> rules;

    static synchronized Map<String, SqlRule> rules() {
        if (rules == null) {
            var settings = new CrossCheckConfig.ScreeningSettings(null,
                    repoRoot().resolve("rules/screening").toString(), null, null, null);
            Map<String, SqlRule> m = new HashMap<>();
            for (ScreeningRule r : ScreeningEngine.load(spark(), settings).rules()) {
                m.put(r.id(), (SqlRule) r);
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
        return ScreeningEngine.of(spark(), List.of(rule)).run(fixtures.tables(spark()), AS_OF).findings()
                .orderBy("subject_id", "period").collectAsList();
    }

    static String str(Row r, String col) {
        return r.getString(r.fieldIndex(col));
    }

    static String amount(Row r) {
        return r.getDecimal(r.fieldIndex("amount_at_risk")).toPlainString();
    }
}
