package org.crosscheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run report on fixture tables written in the case model's schema (docs: the case contract of issue #11): three
 * runs, cases new, still open, no longer found, reopened and back for review, two rules flagging the same money.
 */
class RunReportTest extends SparkTestSupport {
    static final String R0 = "20260101T000000Z-0000";
    static final String R1 = "20260201T000000Z-1111";
    static final String R2 = "20260301T000000Z-2222";

    private static Tables tables;
    private static RunReport.Written written;
    private static Map<String, String> cells;

    @BeforeAll
    static void writeFixturesAndReport() throws IOException {
        Path root = tempDir("run-report");
        tables = new Tables(root.resolve("warehouse").toString());
        CaseFixtures.write(spark(), tables);
        written = RunReport.write(spark(), tables, root.resolve("reports"), null);
        cells = ReportCells.of(Files.readString(written.page()));
        // kept for a look in a browser
        Path kept = repoRoot().resolve("jobs/target/run-report-fixture.html");
        Files.createDirectories(kept.getParent());
        Files.copy(written.page(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void reportIsAboutTheLatestRunAndWrittenTwice() throws IOException {
        assertEquals(R2, written.figures().runId());
        assertEquals(R1, written.figures().previousRunId());
        assertTrue(written.page().endsWith(Path.of(R2, "index.html")));
        assertEquals(Files.readString(written.page()), Files.readString(written.latest()));
    }

    @Test
    void changesSincePreviousRunFollowTheCaseStates() {
        ReportFigures.Changes c = written.figures().changes();
        assertEquals(new ReportFigures.Changes(2, 2, 1, 1, 1, 1, 1, 3), c);
        assertEquals("2", cells.get("changes.new"));
        assertEquals("2", cells.get("changes.still_open"));
        assertEquals("1", cells.get("changes.no_longer_found"));
        assertEquals("1", cells.get("changes.reopened"));
        assertEquals("1", cells.get("changes.back_for_review"));
        assertEquals("3", cells.get("disposition.undecided"));
    }

    @Test
    void amountAtRiskCountsMoneyFlaggedByTwoRulesOnce() {
        // c1 (rule_a) and c5 (rule_b) flag the same person, scheme and period: 100 once, plus 50 and 70 and 20
        assertEquals(new BigDecimal("240.00"), written.figures().amountAtRiskOnce());
        assertEquals("240.00", cells.get("summary.amount_at_risk"));
        assertEquals("170.00", cells.get("rules.rule_a.amount"));
        assertEquals("170.00", cells.get("rules.rule_b.amount"));
        assertEquals("2", cells.get("rules.rule_b.cases"), "the case no longer found is not under review");
        assertEquals("1", cells.get("rules.rule_a.high"));
        assertEquals("5", cells.get("summary.active_cases"));
    }

    @Test
    void precisionIsTheLatestRowPerRule() {
        assertEquals("0.50", cells.get("precision.rule_a.precision"));
        assertEquals("", cells.get("precision.rule_b.precision"), "no decision yet: no precision");
        assertEquals("1", cells.get("precision.rule_a.confirmed"));
    }

    @Test
    void qualitySectionHasTheRunsChecksAndTheTrend() {
        assertEquals("7", cells.get("checks.benefit_payment.amount_positive"));
        assertEquals("1,000", cells.get("families.benefit_payment.rows_read"));
        assertEquals("3", cells.get("trend." + R1 + ".violations"));
        assertEquals("9", cells.get("trend." + R2 + ".violations"));
        assertEquals("yes", cells.get("families.benefit_payment.balanced"));
    }

    @Test
    void topCasesCarryTheirExplanationAndEveryChartItsTotal() throws IOException {
        String html = Files.readString(written.page());
        assertTrue(html.contains("paid after the recorded death"), "explanations in plain words");
        assertFalse(html.contains("Zhang San"), "no subject names in the report");
        assertTrue(html.contains("data-chart=\"changes\" data-expected-total=\"7\""), "changes chart: 2+2+1+1+1");
        assertTrue(html.contains("data-chart=\"rules\" data-expected-total=\"5\""));
        assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "no network request");
    }
}
