package org.crosscheck.screen;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies reviewers' dispositions from an edited export (CSV or XLSX, see {@link ReviewFile}) to the exception list.
 * <ul>
 *   <li>Per row: {@code exception_id}, {@code status} (new, open, confirmed, dismissed or resolved; trimmed,
 *       any case), {@code review_note}, and {@code reviewer} if filled, else the {@code reviewer} argument.</li>
 *   <li>Rows with an unknown exception id, an empty id or an invalid status are reported with their row number and
 *       not applied; the valid rows of the same file are applied.</li>
 *   <li>Rows whose status and note equal the list's are ignored, so importing the same file twice changes
 *       nothing the second time.</li>
 *   <li>An exception id on several rows: the last row wins (whatever it holds); the earlier rows are named in a
 *       warning.</li>
 *   <li>Each change sets status, reviewer, review_note and reviewed_at (the same instant for the whole import) and
 *       is appended to the {@link ReviewLog} with the old and new values. The log is written first: if the job dies
 *       between the two writes, the change is logged but not applied, and importing the file again applies it
 *       (and logs it again) - the log may repeat an entry but never misses one.</li>
 * </ul>
 * The next screening run keeps these dispositions (see {@link ExceptionList#merge}).
 */
public final class ReviewImport {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewImport.class);

    private static final String VALID = Arrays.stream(ReviewStatus.values()).map(ReviewStatus::code)
            .collect(Collectors.joining(", "));

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
     * @param applied   exceptions whose status or note changed
     * @param unchanged valid rows equal to the list, ignored
     * @param rejected  rows reported and not applied
     * @param warnings  duplicate ids, skipped sheets
     */
    public record Result(Path file, int rowsRead, int applied, int unchanged, List<RowProblem> rejected,
                         List<String> warnings) {
        public boolean hasRejections() {
            return !rejected.isEmpty();
        }
    }

    private record Change(ReviewFile.Line line, ReviewStatus status, String note, String reviewer) {
    }

    private ReviewImport() {
    }

    /**
     * @param reviewer who imports; recorded for rows whose reviewer column is empty (required: usage error if blank)
     * @throws CrossCheckException (bad input) when the file cannot be read, lacks the exception_id or status column,
     *                             or there is no exception list yet
     */
    public static Result apply(SparkSession spark, Tables tables, Path file, String reviewer) {
        if (reviewer == null || reviewer.isBlank()) {
            throw CrossCheckException.config("a review import needs the name of the reviewer who imports it");
        }
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            throw CrossCheckException.badInput("there is no exception list at " + tables.exceptions()
                    + " yet; run screening before importing reviews from " + file);
        }
        ReviewFile.Contents contents = ReviewFile.read(file);
        List<RowProblem> rejected = new ArrayList<>();
        List<String> warnings = new ArrayList<>(contents.warnings());

        // Last row per id wins; blank rows are skipped.
        Map<String, ReviewFile.Line> lastById = new LinkedHashMap<>();
        int rowsRead = 0;
        for (ReviewFile.Line line : contents.lines()) {
            if (line.blank()) {
                continue;
            }
            rowsRead++;
            if (ReviewFile.isBlank(line.exceptionId())) {
                rejected.add(problem(line, "exception_id is empty"));
                continue;
            }
            ReviewFile.Line earlier = lastById.put(line.exceptionId().trim(), line);
            if (earlier != null) {
                warnings.add("exception " + line.exceptionId().trim() + " appears on " + where(earlier) + " and "
                        + where(line) + "; the later row wins");
            }
        }
        List<Change> candidates = new ArrayList<>();
        for (ReviewFile.Line line : lastById.values()) {
            var status = ReviewStatus.parse(line.status());
            if (status.isEmpty()) {
                rejected.add(problem(line, ReviewFile.isBlank(line.status()) ? "status is empty (one of " + VALID + ")"
                        : "status '" + line.status().trim() + "' is not one of " + VALID));
                continue;
            }
            String who = ReviewFile.isBlank(line.reviewer()) ? reviewer : line.reviewer().trim();
            candidates.add(new Change(line, status.get(), emptyToNull(line.note()), who));
        }

        Map<String, Row> current = currentValues(spark, tables, candidates);
        Timestamp now = Timestamp.from(Instant.now());
        List<Change> changes = new ArrayList<>();
        List<Row> log = new ArrayList<>();
        int unchanged = 0;
        for (Change c : candidates) {
            String id = c.line().exceptionId().trim();
            Row cur = current.get(id);
            if (cur == null) {
                rejected.add(problem(c.line(), "unknown exception_id (not in the exception list)"));
                continue;
            }
            String oldStatus = cur.getString(1);
            String oldNote = cur.getString(2);
            if (c.status().code().equals(oldStatus) && Objects.equals(c.note(), emptyToNull(oldNote))) {
                unchanged++;
                continue;
            }
            changes.add(c);
            log.add(RowFactory.create(id, c.reviewer(), now, oldStatus, c.status().code(), oldNote, c.note(),
                    file.toAbsolutePath().toString()));
        }
        rejected.sort(Comparator.comparing(RowProblem::sheet, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingInt(RowProblem::row));

        if (!changes.isEmpty()) {
            ReviewLog.append(spark, tables, log);
            applyChanges(spark, tables, changes, now);
        }
        Result result = new Result(file, rowsRead, changes.size(), unchanged, List.copyOf(rejected),
                List.copyOf(warnings));
        LOG.info("Review import of {}: {} rows, {} applied, {} unchanged, {} rejected", file, rowsRead,
                changes.size(), unchanged, rejected.size());
        for (RowProblem p : rejected) {
            LOG.warn("{}: {}", file.getFileName(), p);
        }
        for (String w : warnings) {
            LOG.warn("{}: {}", file.getFileName(), w);
        }
        return result;
    }

    /** exception_id to (exception_id, status, review_note) for the ids of the file that are in the list. */
    private static Map<String, Row> currentValues(SparkSession spark, Tables tables, List<Change> candidates) {
        Map<String, Row> found = new LinkedHashMap<>();
        if (candidates.isEmpty()) {
            return found;
        }
        List<Row> ids = candidates.stream().map(c -> RowFactory.create(c.line().exceptionId().trim())).toList();
        Dataset<Row> wanted = spark.createDataFrame(ids,
                new StructType().add("wanted_id", DataTypes.StringType));
        Dataset<Row> table = spark.read().format("delta").load(tables.exceptions())
                .select(ExceptionList.EXCEPTION_ID, ExceptionList.STATUS, ExceptionList.REVIEW_NOTE);
        for (Row r : table.join(wanted, col(ExceptionList.EXCEPTION_ID).equalTo(col("wanted_id")), "left_semi")
                .collectAsList()) {
            found.put(r.getString(0), r);
        }
        return found;
    }

    private static void applyChanges(SparkSession spark, Tables tables, List<Change> changes, Timestamp now) {
        StructType schema = new StructType()
                .add(ExceptionList.EXCEPTION_ID, DataTypes.StringType)
                .add(ExceptionList.STATUS, DataTypes.StringType)
                .add(ExceptionList.REVIEWER, DataTypes.StringType)
                .add(ExceptionList.REVIEW_NOTE, DataTypes.StringType);
        List<Row> rows = changes.stream().map(c -> RowFactory.create(c.line().exceptionId().trim(),
                c.status().code(), c.reviewer(), c.note())).toList();
        Dataset<Row> source = spark.createDataFrame(rows, schema);
        DeltaTable.forPath(spark, tables.exceptions()).as("t")
                .merge(source.as("s"), col("t." + ExceptionList.EXCEPTION_ID).equalTo(col("s." + ExceptionList.EXCEPTION_ID)))
                .whenMatched().update(Map.of(
                        ExceptionList.STATUS, col("s." + ExceptionList.STATUS),
                        ExceptionList.REVIEWER, col("s." + ExceptionList.REVIEWER),
                        ExceptionList.REVIEW_NOTE, col("s." + ExceptionList.REVIEW_NOTE),
                        ExceptionList.REVIEWED_AT, lit(now),
                        ExceptionList.UPDATED_AT, lit(now)))
                .execute();
    }

    private static RowProblem problem(ReviewFile.Line line, String reason) {
        return new RowProblem(line.sheet(), line.row(), line.exceptionId() == null ? null : line.exceptionId().trim(),
                reason);
    }

    private static String where(ReviewFile.Line line) {
        return (line.sheet() == null ? "" : "sheet '" + line.sheet() + "' ") + "row " + line.row();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
