package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.Test;

class ScreeningEngineTest extends RuleFixtureTest {
    private static final String TINY = """
            id: tiny
            version: 1.0.0
            title: Large payments
            rationale: Payments above a limit.
            severity: low
            reads: [benefit_payment]
            parameters:
              limit:
                default: 100
                description: Amount above which a payment is reported.
            sql: |
              SELECT 'person' AS subject_type, national_id AS subject_id, 'x' AS period, amount AS amount_at_risk,
                     payment_id
              FROM benefit_payment WHERE amount > ${limit}
            evidence: [payment_id, amount_at_risk]
            explanation: Paid {amount_at_risk} in payment {payment_id}
            """;

    private static Path folderWith(String fileName, String text) {
        Path dir = tempDir("rules");
        write(dir, fileName, text);
        return dir;
    }

    private static void write(Path dir, String fileName, String text) {
        try {
            Files.writeString(dir.resolve(fileName), text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ScreeningEngine load(Path dir, List<String> enabled, List<String> disabled,
                                        Map<String, Map<String, Object>> parameters) {
        return ScreeningEngine.load(spark(),
                new CrossCheckConfig.ScreeningSettings(null, dir.toString(), enabled, disabled, parameters));
    }

    private static String loadError(String fileName, String text) {
        Path dir = folderWith(fileName, text);
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> load(dir, null, null, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(dir.resolve(fileName).toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void allShippedRuleFilesLoad() {
        assertEquals(new TreeSet<>(Set.of("deceased_recipient", "activity_after_death", "duplicate_enrollment_scheme",
                        "duplicate_enrollment_region", "duplicate_payment", "benefit_while_employed",
                        "claim_before_coverage", "shared_bank_account", "identity_conflict", "payee_unknown_to_registry",
                        "amount_outlier")),
                new TreeSet<>(rules().keySet()));
    }

    @Test
    void unknownKeyIsAnErrorNamingTheFile() {
        String msg = loadError("tiny.yaml", TINY + "owner: someone\n");
        assertTrue(msg.contains("unknown key 'owner'"), msg);
    }

    @Test
    void parameterUsedInSqlButNotDeclaredIsAnErrorNamingTheFile() {
        String msg = loadError("tiny.yaml", TINY.replace("amount > ${limit}", "amount > ${limit} AND amount < ${cap}"));
        assertTrue(msg.contains("${cap}"), msg);
    }

    @Test
    void sqlThatDoesNotParseIsAnErrorNamingTheFile() {
        String msg = loadError("tiny.yaml", TINY.replace("FROM benefit_payment WHERE", "FROM benefit_payment WHER"));
        assertTrue(msg.contains("does not parse"), msg);
    }

    @Test
    void unknownTableInReadsIsAnErrorNamingTheFile() {
        String msg = loadError("tiny.yaml", TINY.replace("reads: [benefit_payment]", "reads: [benefit_payments]"));
        assertTrue(msg.contains("unknown table 'benefit_payments'"), msg);
    }

    @Test
    void tableUsedButNotListedUnderReadsIsAnErrorNamingTheFile() {
        String msg = loadError("tiny.yaml", TINY.replace("FROM benefit_payment WHERE",
                "FROM benefit_payment WHERE national_id IN (SELECT national_id FROM civil_registry) AND"));
        assertTrue(msg.contains("must be listed under 'reads'"), msg);
    }

    @Test
    void idThatDiffersFromTheFileNameIsAnError() {
        String msg = loadError("large_payment.yaml", TINY);
        assertTrue(msg.contains("'id' is 'tiny'"), msg);
    }

    @Test
    void explanationPlaceholderThatIsNoOutputColumnIsAnError() {
        String msg = loadError("tiny.yaml", TINY.replace("{payment_id}", "{payment_no}"));
        assertTrue(msg.contains("{payment_no}"), msg);
    }

    @Test
    void overrideOfAnUnknownParameterNamesTheRuleFile() {
        Path dir = folderWith("tiny.yaml", TINY);
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> load(dir, null, null, Map.of("tiny", Map.of("limt", 5))));
        assertTrue(e.getMessage().contains("screening.parameters.tiny.limt"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("tiny.yaml").toString()), e.getMessage());
    }

    @Test
    void overrideOfTheWrongKindIsAnError() {
        Path dir = folderWith("tiny.yaml", TINY);
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> load(dir, null, null, Map.of("tiny", Map.of("limit", "100; DROP TABLE x"))));
        assertTrue(e.getMessage().contains("expects a number"), e.getMessage());
    }

    @Test
    void unknownRuleInSelectionIsAnError() {
        Path dir = folderWith("tiny.yaml", TINY);
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> load(dir, List.of("tinny"), null, null));
        assertTrue(e.getMessage().contains("screening.enabled names unknown rule 'tinny'"), e.getMessage());
    }

    @Test
    void overridesChangeResultsAndFindingsHaveTheDesignSchema() {
        Path dir = folderWith("tiny.yaml", TINY);
        var f = new CleanFixtures().pension("P1", CleanFixtures.id(1), "2025-03", "2025-03-05", "150.00")
                .pension("P2", CleanFixtures.id(2), "2025-03", "2025-03-05", "50.00");
        ScreeningRun defaults = load(dir, null, null, null).run(f.tables(spark()), AS_OF);
        assertEquals(Map.of("tiny", 1L), defaults.countsByRule());
        ScreeningRun lowered = load(dir, null, null, Map.of("tiny", Map.of("limit", 10))).run(f.tables(spark()), AS_OF);
        Dataset<Row> findings = lowered.findings();
        assertEquals(Map.of("tiny", 2L), lowered.countsByRule());
        assertEquals(List.of(Findings.SCHEMA.fieldNames()), List.of(findings.schema().fieldNames()));
        for (StructField field : Findings.SCHEMA.fields()) {
            assertEquals(field.dataType(), findings.schema().apply(field.name()).dataType(), field.name());
        }
        Row r = findings.where("subject_id = '" + CleanFixtures.id(1) + "'").first();
        assertEquals("1.0.0", str(r, "rule_version"));
        assertEquals("low", str(r, "severity"));
        assertEquals("[{\"payment_id\":\"P1\",\"amount_at_risk\":150.00}]", str(r, "evidence"));
        assertEquals("Paid 150.00 in payment P1", str(r, "explanation"));
    }

    @Test
    void disabledRulesDoNotRunAndEnabledSelectsRules() {
        Path dir = folderWith("tiny.yaml", TINY);
        write(dir, "other.yaml", TINY.replace("id: tiny", "id: other"));
        assertEquals(List.of("other"), load(dir, null, List.of("tiny"), null).rules().stream()
                .map(ScreeningRule::id).toList());
        assertEquals(List.of("tiny"), load(dir, List.of("tiny"), null, null).rules().stream()
                .map(ScreeningRule::id).toList());
        var f = new CleanFixtures().pension("P1", CleanFixtures.id(1), "2025-03", "2025-03-05", "150.00");
        ScreeningRun run = load(dir, null, List.of("tiny"), null).run(f.tables(spark()), AS_OF);
        assertEquals(Map.of("other", 1L), run.countsByRule());
    }

    @Test
    void screensCleanedDeltaTablesAndTreatsAMissingTableAsEmpty() {
        Path warehouse = tempDir("screen-wh");
        Tables tables = new Tables(warehouse.toString());
        String ghost = CleanFixtures.id(40);
        var f = new CleanFixtures().pension("G1", ghost, "2025-01", "2025-01-05", "2000.00");
        f.tables(spark()).get(SourceFamily.BENEFIT_PAYMENT).write().format("delta")
                .save(tables.clean(SourceFamily.BENEFIT_PAYMENT));
        SqlRule rule = rules().get("payee_unknown_to_registry");
        ScreeningRun run = ScreeningEngine.of(spark(), List.of(rule)).run(tables, AS_OF);
        List<Row> rows = run.findings().collectAsList();
        assertEquals(1, rows.size());
        assertEquals(ghost, str(rows.get(0), "subject_id"));
    }

    /** A rule written in Java, as record linkage or model scoring will be. */
    private static final class LargePaymentJavaRule implements ScreeningRule {
        public String id() {
            return "large_payment_java";
        }

        public String version() {
            return "2";
        }

        public String title() {
            return "Large payment";
        }

        public String severity() {
            return "low";
        }

        public Set<SourceFamily> reads() {
            return Set.of(SourceFamily.BENEFIT_PAYMENT);
        }

        public Dataset<Row> findings(org.apache.spark.sql.SparkSession spark, ScreeningContext context) {
            return spark.table("benefit_payment").where("amount > 100")
                    .selectExpr("'person' AS subject_type", "national_id AS subject_id",
                            "period_label(period_start, period_end) AS period", "amount AS amount_at_risk");
        }
    }

    @Test
    void javaRuleTakesPartInSelectionAndYieldsTheFindingsSchema() {
        Path dir = folderWith("tiny.yaml", TINY);
        var settings = new CrossCheckConfig.ScreeningSettings(null, dir.toString(), null, List.of("tiny"), null);
        ScreeningEngine engine = ScreeningEngine.load(spark(), settings, List.of(new LargePaymentJavaRule()));
        assertEquals(List.of("large_payment_java"), engine.rules().stream().map(ScreeningRule::id).toList());
        var f = new CleanFixtures().pension("P1", CleanFixtures.id(1), "2025-03", "2025-03-05", "150.00");
        List<Row> rows = engine.run(f.tables(spark()), AS_OF).findings().collectAsList();
        assertEquals(1, rows.size());
        assertEquals(List.of(Findings.SCHEMA.fieldNames()), List.of(rows.get(0).schema().fieldNames()));
        assertEquals("2025-03", str(rows.get(0), "period"));
        assertEquals("2", str(rows.get(0), "rule_version"));
        assertEquals("[]", str(rows.get(0), "evidence"));
    }

    @Test
    void periodLabelIsOneMonthOrARange() {
        assertEquals("2025-03", ScreeningFunctions.periodLabel(java.sql.Date.valueOf("2025-03-01"),
                java.time.LocalDate.of(2025, 3, 31)));
        assertEquals("2025-03..2025-06", ScreeningFunctions.periodLabel(java.sql.Date.valueOf("2025-03-01"),
                java.sql.Date.valueOf("2025-06-30")));
        assertEquals("employee pension", ScreeningFunctions.schemeName("employee_pension"));
    }

    @Test
    void parameterValuesBecomeLiteralsThatCannotChangeTheQuery() {
        assertEquals("'O\\'Brien\\\\'", ParameterValues.literal("O'Brien\\"));
        assertEquals("('a', 'b')", ParameterValues.literal(List.of("a", "b")));
        assertEquals("(('a', 'b'))", ParameterValues.literal(List.of(List.of("a", "b"))));
        assertEquals("(NULL)", ParameterValues.literal(List.of()));
        assertEquals("12.5", ParameterValues.literal(12.5));
        assertEquals("4", ParameterValues.literal(4));
        assertEquals("TRUE", ParameterValues.literal(true));
        assertEquals("x > DATE'2025-12-31'", ParameterValues.substitute("x > ${as_of_date}", Map.of(), AS_OF));
    }
}
