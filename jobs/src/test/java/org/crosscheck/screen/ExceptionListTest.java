package org.crosscheck.screen;

import static org.crosscheck.screen.FindingRows.finding;
import static org.crosscheck.screen.FindingRows.findings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.Tables;
import org.crosscheck.review.CaseHistory;
import org.crosscheck.review.CaseReview;
import org.crosscheck.review.Disposition;
import org.crosscheck.review.ReviewLog;
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

    static String id(String rule, String subject) {
        return ExceptionList.exceptionId(rule, "person", subject, "employee_pension", null);
    }

    /** A disposition through the one path reviewers use, at the case's current revision. */
    static CaseReview.ApplyResult review(Tables tables, String exceptionId, Disposition d, String reason, String note) {
        long revision = byId(tables).get(exceptionId).<Long>getAs(ExceptionList.REVISION);
        return CaseReview.apply(spark(), tables, List.of(new CaseReview.ReviewAction(exceptionId, revision, d, reason,
                note, null, "li.wei", "test")), List.of(), true, Map.of());
    }

    @Test
    void caseIdIsTheSameInJavaAndSparkAndIgnoresPeriodAndRuleVersionButNotSchemeOrCaseKey() {
        Row r = ExceptionList.combineDuplicates(Findings.conform(findings(spark(),
                finding("deceased_recipient", "1", "high", "P1", "2025-06", "10.00", "x")))).head();
        String expected = id("deceased_recipient", "P1");
        assertEquals(expected, r.getAs(ExceptionList.EXCEPTION_ID));
        assertEquals(24, expected.length());
        Row later = ExceptionList.combineDuplicates(Findings.conform(findings(spark(),
                finding("deceased_recipient", "2", "high", "P1", "2025-06..2025-09", "40.00", "y")))).head();
        assertEquals(expected, later.getAs(ExceptionList.EXCEPTION_ID), "a growing period keeps the case");
        assertNotEquals(expected, ExceptionList.exceptionId("deceased_recipient", "person", "P1", "medical", null));
        assertNotEquals(expected, ExceptionList.exceptionId("deceased_recipient", "person", "P1", "employee_pension",
                "2025-06"));
    }

    @Test
    void firstRunCreatesActiveCasesWithoutDisposition() {
        Tables tables = newWarehouse();
        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "1200.50"),
                finding("deceased_recipient", "P2", "2025-06", "800.00")), "run-1", DEATH);

        assertEquals(2, s.inserted());
        assertEquals(2, s.awaitingReview());
        assertEquals(ExitCode.FINDINGS_PRESENT, s.exitCode());
        Row p1 = byId(tables).get(id("deceased_recipient", "P1"));
        assertEquals("active", p1.getAs("state"));
        assertEquals("none", p1.getAs("disposition"));
        assertEquals(0L, p1.<Long>getAs("revision"));
        assertEquals("run-1", p1.getAs("first_seen_run"));
        assertEquals(new BigDecimal("1200.50"), p1.getAs("amount_at_risk"));
        assertEquals(ExceptionList.SCHEMA, ExceptionList.read(spark(), tables).schema());
        assertEquals(2, CaseHistory.read(spark(), tables).where("run_id = 'run-1' AND state = 'active'").count());
    }

    @Test
    void aConfirmedCaseKeepsItsIdAndDispositionWhileItsPeriodAndAmountGrowAndShowsBothAmounts() {
        Tables tables = newWarehouse();
        String p1 = id("deceased_recipient", "P1");
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "1", "medium", "P1", "2025-06", "3000.00", "old text")), "run-1", DEATH);
        review(tables, p1, Disposition.CONFIRMED, null, "death certificate seen");
        Timestamp reviewedAt = byId(tables).get(p1).getAs("reviewed_at");

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "2", "high", "P1", "2025-06..2025-08", "9000.00", "new text")),
                "run-2", DEATH);

        assertEquals(0, s.inserted());
        assertEquals(1, s.stillActive());
        assertEquals(0, s.backForReview(), "a confirmed case is never sent back");
        Row r = byId(tables).get(p1);
        assertEquals(1, byId(tables).size());
        assertEquals("confirmed", r.getAs("disposition"));
        assertEquals("li.wei", r.getAs("reviewer"));
        assertEquals("death certificate seen", r.getAs("review_note"));
        assertEquals(reviewedAt, r.getAs("reviewed_at"));
        assertEquals(new BigDecimal("3000.00"), r.getAs("reviewed_amount"));
        assertEquals(new BigDecimal("9000.00"), r.getAs("amount_at_risk"));
        assertEquals("2025-06..2025-08", r.getAs("period"));
        assertEquals("2", r.getAs("rule_version"));
        assertEquals("new text", r.getAs("explanation"));
        assertEquals("run-1", r.getAs("first_seen_run"));
        assertEquals("run-2", r.getAs("last_seen_run"));
        assertEquals(0, s.awaitingReview());
        assertEquals(ExitCode.SUCCESS, s.exitCode());
        List<Row> timeline = CaseHistory.read(spark(), tables).where("exception_id = '" + p1 + "'")
                .orderBy("run_id").collectAsList();
        assertEquals(List.of(new BigDecimal("3000.00"), new BigDecimal("9000.00")),
                timeline.stream().map(t -> t.<BigDecimal>getAs("amount_at_risk")).toList());
    }

    @Test
    void aDismissedCaseThatGrowsPastTheThresholdComesBackForReviewWithTheReasonAndOnlyOnce() {
        Tables tables = newWarehouse();
        String p1 = id("deceased_recipient", "P1");
        String p2 = id("deceased_recipient", "P2");
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "3000.00"),
                finding("deceased_recipient", "P2", "2025-06", "3000.00")), "run-1", DEATH);
        review(tables, p1, Disposition.DISMISSED, "false positive", "registry error");
        review(tables, p2, Disposition.DISMISSED, "false positive", "registry error");
        Map<String, List<String>> rules = new LinkedHashMap<>(Map.of("deceased_recipient", List.of()));
        CrossCheckConfig.BackForReview policy = new CrossCheckConfig.BackForReview(50.0, new BigDecimal("1000"), false);

        // P1 triples; P2 grows by 1,200.00 = 40 %: under the 50 % threshold
        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06..2025-08", "9000.00"),
                finding("deceased_recipient", "P2", "2025-06..2025-07", "4200.00")), "run-2", rules, policy);

        assertEquals(1, s.backForReview());
        assertEquals(1, s.awaitingReview());
        Row back = byId(tables).get(p1);
        assertEquals("dismissed", back.getAs("disposition"), "a run never changes a disposition");
        assertTrue(back.<Boolean>getAs("needs_review"));
        String reason = back.getAs("review_reason");
        assertTrue(reason.startsWith("amount at risk grew from 3,000.00 to 9,000.00 since dismissed on "), reason);
        assertTrue(reason.endsWith(" by li.wei"), reason);
        assertEquals(2L, back.<Long>getAs("revision"));
        assertFalse(byId(tables).get(p2).<Boolean>getAs("needs_review"));
        Row logged = ReviewLog.read(spark(), tables).where("action = 'back_for_review'").first();
        assertEquals(p1, logged.getAs("exception_id"));
        assertEquals("run run-2", logged.getAs("source_file"));
        assertEquals(2L, logged.<Long>getAs("revision"));

        // the same run again, and a later run with the same amount: not sent back twice
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06..2025-08", "9000.00"),
                finding("deceased_recipient", "P2", "2025-06..2025-07", "4200.00")), "run-3", rules, policy);
        assertEquals(1, ReviewLog.read(spark(), tables).where("action = 'back_for_review'").count());
        assertEquals(2L, byId(tables).get(p1).<Long>getAs("revision"));

        // a reviewer looks again and keeps the dismissal: the case is settled at the new amount
        review(tables, p1, Disposition.DISMISSED, "false positive", "still a registry error");
        Row settled = byId(tables).get(p1);
        assertFalse(settled.<Boolean>getAs("needs_review"));
        assertEquals(null, (Object) settled.getAs("review_reason"));
        assertEquals(new BigDecimal("9000.00"), settled.getAs("reviewed_amount"));
    }

    @Test
    void casesNoLongerFoundKeepTheirDispositionAndComeBackActiveWhenFoundAgain() {
        Tables tables = newWarehouse();
        String p1 = id("deceased_recipient", "P1");
        String p2 = id("deceased_recipient", "P2");
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("deceased_recipient", "P2", "2025-06", "200.00")), "run-1", DEATH);
        review(tables, p2, Disposition.CONFIRMED, null, "recovering");

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark()), "run-2", DEATH);

        assertEquals(2, s.noLongerFound());
        assertEquals(0, s.active());
        Map<String, Row> rows = byId(tables);
        assertEquals(2, rows.size(), "never deleted");
        assertEquals("no_longer_found", rows.get(p1).getAs("state"));
        assertEquals("run-1", rows.get(p1).getAs("last_seen_run"));
        assertEquals("no_longer_found", rows.get(p2).getAs("state"));
        assertEquals("confirmed", rows.get(p2).getAs("disposition"), "no longer found does not overwrite a review");
        assertEquals(2, CaseHistory.read(spark(), tables).where("run_id = 'run-2' AND state = 'no_longer_found'").count());

        s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P2", "2025-06", "200.00")), "run-3", DEATH);
        assertEquals(1, s.reappeared());
        assertEquals(0, s.inserted());
        assertEquals(0, s.awaitingReview(), "found again, still confirmed");
        Row r = byId(tables).get(p2);
        assertEquals("active", r.getAs("state"));
        assertEquals("confirmed", r.getAs("disposition"));
        assertEquals("run-1", r.getAs("first_seen_run"));
    }

    @Test
    void casesOfARuleThatDidNotRunAreLeftAlone() {
        Tables tables = newWarehouse();
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("duplicate_enrollment", "P9", "2025-06", "50.00")),
                "run-1", Set.of("deceased_recipient", "duplicate_enrollment"));

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00")), "run-2", DEATH);

        assertEquals(0, s.noLongerFound());
        Row other = byId(tables).get(id("duplicate_enrollment", "P9"));
        assertEquals("active", other.getAs("state"));
        assertEquals("run-1", other.getAs("last_seen_run"));
    }

    @Test
    void mergingTheSameRunTwiceChangesNothingMore() {
        Tables tables = newWarehouse();
        Row[] rows = {finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("deceased_recipient", "P2", "2025-06", "200.00")};
        ExceptionList.merge(spark(), tables, findings(spark(), rows), "run-1", DEATH);
        ExceptionList.merge(spark(), tables, findings(spark(), rows[0]), "run-2", DEATH);
        List<Row> before = ExceptionList.read(spark(), tables).orderBy("exception_id").collectAsList();
        long history = CaseHistory.read(spark(), tables).count();

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings(spark(), rows[0]), "run-2", DEATH);

        List<Row> after = ExceptionList.read(spark(), tables).orderBy("exception_id").collectAsList();
        assertEquals(before, after);
        assertEquals(history, CaseHistory.read(spark(), tables).count(), "a repeated run replaces its timeline rows");
        assertEquals(0, s.inserted());
        assertEquals(0, s.noLongerFound());
        assertEquals(1, s.stillActive());
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
        Row r = byId(tables).get(id("deceased_recipient", "P1"));
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
