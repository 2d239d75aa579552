package org.crosscheck.review;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies reviewers' edits from an exported spreadsheet (CSV or XLSX, see {@link ReviewFile}) through
 * {@link CaseReview}, comparing each row with <em>what the file showed</em> - the case at the revision in the row -
 * not with the list as it is now. So importing an older export, or a colleague's copy, never sets anybody's later
 * decision back:
 * <ul>
 *   <li>a row equal to what its revision showed changed nothing and is skipped, whatever happened to the case since;</li>
 *   <li>a row that changes something on a case whose revision has moved since is a conflict: it is listed (sheet,
 *       row, who changed the case since and to what) and not applied;</li>
 *   <li>every other changed row is applied and logged with the file, sheet and row.</li>
 * </ul>
 * A blank disposition cell keeps the disposition (the export leaves it blank for a case back for review, so an
 * unedited re-import does not settle it); {@code none} clears it. Rows with an unknown or empty id, an invalid
 * disposition or revision, or a dismissal without a valid reason are rejected with their row number; the other rows
 * are applied. The last row of an id wins, with a warning. Files exported before revisions existed (no
 * {@code revision} column) are compared with the current list, with a warning.
 */
public final class ReviewImport {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewImport.class);

    /** A row of the file, by sheet (null for a CSV) and the row number a spreadsheet shows (header = row 1). */
    public record RowProblem(String sheet, int row, String exceptionId, String reason) {
        @Override
        public String toString() {
            return (sheet == null ? "" : "sheet '" + sheet + "' ") + "row " + row
                    + (exceptionId == null || exceptionId.isBlank() ? "" : " (" + exceptionId + ")") + ": " + reason;
        }
    }

    /**
     * @param rowsRead  data rows in the file (blank rows not counted)
     * @param applied   cases changed
     * @param unchanged rows that change nothing against what the file showed
     * @param rejected  rows refused for their content
     * @param conflicts rows not applied because the case changed since the file was exported
     * @param warnings  duplicate ids, skipped sheets, old file format
     */
    public record Result(Path file, int rowsRead, int applied, int unchanged, List<RowProblem> rejected,
                         List<RowProblem> conflicts, List<String> warnings) {
        public boolean hasRejections() {
            return !rejected.isEmpty() || !conflicts.isEmpty();
        }
    }

    private ReviewImport() {
    }

    /** With the default review settings and no rule case keys (an exception list already migrated). */
    public static Result apply(SparkSession spark, Tables tables, Path file, String reviewer) {
        return apply(spark, tables, file, reviewer, new CrossCheckConfig.ReviewSettings(null, null), Map.of());
    }

    /**
     * @param reviewer who imports; recorded for rows whose reviewer column is empty (required: usage error if blank)
     * @throws CrossCheckException (bad input) when the file cannot be read, lacks the exception_id or disposition
     *                             column, or there is no exception list yet
     */
    public static Result apply(SparkSession spark, Tables tables, Path file, String reviewer,
                               CrossCheckConfig.ReviewSettings settings, Map<String, List<String>> caseKeys) {
        if (reviewer == null || reviewer.isBlank()) {
            throw CrossCheckException.config("a review import needs the name of the reviewer who imports it");
        }
        ReviewFile.Contents contents = ReviewFile.read(file);
        List<RowProblem> rejected = new ArrayList<>();
        List<RowProblem> conflicts = new ArrayList<>();
        List<String> warnings = new ArrayList<>(contents.warnings());

        Map<String, ReviewFile.Line> lastById = new LinkedHashMap<>();
        int rowsRead = 0;
        boolean legacy = false;
        for (ReviewFile.Line line : contents.lines()) {
            if (line.blank()) {
                continue;
            }
            rowsRead++;
            if (ReviewFile.isBlank(line.exceptionId())) {
                rejected.add(problem(line, "exception_id is empty"));
                continue;
            }
            legacy |= !line.columns().hasRevision();
            ReviewFile.Line earlier = lastById.put(line.exceptionId().trim(), line);
            if (earlier != null) {
                warnings.add("exception " + line.exceptionId().trim() + " appears on " + where(earlier) + " and "
                        + where(line) + "; the later row wins");
            }
        }
        if (legacy) {
            warnings.add("the file has no revision column (exported by an earlier version): its rows were compared "
                    + "with the current exception list, so a change made since the export cannot be detected");
        }
        // what each row's revision showed
        Map<String, Long> revisions = new LinkedHashMap<>();
        List<ReviewFile.Line> valid = new ArrayList<>();
        for (ReviewFile.Line line : lastById.values()) {
            String id = line.exceptionId().trim();
            if (!ReviewFile.isBlank(line.disposition()) && Disposition.parse(line.disposition()).isEmpty()) {
                rejected.add(problem(line, "disposition '" + line.disposition().trim() + "' is not one of none, "
                        + "confirmed, dismissed (leave it empty to keep the disposition)"));
                continue;
            }
            if (line.columns().hasRevision()) {
                try {
                    revisions.put(id, Long.parseLong(line.revision() == null ? "" : line.revision().trim()));
                } catch (NumberFormatException e) {
                    rejected.add(problem(line, "revision '" + line.revision() + "' is not a number (keep the "
                            + "revision column as exported)"));
                    continue;
                }
            }
            valid.add(line);
        }
        CaseMigration.migrateIfNeeded(spark, tables, caseKeys);
        Map<String, Long> currentRevisions = currentRevisions(spark, tables, valid);
        for (ReviewFile.Line line : valid) {
            String id = line.exceptionId().trim();
            if (!line.columns().hasRevision() && currentRevisions.containsKey(id)) {
                revisions.put(id, currentRevisions.get(id));
            }
        }
        Map<String, CaseReview.ReviewState> shown = CaseReview.statesAt(spark, tables, revisions);

        List<CaseReview.ReviewAction> actions = new ArrayList<>();
        Map<String, ReviewFile.Line> lineOf = new HashMap<>();
        int unchanged = 0;
        for (ReviewFile.Line line : valid) {
            String id = line.exceptionId().trim();
            Long revision = revisions.get(id);
            CaseReview.ReviewState then = revision == null ? null : shown.get(id + "@" + revision);
            if (revision == null || !currentRevisions.containsKey(id)) {
                rejected.add(problem(line, "unknown exception_id (not in the exception list)"));
                continue;
            }
            if (then == null) {
                rejected.add(problem(line, "revision " + revision + " of this case is not known (keep the revision "
                        + "column as exported)"));
                continue;
            }
            Disposition disposition = ReviewFile.isBlank(line.disposition()) ? null
                    : Disposition.parse(line.disposition()).orElseThrow();
            ReviewFile.Columns cols = line.columns();
            boolean changed = disposition != null
                    && (!disposition.code().equals(then.disposition()) || then.needsReview())
                    || cols.hasReason() && Disposition.DISMISSED.code().equals(disposition == null ? then.disposition()
                    : disposition.code()) && !Objects.equals(blankToNull(line.reason()), then.reason())
                    || cols.hasNote() && !Objects.equals(blankToNull(line.note()), then.note())
                    || cols.hasAssignee() && !Objects.equals(blankToNull(line.assignee()), then.assignee());
            if (!changed) {
                unchanged++;
                continue;
            }
            String who = ReviewFile.isBlank(line.reviewer()) ? reviewer : line.reviewer().trim();
            String source = file.toAbsolutePath() + " " + where(line);
            actions.add(new CaseReview.ReviewAction(id, revision, disposition,
                    cols.hasReason() ? nz(line.reason()) : null, cols.hasNote() ? nz(line.note()) : null,
                    cols.hasAssignee() ? nz(line.assignee()) : null, who, source));
            lineOf.put(id, line);
        }
        boolean reasonRequired = valid.stream().allMatch(l -> l.columns().hasReason());
        CaseReview.ApplyResult result = CaseReview.apply(spark, tables, actions, settings.dismissReasons(),
                reasonRequired, caseKeys);
        for (CaseReview.Conflict c : result.conflicts()) {
            conflicts.add(problem(lineOf.get(c.action().exceptionId()), c.toString()));
        }
        for (CaseReview.Rejection r : result.rejected()) {
            rejected.add(problem(lineOf.get(r.action().exceptionId()), r.reason()));
        }
        Comparator<RowProblem> order = Comparator.comparing(RowProblem::sheet,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparingInt(RowProblem::row);
        rejected.sort(order);
        conflicts.sort(order);
        Result out = new Result(file, rowsRead, result.applied(), unchanged + result.unchanged(), List.copyOf(rejected),
                List.copyOf(conflicts), List.copyOf(warnings));
        LOG.info("Review import of {}: {} rows, {} applied, {} unchanged, {} conflicts, {} rejected", file.getFileName(),
                rowsRead, out.applied(), out.unchanged(), conflicts.size(), rejected.size());
        conflicts.forEach(p -> LOG.warn("{}: conflict: {}", file.getFileName(), p));
        rejected.forEach(p -> LOG.warn("{}: rejected: {}", file.getFileName(), p));
        warnings.forEach(w -> LOG.warn("{}: {}", file.getFileName(), w));
        return out;
    }

    private static Map<String, Long> currentRevisions(SparkSession spark, Tables tables, List<ReviewFile.Line> lines) {
        Map<String, Long> out = new HashMap<>();
        if (lines.isEmpty()) {
            return out;
        }
        Object[] ids = lines.stream().map(l -> l.exceptionId().trim()).distinct().toArray();
        org.crosscheck.screen.ExceptionList.read(spark, tables)
                .where(org.apache.spark.sql.functions.col(org.crosscheck.screen.ExceptionList.EXCEPTION_ID).isin(ids))
                .select(org.crosscheck.screen.ExceptionList.EXCEPTION_ID, org.crosscheck.screen.ExceptionList.REVISION)
                .collectAsList()
                .forEach(r -> out.put(r.getString(0), r.isNullAt(1) ? 0L : r.getLong(1)));
        return out;
    }

    private static RowProblem problem(ReviewFile.Line line, String reason) {
        return new RowProblem(line.sheet(), line.row(), line.exceptionId() == null ? null : line.exceptionId().trim(),
                reason);
    }

    private static String where(ReviewFile.Line line) {
        return (line.sheet() == null ? "" : "sheet '" + line.sheet() + "' ") + "row " + line.row();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
