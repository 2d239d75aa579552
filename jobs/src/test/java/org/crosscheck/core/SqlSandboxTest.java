package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.crosscheck.SparkTestSupport;
import org.crosscheck.screen.RuleFiles;
import org.crosscheck.validate.QualityRules;
import org.junit.jupiter.api.Test;

/** Rule SQL may read only its declared tables and call only pure functions; checked at load, without Spark. */
class SqlSandboxTest extends SparkTestSupport {
    private static final Set<String> NONE = Set.of();

    @Test
    void theMaliciousRuleFileFromTheIssueIsRefusedAtLoadNamingTheFile() throws Exception {
        Path dir = tempDir("sandbox");
        Path file = dir.resolve("leak_key.yaml");
        Files.writeString(file, """
                id: leak_key
                version: 1
                title: Leak
                rationale: Reads the environment and a local file.
                severity: low
                reads: [civil_registry]
                sql: |
                  SELECT 'person' AS subject_type, java_method('java.lang.System', 'getenv', 'CROSSCHECK_PSEUDONYM_KEY') AS subject_id,
                         CAST(NULL AS STRING) AS scheme, value AS region, CAST(NULL AS STRING) AS period,
                         CAST(0 AS DECIMAL(18,2)) AS amount_at_risk, '[]' AS evidence, 'x' AS explanation
                  FROM text.`/etc/passwd` JOIN civil_registry ON true
                """);
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> RuleFiles.read(file));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("java_method()"), e.getMessage());
        assertTrue(e.getMessage().contains("`text`.`/etc/passwd`"), e.getMessage());
    }

    @Test
    void aParameterOverrideCannotSmuggleInAnEnvironmentVariable() {
        org.crosscheck.screen.SqlRule rule = RuleFiles.read(repoRoot().resolve("rules/screening/deceased_recipient.yaml"));
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> rule.withOverrides(java.util.Map.of("year_precision_severity", "${env:CROSSCHECK_PSEUDONYM_KEY}")));
        assertTrue(e.getMessage().contains("${"), e.getMessage());
    }

    @Test
    void everyCommittedScreeningAndQualityRulePassesTheSandbox() {
        assertTrue(RuleFiles.load(repoRoot().resolve("rules/screening")).size() >= 10);
        for (SourceFamily f : SourceFamily.values()) {
            QualityRules.load(repoRoot().resolve("rules/quality"), f);
        }
    }

    @Test
    void jvmFileAndEnvironmentReachingSqlIsRefused() {
        List<String> reads = List.of("civil_registry");
        assertRefused("SELECT reflect('java.lang.System', 'getenv', 'HOME') FROM civil_registry", reads, "reflect()");
        assertRefused("SELECT try_reflect('java.lang.System', 'exit', 1) FROM civil_registry", reads, "try_reflect()");
        assertRefused("SELECT current_user() FROM civil_registry", reads, "current_user()");
        assertRefused("SELECT * FROM parquet.`/tmp/x`", reads, "`parquet`.`/tmp/x`");
        assertRefused("SELECT * FROM delta.`/warehouse/clean/benefit_payment`", reads, "`delta`");
        assertRefused("SELECT * FROM benefit_payment", reads, "'benefit_payment', which is not listed under 'reads'");
        assertRefused("SELECT * FROM spark_catalog.default.civil_registry", reads, "catalog or database");
        assertRefused("SELECT * FROM range(10)", reads, "table-valued function");
        assertRefused("SELECT * FROM read_files('/etc')", reads, "table-valued function");
        assertRefused("SELECT * FROM IDENTIFIER('benefit_payment')", reads, "not listed under 'reads'");
        assertRefused("SELECT * FROM IDENTIFIER(concat('benefit', '_payment'))", reads, "IDENTIFIER");
        assertRefused("SELECT '${env:CROSSCHECK_PSEUDONYM_KEY}' AS k FROM civil_registry", reads, "${");
        assertRefused("SELECT my_udf(national_id) FROM civil_registry", reads, "my_udf()");
        assertRefused("SELECT rank() OVER w FROM civil_registry WINDOW w AS (PARTITION BY java_method('a', 'b'))",
                reads, "java_method()");
        assertRefused("SELECT 1 FROM civil_registry WHERE EXISTS (SELECT 1 FROM enrollment)", reads, "'enrollment'");
        assertRefused("DROP TABLE civil_registry", reads, "");
        assertRefused("INSERT INTO civil_registry SELECT * FROM civil_registry", reads, "statement");
    }

    @Test
    void ordinaryRuleSqlIsAccepted() {
        assertEquals(List.of(), SqlSandbox.queryProblems("""
                WITH d AS (SELECT national_id, max(death_date) AS dd FROM civil_registry GROUP BY national_id)
                SELECT p.national_id, period_label(min(p.period_start), max(p.period_end)) AS period,
                       row_number() OVER (PARTITION BY p.national_id ORDER BY p.paid_date) AS n, input_file_name() AS f,
                       filter(collect_list(p.amount), a -> a > 0) AS amounts
                FROM benefit_payment p JOIN d ON d.national_id = p.national_id
                LATERAL VIEW explode(array(1, 2)) t AS v
                WHERE p.amount > 0 AND EXISTS (SELECT 1 FROM d d2 WHERE d2.national_id = p.national_id)
                GROUP BY p.national_id, p.paid_date
                """, List.of("civil_registry", "benefit_payment"), Set.of("period_label")));
    }

    @Test
    void qualityExpressionsMayNotReadTablesOrReachTheJvm() throws Exception {
        assertEquals(List.of(), SqlSandbox.expressionProblems("coalesce(a, 0) + b <= c AND cc_nfkc(x) IS NOT NULL",
                Set.of("cc_nfkc")));
        assertTrue(SqlSandbox.expressionProblems("java_method('java.lang.System', 'getenv', 'X') IS NULL", NONE)
                .get(0).contains("java_method()"));
        assertTrue(SqlSandbox.expressionProblems("EXISTS (SELECT 1 FROM text.`/etc/passwd`)", NONE)
                .get(0).contains("`text`.`/etc/passwd`"));
        Path dir = tempDir("sandbox-quality");
        Path file = dir.resolve("civil_registry.yaml");
        Files.writeString(file, """
                family: civil_registry
                checks:
                  - name: leak
                    criticality: warn
                    check: expression
                    arguments: {sql: "reflect('java.lang.System', 'getenv', 'HOME') IS NULL"}
                    message: never
                """);
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> QualityRules.load(dir, SourceFamily.CIVIL_REGISTRY));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("check 'leak'")
                && e.getMessage().contains("reflect()"), e.getMessage());
    }

    private static void assertRefused(String sql, List<String> reads, String expected) {
        List<String> p = SqlSandbox.queryProblems(sql, reads, Set.of("period_label"));
        assertTrue(!p.isEmpty() && String.join("\n", p).contains(expected), sql + " -> " + p);
    }
}
