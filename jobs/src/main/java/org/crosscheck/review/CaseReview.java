package org.crosscheck.review;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.Money;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies reviewers' actions to cases: the one way dispositions, reasons, notes and assignees change, whether they
 * come from an imported spreadsheet or the review workspace. Every action names the case revision it was made on; a
 * case whose revision has moved since is a {@link Conflict} and is not changed (no silent overwrite, ever). Every
 * applied action is appended to the {@link ReviewLog} with the new revision and its source, <em>before</em> the case
 * is updated; a crash between the two is repaired by {@link #recover} (called first by every writer), which rolls the
 * case forward to the logged revision. Everything runs under the warehouse's {@link ReviewLock}.
 */
public final class CaseReview {
    private static final Logger LOG = LoggerFactory.getLogger(CaseReview.class);

    /**
     * One reviewer action on one case. Null fields are kept as they are; an empty string clears a field.
     *
     * @param expectedRevision the case revision the reviewer saw (the export's or the page's)
     * @param disposition      none, confirmed or dismissed; null keeps it. Setting one also settles a case that was
     *                         back for review
     * @param reason           the reason for a dismissal (one of the configured reasons)
     * @param source           where the action came from: file, sheet and row; {@code web}; ...
     */
    public record ReviewAction(String exceptionId, long expectedRevision, Disposition disposition, String reason,
                               String note, String assignee, String reviewer, String source) {
    }

    /** An action that was not applied because the case changed after the reviewer saw it. */
    public record Conflict(ReviewAction action, long currentRevision, String changedBy, Timestamp changedAt,
                           String currentDisposition, String currentNote, String changeSource) {
        @Override
        public String toString() {
            return "case " + action.exceptionId() + " was changed since revision " + action.expectedRevision()
                    + " by " + (changedBy == null ? "?" : changedBy)
                    + (changedAt == null ? "" : " at " + changedAt.toInstant())
                    + (changeSource == null ? "" : " (" + changeSource + ")") + ": now " + currentDisposition
                    + (currentNote == null ? "" : ", note '" + currentNote + "'") + " (revision " + currentRevision
                    + "); this change was not applied";
        }
    }

    /** An action refused for its content (unknown case, a dismissal without a valid reason, ...). */
    public record Rejection(ReviewAction action, String reason) {
    }

    public record ApplyResult(int applied, int unchanged, List<Conflict> conflicts, List<Rejection> rejected) {
    }

    /** The review fields of a case at some revision. */
    public record ReviewState(String exceptionId, long revision, String disposition, String reason, String note,
                              String assignee, boolean needsReview) {
    }

    private CaseReview() {
    }

    /**
     * @param dismissReasons reasons a dismissal may give; an empty list accepts any non-empty reason
     * @param reasonRequired false only for files from before dismissal reasons existed
     * @param caseKeys       rule case keys, to migrate an exception list an earlier version wrote
     */
    public static ApplyResult apply(SparkSession spark, Tables tables, List<ReviewAction> actions,
                                    List<String> dismissReasons, boolean reasonRequired,
                                    Map<String, List<String>> caseKeys) {
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            throw CrossCheckException.badInput("there is no exception list at " + tables.exceptions()
                    + " yet; run screening before reviewing cases");
        }
        try (ReviewLock lock = ReviewLock.acquire(tables, "review of " + actions.size() + " cases")) {
            CaseMigration.migrateIfNeeded(spark, tables, caseKeys);
            recover(spark, tables);
            Map<String, Row> current = currentRows(spark, tables, actions.stream().map(ReviewAction::exceptionId).toList());
            Map<String, List<Row>> later = null;
            Timestamp now = Timestamp.from(Instant.now());
            List<Row> log = new ArrayList<>();
            List<Row> updates = new ArrayList<>();
            List<Conflict> conflicts = new ArrayList<>();
            List<Rejection> rejected = new ArrayList<>();
            int unchanged = 0;
            for (ReviewAction a : actions) {
                Row cur = current.get(a.exceptionId());
                if (cur == null) {
                    rejected.add(new Rejection(a, "unknown exception_id (not in the exception list)"));
                    continue;
                }
                ReviewState state = stateOf(cur);
                if (a.expectedRevision() < state.revision() && alreadyHolds(a, state)) {
                    unchanged++; // e.g. the same file imported twice: what it asks for is what the case shows
                    continue;
                }
                if (a.expectedRevision() != state.revision()) {
                    if (a.expectedRevision() > state.revision()) {
                        rejected.add(new Rejection(a, "revision " + a.expectedRevision() + " is newer than the case's "
                                + state.revision()));
                        continue;
                    }
                    if (later == null) {
                        later = latestEntries(spark, tables, current.keySet());
                    }
                    Row by = later.getOrDefault(a.exceptionId(), List.of()).stream().findFirst().orElse(null);
                    conflicts.add(new Conflict(a, state.revision(), by == null ? null : by.getString(1),
                            by == null ? null : by.getTimestamp(2), state.disposition(), state.note(),
                            by == null ? null : by.getString(3)));
                    continue;
                }
                String disposition = a.disposition() == null ? state.disposition() : a.disposition().code();
                String reason = pick(a.reason(), state.reason());
                String note = pick(a.note(), state.note());
                String assignee = pick(a.assignee(), state.assignee());
                if (Disposition.DISMISSED.code().equals(disposition)) {
                    String problem = reasonProblem(reason, dismissReasons, reasonRequired);
                    if (problem != null) {
                        rejected.add(new Rejection(a, problem));
                        continue;
                    }
                } else if (a.disposition() != null) {
                    reason = null; // a reason belongs to a dismissal
                }
                boolean settles = a.disposition() != null && state.needsReview();
                if (!settles && Objects.equals(disposition, state.disposition()) && Objects.equals(reason, state.reason())
                        && Objects.equals(note, state.note()) && Objects.equals(assignee, state.assignee())) {
                    unchanged++;
                    continue;
                }
                long revision = state.revision() + 1;
                boolean decided = !Objects.equals(disposition, state.disposition()) || settles;
                String action = decided || !Objects.equals(note, state.note()) || !Objects.equals(reason, state.reason())
                        ? "disposition" : "assign";
                log.add(ReviewLog.entry(a.exceptionId(), a.reviewer(), now, action, state.disposition(), disposition,
                        state.reason(), reason, state.note(), note, state.assignee(), assignee, null, revision,
                        a.source()));
                BigDecimal amount = cur.getAs(Findings.AMOUNT_AT_RISK);
                Integer evidence = cur.getAs(ExceptionList.EVIDENCE_COUNT);
                updates.add(RowFactory.create(a.exceptionId(), state.revision(), revision, disposition, reason, note,
                        assignee, action.equals("assign") ? null : a.reviewer(), decided ? amount : null,
                        decided ? evidence : null, decided, action.equals("assign") ? null : now));
            }
            if (!updates.isEmpty()) {
                ReviewLog.append(spark, tables, log);
                update(spark, tables, updates, now);
            }
            LOG.info("Review: {} actions, {} applied, {} unchanged, {} conflicts, {} rejected", actions.size(),
                    updates.size(), unchanged, conflicts.size(), rejected.size());
            return new ApplyResult(updates.size(), unchanged, List.copyOf(conflicts), List.copyOf(rejected));
        }
    }

    /**
     * What each case showed at the given revisions: the case itself at its current revision, the review log's entry
     * for an older revision, and the initial state (no disposition) at revision 0. Keys: exception id + "@" + revision.
     */
    public static Map<String, ReviewState> statesAt(SparkSession spark, Tables tables, Map<String, Long> revisions) {
        Map<String, ReviewState> out = new HashMap<>();
        Map<String, Row> current = currentRows(spark, tables, List.copyOf(revisions.keySet()));
        List<String> needLog = new ArrayList<>();
        for (var e : revisions.entrySet()) {
            Row cur = current.get(e.getKey());
            if (cur == null) {
                continue;
            }
            ReviewState s = stateOf(cur);
            if (s.revision() == e.getValue()) {
                out.put(e.getKey() + "@" + e.getValue(), s);
            } else if (e.getValue() == 0) {
                out.put(e.getKey() + "@0", new ReviewState(e.getKey(), 0, Disposition.NONE.code(), null, null, null, false));
            } else {
                needLog.add(e.getKey());
            }
        }
        if (!needLog.isEmpty()) {
            for (Row r : ReviewLog.read(spark, tables).where(col("exception_id").isin(needLog.toArray())
                    .and(col("revision").isNotNull())).collectAsList()) {
                String id = r.getAs("exception_id");
                long rev = r.getAs("revision");
                if (Objects.equals(revisions.get(id), rev)) {
                    out.put(id + "@" + rev, new ReviewState(id, rev, r.getAs("new_status"), r.getAs("new_reason"),
                            r.getAs("new_note"), r.getAs("new_assignee"), "back_for_review".equals(r.getAs("action"))));
                }
            }
        }
        return out;
    }

    /**
     * Rolls cases forward to the latest revision the review log holds for them: repairs a writer that died after
     * logging a change and before applying it. Call under the {@link ReviewLock}.
     *
     * @return cases repaired
     */
    public static long recover(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.reviewLog()) || !DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            return 0;
        }
        Dataset<Row> latest = ReviewLog.read(spark, tables).where(col("revision").isNotNull())
                .withColumn("_rank", row_number().over(Window.partitionBy("exception_id")
                        .orderBy(col("revision").desc(), col("changed_at").desc())))
                .where(col("_rank").equalTo(1)).drop("_rank");
        Dataset<Row> cases = spark.read().format("delta").load(tables.exceptions())
                .select(col(ExceptionList.EXCEPTION_ID).as("c_id"), col(ExceptionList.REVISION).as("c_rev"));
        Dataset<Row> behind = latest.join(cases, col("exception_id").equalTo(col("c_id")))
                .where(col("revision").gt(org.apache.spark.sql.functions.coalesce(col("c_rev"), lit(0L))))
                .cache();
        try {
            long n = behind.count();
            if (n == 0) {
                return 0;
            }
            Column back = col("s.action").equalTo("back_for_review");
            Map<String, Column> set = new LinkedHashMap<>();
            set.put(ExceptionList.DISPOSITION, col("s.new_status"));
            set.put(ExceptionList.DISPOSITION_REASON, col("s.new_reason"));
            set.put(ExceptionList.REVIEW_NOTE, col("s.new_note"));
            set.put(ExceptionList.ASSIGNEE, col("s.new_assignee"));
            set.put(ExceptionList.NEEDS_REVIEW, back);
            set.put(ExceptionList.REVIEW_REASON, org.apache.spark.sql.functions.when(back, col("s.reason")));
            set.put(ExceptionList.REVISION, col("s.revision"));
            set.put(ExceptionList.UPDATED_AT, col("s.changed_at"));
            DeltaTable.forPath(spark, tables.exceptions()).as("t")
                    .merge(behind.as("s"), col("t." + ExceptionList.EXCEPTION_ID).equalTo(col("s.exception_id")))
                    .whenMatched().update(set).execute();
            LOG.warn("Review log: {} cases were behind their logged revision (a writer stopped between logging and "
                    + "applying) and were rolled forward", n);
            return n;
        } finally {
            behind.unpersist();
        }
    }

    /** The case already shows everything the action asks for (and is not waiting to be settled by it). */
    private static boolean alreadyHolds(ReviewAction a, ReviewState s) {
        return (a.disposition() == null || a.disposition().code().equals(s.disposition()) && !s.needsReview())
                && (a.reason() == null || Objects.equals(pick(a.reason(), null), s.reason())
                || !Disposition.DISMISSED.code().equals(s.disposition()))
                && (a.note() == null || Objects.equals(pick(a.note(), null), s.note()))
                && (a.assignee() == null || Objects.equals(pick(a.assignee(), null), s.assignee()));
    }

    private static ReviewState stateOf(Row cur) {
        Long revision = cur.getAs(ExceptionList.REVISION);
        Boolean back = cur.getAs(ExceptionList.NEEDS_REVIEW);
        String disposition = cur.getAs(ExceptionList.DISPOSITION);
        return new ReviewState(cur.getAs(ExceptionList.EXCEPTION_ID), revision == null ? 0 : revision,
                disposition == null ? Disposition.NONE.code() : disposition, cur.getAs(ExceptionList.DISPOSITION_REASON),
                cur.getAs(ExceptionList.REVIEW_NOTE), cur.getAs(ExceptionList.ASSIGNEE), back != null && back);
    }

    private static Map<String, Row> currentRows(SparkSession spark, Tables tables, List<String> ids) {
        Map<String, Row> found = new LinkedHashMap<>();
        if (ids.isEmpty() || !DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            return found;
        }
        Dataset<Row> wanted = spark.createDataFrame(ids.stream().distinct().map(RowFactory::create).toList(),
                new StructType().add("wanted_id", DataTypes.StringType));
        Dataset<Row> table = spark.read().format("delta").load(tables.exceptions())
                .select(ExceptionList.EXCEPTION_ID, ExceptionList.REVISION, ExceptionList.DISPOSITION,
                        ExceptionList.DISPOSITION_REASON, ExceptionList.REVIEW_NOTE, ExceptionList.ASSIGNEE,
                        ExceptionList.NEEDS_REVIEW, Findings.AMOUNT_AT_RISK, ExceptionList.EVIDENCE_COUNT);
        for (Row r : table.join(wanted, col(ExceptionList.EXCEPTION_ID).equalTo(col("wanted_id")), "left_semi")
                .collectAsList()) {
            found.put(r.getString(0), r);
        }
        return found;
    }

    /** Per case, its review-log entries with a revision, newest first: (exception_id, reviewer, changed_at, source). */
    private static Map<String, List<Row>> latestEntries(SparkSession spark, Tables tables, java.util.Set<String> ids) {
        Map<String, List<Row>> out = new HashMap<>();
        for (Row r : ReviewLog.read(spark, tables).where(col("exception_id").isin(ids.toArray())
                        .and(col("revision").isNotNull()))
                .orderBy(col("revision").desc(), col("changed_at").desc())
                .select("exception_id", "reviewer", "changed_at", "source_file").collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static void update(SparkSession spark, Tables tables, List<Row> updates, Timestamp now) {
        StructType schema = new StructType()
                .add("id", DataTypes.StringType).add("expected", DataTypes.LongType).add("revision", DataTypes.LongType)
                .add("disposition", DataTypes.StringType).add("reason", DataTypes.StringType)
                .add("note", DataTypes.StringType).add("assignee", DataTypes.StringType)
                .add("reviewer", DataTypes.StringType).add("amount", Money.TYPE).add("evidence", DataTypes.IntegerType)
                .add("decided", DataTypes.BooleanType).add("reviewed_at", DataTypes.TimestampType);
        Dataset<Row> source = spark.createDataFrame(updates, schema);
        Column decided = col("s.decided");
        Map<String, Column> set = new LinkedHashMap<>();
        set.put(ExceptionList.DISPOSITION, col("s.disposition"));
        set.put(ExceptionList.DISPOSITION_REASON, col("s.reason"));
        set.put(ExceptionList.REVIEW_NOTE, col("s.note"));
        set.put(ExceptionList.ASSIGNEE, col("s.assignee"));
        set.put(ExceptionList.REVIEWER, org.apache.spark.sql.functions.coalesce(col("s.reviewer"), col("t." + ExceptionList.REVIEWER)));
        set.put(ExceptionList.REVIEWED_AT, org.apache.spark.sql.functions.coalesce(col("s.reviewed_at"), col("t." + ExceptionList.REVIEWED_AT)));
        set.put(ExceptionList.REVIEWED_AMOUNT, org.apache.spark.sql.functions.when(decided, col("s.amount"))
                .otherwise(col("t." + ExceptionList.REVIEWED_AMOUNT)));
        set.put(ExceptionList.REVIEWED_EVIDENCE_COUNT, org.apache.spark.sql.functions.when(decided, col("s.evidence"))
                .otherwise(col("t." + ExceptionList.REVIEWED_EVIDENCE_COUNT)));
        set.put(ExceptionList.NEEDS_REVIEW, org.apache.spark.sql.functions.when(decided, lit(false))
                .otherwise(col("t." + ExceptionList.NEEDS_REVIEW)));
        set.put(ExceptionList.REVIEW_REASON, org.apache.spark.sql.functions.when(decided, lit(null).cast(DataTypes.StringType))
                .otherwise(col("t." + ExceptionList.REVIEW_REASON)));
        set.put(ExceptionList.REVISION, col("s.revision"));
        set.put(ExceptionList.UPDATED_AT, lit(now));
        DeltaTable.forPath(spark, tables.exceptions()).as("t")
                .merge(source.as("s"), col("t." + ExceptionList.EXCEPTION_ID).equalTo(col("s.id")))
                .whenMatched(org.apache.spark.sql.functions.coalesce(col("t." + ExceptionList.REVISION), lit(0L))
                        .equalTo(col("s.expected")))
                .update(set)
                .execute();
    }

    private static String reasonProblem(String reason, List<String> allowed, boolean required) {
        if (reason == null || reason.isBlank()) {
            return required ? "a dismissal needs a reason (disposition_reason): one of " + allowed : null;
        }
        if (allowed.isEmpty()) {
            return null;
        }
        for (String a : allowed) {
            if (a.trim().toLowerCase(Locale.ROOT).equals(reason.trim().toLowerCase(Locale.ROOT))) {
                return null;
            }
        }
        return "disposition_reason '" + reason.trim() + "' is not one of " + allowed;
    }

    /** The new value: null keeps the old one, an empty string clears it. */
    private static String pick(String requested, String old) {
        if (requested == null) {
            return old;
        }
        return requested.isBlank() ? null : requested.trim();
    }
}
