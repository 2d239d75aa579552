package org.crosscheck.screen;

import static org.crosscheck.screen.FindingRows.finding;
import static org.crosscheck.screen.FindingRows.findings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.Test;

class ExceptionListTest extends SparkTestSupport {

    private static final Set<String> DEATH = Set.of("deceased_recipient");

    private static Tables newWarehouse() {
        return new Tables(tempDir("exceptions").toString());
    }

    static Map<String, Row> byId(Tables tables) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : ExceptionList.read(spark(), tables).collectAsList()) {
            m.put(r.getAs(ExceptionList.EXCEPTION_ID), r);
        }
        return m;
    }

    private static String id(String rule, String subject, String period) {
        return ExceptionList.exceptionId(rule, "person", subject, "employee_pension", period);
    }

    /** Sets a disposition directly, as a review import would. */
    private static void review(Tables tables, String exceptionId, String status, String note) {
        DeltaTable.forPath(spark(), tables.exceptions()).updateExpr(
                "exception_id = '" + exceptionId + "'",
                Map.of("status", "'" + status + "'", "reviewer", "'li.wei'", "review_note", "'" + note + "'",
                        "reviewed_at", "current_timestamp()"));
    }

    @Test
    void exceptionIdIsTheSameInJavaAndSparkAndIgnoresTheRuleVersion() {
        Row r = ExceptionList.combineDuplicates(Findings.conform(findings(spark(),
                finding("deceased_recipient", "1", "high", "P1", "2025-06", "10.00", "x")))).head();
        String expected = id("deceased_recipient", "P1", "2025-06");
        assertEquals(expected, r.getAs(ExceptionList.EXCEPTION_ID));
        assertEquals(24, expected.length());
        assertEquals(expected, ExceptionList.exceptionId("deceased_recipient", "person", "P1", "employee_pension", "2025-06"));
        assertNotEquals(expected, ExceptionList.exceptionId("deceased_recipient", "person", "P1", "medical", "2025-06"));
        assertNotEquals(expected, id("deceased_recipient", "P1", "2025-07"));
    }

    @Test
    void firstRunCreatesTheTableWithEveryFindingNew() {
        Tables tables = newWarehouse();
        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "1200.50"),
                finding("deceased_recipient", "P2", "2025-06", "800.00")), "run-1", DEATH);

        assertEquals(2, s.inserted());
        assertEquals(2, s.awaitingReview());
        assertEquals(ExitCode.FINDINGS_PRESENT, s.exitCode());
        Row p1 = byId(tables).get(id("deceased_recipient", "P1", "2025-06"));
        assertEquals("new", p1.getAs("status"));
        assertEquals("run-1", p1.getAs("first_seen_run"));
        assertEquals("run-1", p1.getAs("last_seen_run"));
        assertEquals(new BigDecimal("1200.50"), p1.getAs("amount_at_risk"));
        assertEquals(ExceptionList.SCHEMA, ExceptionList.read(spark(), tables).schema());
    }

    @Test
    void idsStayStableAcrossRunsAndRuleVersionsWhileFindingFieldsAreRefreshed() {
        Tables tables = newWarehouse();
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "1", "medium", "P1", "2025-06", "100.00", "old text")), "run-1", DEATH);
        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "2", "high", "P1", "2025-06", "150.00", "new text")), "run-2", DEATH);

        assertEquals(0, s.inserted());
        assertEquals(1, s.stillPresent());
        Map<String, Row> rows = byId(tables);
        assertEquals(1, rows.size());
        Row r = rows.get(id("deceased_recipient", "P1", "2025-06"));
        assertEquals("2", r.getAs("rule_version"));
        assertEquals("high", r.getAs("severity"));
        assertEquals(new BigDecimal("150.00"), r.getAs("amount_at_risk"));
        assertEquals("new text", r.getAs("explanation"));
        assertEquals("run-1", r.getAs("first_seen_run"));
        assertEquals("run-2", r.getAs("last_seen_run"));
    }

    @Test
    void reviewFieldsSurviveAReMerge() {
        Tables tables = newWarehouse();
        String p1 = id("deceased_recipient", "P1", "2025-06");
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00")), "run-1", DEATH);
        review(tables, p1, "confirmed", "death certificate seen");
        Timestamp reviewedAt = byId(tables).get(p1).getAs("reviewed_at");

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "130.00")), "run-2", DEATH);

        Row r = byId(tables).get(p1);
        assertEquals("confirmed", r.getAs("status"));
        assertEquals("li.wei", r.getAs("reviewer"));
        assertEquals("death certificate seen", r.getAs("review_note"));
        assertEquals(reviewedAt, r.getAs("reviewed_at"));
        assertEquals(new BigDecimal("130.00"), r.getAs("amount_at_risk"));
        assertEquals(0, s.awaitingReview());
        assertEquals(1, s.current());
        assertEquals(ExitCode.SUCCESS, s.exitCode());
    }

    @Test
    void findingsNoLongerProducedByARuleThatRanBecomeResolvedAndAreNotDeleted() {
        Tables tables = newWarehouse();
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("deceased_recipient", "P2", "2025-06", "200.00")), "run-1", DEATH);
        review(tables, id("deceased_recipient", "P2", "2025-06"), "confirmed", "recovering");

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark()), "run-2", DEATH);

        assertEquals(2, s.resolved());
        Map<String, Row> rows = byId(tables);
        assertEquals(2, rows.size());
        Row p1 = rows.get(id("deceased_recipient", "P1", "2025-06"));
        assertEquals("resolved", p1.getAs("status"));
        assertEquals("run-1", p1.getAs("last_seen_run"));
        Row p2 = rows.get(id("deceased_recipient", "P2", "2025-06"));
        assertEquals("resolved", p2.getAs("status"));
        assertEquals("recovering", p2.getAs("review_note"));
        assertEquals(0, s.current());
    }

    @Test
    void findingsOfARuleThatDidNotRunAreLeftAlone() {
        Tables tables = newWarehouse();
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("duplicate_enrollment", "P9", "2025-06", "50.00")),
                "run-1", Set.of("deceased_recipient", "duplicate_enrollment"));

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00")), "run-2", DEATH);

        assertEquals(0, s.resolved());
        Row other = byId(tables).get(id("duplicate_enrollment", "P9", "2025-06"));
        assertEquals("new", other.getAs("status"));
        assertEquals("run-1", other.getAs("last_seen_run"));
    }

    @Test
    void aResolvedFindingThatReappearsIsReopenedKeepingItsHistory() {
        Tables tables = newWarehouse();
        String p1 = id("deceased_recipient", "P1", "2025-06");
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00")), "run-1", DEATH);
        review(tables, p1, "dismissed", "twin, different person");
        ExceptionList.merge(spark(), tables, findings(spark()), "run-2", DEATH);
        assertEquals("resolved", byId(tables).get(p1).getAs("status"));

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00")), "run-3", DEATH);

        assertEquals(1, s.reopened());
        assertEquals(0, s.inserted());
        Row r = byId(tables).get(p1);
        assertEquals("open", r.getAs("status"));
        assertEquals("twin, different person", r.getAs("review_note"));
        assertEquals("run-1", r.getAs("first_seen_run"));
        assertEquals("run-3", r.getAs("last_seen_run"));
        assertEquals(1, s.awaitingReview());
    }

    @Test
    void mergingTheSameRunTwiceChangesNothingMore() {
        Tables tables = newWarehouse();
        Row[] rows = {finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("deceased_recipient", "P2", "2025-06", "200.00")};
        ExceptionList.merge(spark(), tables, findings(spark(), rows), "run-1", DEATH);
        ExceptionList.merge(spark(), tables, findings(spark(), rows[0]), "run-2", DEATH);
        List<Row> before = ExceptionList.read(spark(), tables).orderBy("exception_id").collectAsList();

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(), rows[0]), "run-2", DEATH);

        List<Row> after = ExceptionList.read(spark(), tables).orderBy("exception_id").collectAsList();
        assertEquals(before, after);
        assertEquals(0, s.inserted());
        assertEquals(0, s.resolved());
        assertEquals(1, s.stillPresent());
    }

    @Test
    void duplicateFindingsInOneRunAreCombinedKeepingTheMostSevereAndLargest() {
        Tables tables = newWarehouse();
        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "1", "low", "P1", "2025-06", "900.00", "a"),
                finding("deceased_recipient", "1", "high", "P1", "2025-06", "100.00", "b"),
                finding("deceased_recipient", "1", "high", "P1", "2025-06", "300.00", "c")), "run-1", DEATH);

        assertEquals(1, s.inserted());
        assertEquals(2, s.duplicatesCombined());
        Row r = byId(tables).get(id("deceased_recipient", "P1", "2025-06"));
        assertEquals("c", r.getAs("explanation"));
        assertEquals(new BigDecimal("300.00"), r.getAs("amount_at_risk"));
    }

    @Test
    void findingsWithoutASubjectIdAreRefusedBeforeAnythingIsWritten() {
        Tables tables = newWarehouse();
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> ExceptionList.merge(spark(), tables,
                findings(spark(), finding("deceased_recipient", null, "2025-06", "1.00")), "run-1", DEATH));
        assertEquals(ExitCode.INTERNAL_FAILURE, e.exitCode());
        assertTrue(ExceptionList.read(spark(), tables).isEmpty());
    }
}
