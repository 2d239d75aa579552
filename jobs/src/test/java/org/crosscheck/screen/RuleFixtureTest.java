package org.crosscheck.screen;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the per-rule tests: loads and checks all rule files of rules/screening once per JVM, then runs one rule
 * over a fixture and returns its findings sorted by subject and period.
 */
abstract class RuleFixtureTest extends SparkTestSupport {
    static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
    private static Map<String, SqlRule> rules;

    /**
     * Fixtures are a handful of rows: interpreted expressions and one shuffle partition spare the compile and
     * scheduling time that dominates such queries. Restored after each class, as the session is shared.
     */
    private static final Map<String, String> FAST = Map.of("spark.sql.codegen.wholeStage", "false",
            "spark.sql.codegen.factoryMode", "NO_CODEGEN", "spark.sql.shuffle.partitions", "1");
    private static final Map<String, String> saved = new HashMap<>();

    @BeforeAll
    static void smallQueries() {
        FAST.forEach((k, v) -> {
            saved.put(k, spark().conf().get(k, null));
            spark().conf().set(k, v);
        });
    }

    @AfterAll
    static void restoreSettings() {
        saved.forEach((k, v) -> {
            if (v == null) {
                spark().conf().unset(k);
            } else {
                spark().conf().set(k, v);
            }
        });
        saved.clear();
    }

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
