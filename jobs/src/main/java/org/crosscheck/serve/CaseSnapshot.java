package org.crosscheck.serve;

import static org.apache.spark.sql.functions.col;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.Tables;
import org.crosscheck.review.CaseHistory;
import org.crosscheck.review.ReviewLog;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;

/**
 * An immutable in-memory copy of what the workspace shows: the exception list, the case timeline, the review log, the
 * latest reviewers' precision and the last runs. Read from the Delta tables once ({@link #load}); pages are served
 * from it without Spark. Per sort key an index of the cases in order is built once, so a queue page is one pass over
 * that index (no sort per request).
 */
public final class CaseSnapshot {
    /** One case, with what the exception list holds. */
    public record Case(String id, String ruleId, String ruleVersion, String severity, String subjectType,
                       String subjectId, String subjectName, String scheme, String region, String period,
                       BigDecimal amount, String evidence, String explanation, Integer evidenceCount,
                       String firstSeenRun, String lastSeenRun, String state, String disposition, String reason,
                       String reviewer, String note, Timestamp reviewedAt, BigDecimal reviewedAmount, String assignee,
                       boolean needsReview, String reviewReason, long revision, Timestamp updatedAt) {
        /** Active and undecided, or back for review. */
        public boolean awaitingReview() {
            return ExceptionList.ACTIVE.equals(state) && ("none".equals(disposition) || needsReview);
        }

        /** As {@link ExceptionList#displayStatus()} says it. */
        public String status() {
            if (ExceptionList.NO_LONGER_FOUND.equals(state)) {
                return "no longer found";
            }
            if (needsReview) {
                return "back for review";
            }
            if ("none".equals(disposition)) {
                return Objects.equals(firstSeenRun, lastSeenRun) ? "new" : "awaiting review";
            }
            return disposition;
        }

        public int severityRank() {
            return switch (severity == null ? "" : severity) {
                case "high" -> 3;
                case "medium" -> 2;
                case "low" -> 1;
                default -> 0;
            };
        }
    }

    /** One run's facts of a case (screening/case_history). */
    public record HistoryEntry(String runId, Timestamp recordedAt, String state, String severity, String period,
                               BigDecimal amount, Integer evidenceCount) {
    }

    /** One review log entry of a case. */
    public record LogEntry(Timestamp changedAt, String reviewer, String action, String oldStatus, String newStatus,
                           String oldReason, String newReason, String oldNote, String newNote, String oldAssignee,
                           String newAssignee, String reason, Long revision, String source) {
    }

    public record Precision(String ruleId, String ruleVersion, long confirmed, long dismissed, long undecided,
                            Double precision) {
    }

    public record RunSummary(String runId, String command, Timestamp startedAt, Timestamp endedAt, int exitCode,
                             String status, Map<String, Long> exceptionCounts, Map<String, Long> rowCounts) {
    }

    /** Keys the queue sorts by; each has a precomputed index. */
    public enum SortKey {
        AMOUNT(Comparator.comparing(Case::amount, Comparator.nullsFirst(Comparator.naturalOrder()))),
        SEVERITY(Comparator.comparingInt(Case::severityRank).thenComparing(Case::amount,
                Comparator.nullsFirst(Comparator.naturalOrder()))),
        FIRST_SEEN(Comparator.comparing(Case::firstSeenRun, Comparator.nullsFirst(Comparator.naturalOrder()))),
        RULE(Comparator.comparing(Case::ruleId, Comparator.nullsFirst(Comparator.naturalOrder()))),
        REGION(Comparator.comparing(Case::region, Comparator.nullsFirst(Comparator.naturalOrder()))),
        SCHEME(Comparator.comparing(Case::scheme, Comparator.nullsFirst(Comparator.naturalOrder()))),
        STATE(Comparator.comparing(Case::status)),
        ASSIGNEE(Comparator.comparing(Case::assignee, Comparator.nullsFirst(Comparator.naturalOrder()))),
        PERIOD(Comparator.comparing(Case::period, Comparator.nullsFirst(Comparator.naturalOrder())));

        final Comparator<Case> order;

        SortKey(Comparator<Case> order) {
            this.order = order.thenComparing(Case::id);
        }

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Table versions the snapshot was read at (-1: no table). */
    public record Versions(long exceptions, long caseHistory, long reviewLog, long rulePrecision, long runs) {
    }

    final Case[] cases;
    /** Each case's amount at risk in cents (0 when none), for the queue's totals and amount bounds. */
    final long[] cents;
    final Map<String, Integer> position;
    final Map<SortKey, int[]> sorted;
    final Map<String, List<Integer>> bySubject;
    final Map<String, List<HistoryEntry>> history;
    final Map<String, List<LogEntry>> log;
    final List<Precision> precision;
    final String precisionRun;
    final List<RunSummary> runs;
    final Versions versions;
    final Map<String, List<String>> values;

    CaseSnapshot(Case[] cases, Map<String, List<HistoryEntry>> history, Map<String, List<LogEntry>> log,
                 List<Precision> precision, String precisionRun, List<RunSummary> runs, Versions versions,
                 Map<SortKey, int[]> sortedOrNull) {
        this.cases = cases;
        this.cents = new long[cases.length];
        for (int i = 0; i < cases.length; i++) {
            cents[i] = cases[i].amount() == null ? 0 : cases[i].amount().movePointRight(2).longValue();
        }
        this.history = history;
        this.log = log;
        this.precision = precision;
        this.precisionRun = precisionRun;
        this.runs = runs;
        this.versions = versions;
        Map<String, Integer> pos = new HashMap<>(cases.length * 2);
        Map<String, List<Integer>> subjects = new HashMap<>();
        for (int i = 0; i < cases.length; i++) {
            pos.put(cases[i].id(), i);
            if (cases[i].subjectId() != null) {
                subjects.computeIfAbsent(cases[i].subjectId(), k -> new ArrayList<>(2)).add(i);
            }
        }
        this.position = pos;
        this.bySubject = subjects;
        if (sortedOrNull != null) {
            this.sorted = sortedOrNull;
        } else {
            Map<SortKey, int[]> s = new java.util.EnumMap<>(SortKey.class);
            for (SortKey k : SortKey.values()) {
                Integer[] idx = new Integer[cases.length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, (a, b) -> k.order.compare(cases[a], cases[b]));
                s.put(k, Arrays.stream(idx).mapToInt(Integer::intValue).toArray());
            }
            this.sorted = s;
        }
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("rule", distinct(Case::ruleId));
        v.put("severity", List.of("high", "medium", "low"));
        v.put("region", distinct(Case::region));
        v.put("scheme", distinct(Case::scheme));
        v.put("state", List.of(ExceptionList.ACTIVE, ExceptionList.NO_LONGER_FOUND));
        v.put("disposition", List.of("none", "confirmed", "dismissed"));
        v.put("first_seen", distinct(Case::firstSeenRun));
        v.put("assignee", distinct(Case::assignee));
        this.values = v;
    }

    private List<String> distinct(Function<Case, String> f) {
        TreeSet<String> s = new TreeSet<>();
        for (Case c : cases) {
            String x = f.apply(c);
            if (x != null) {
                s.add(x);
            }
        }
        return List.copyOf(s);
    }

    public int size() {
        return cases.length;
    }

    public Case get(String id) {
        Integer i = position.get(id);
        return i == null ? null : cases[i];
    }

    public List<Case> sameSubject(Case c) {
        List<Case> out = new ArrayList<>();
        for (int i : bySubject.getOrDefault(c.subjectId(), List.of())) {
            if (!cases[i].id().equals(c.id())) {
                out.add(cases[i]);
            }
        }
        return out;
    }

    public List<HistoryEntry> history(String id) {
        return history.getOrDefault(id, List.of());
    }

    public List<LogEntry> log(String id) {
        return log.getOrDefault(id, List.of());
    }

    /**
     * This snapshot with the given cases and their review log replaced (after a reviewer's action); the sort
     * indexes are kept (review fields change no fact the indexes sort by but status and assignee, which the next
     * reload re-sorts).
     */
    CaseSnapshot patched(List<Case> changed, Map<String, List<LogEntry>> changedLog) {
        Case[] copy = cases.clone();
        for (Case c : changed) {
            Integer i = position.get(c.id());
            if (i != null) {
                copy[i] = c;
            }
        }
        Map<String, List<LogEntry>> newLog = new HashMap<>(log);
        newLog.putAll(changedLog);
        return new CaseSnapshot(copy, history, newLog, precision, precisionRun, runs, versions, sorted);
    }

    /** This snapshot, taken as current for the given table versions. */
    CaseSnapshot at(Versions v) {
        return new CaseSnapshot(cases, history, log, precision, precisionRun, runs, v, sorted);
    }

    // ------------------------------------------------------------------ loading from the Delta tables

    /** The latest commit version of a Delta table by its log folder's file names (-1 when there is none). */
    static long version(SparkSession spark, String table) {
        try {
            org.apache.hadoop.fs.Path logDir = new org.apache.hadoop.fs.Path(table, "_delta_log");
            org.apache.hadoop.fs.FileSystem fs = logDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(logDir)) {
                return -1;
            }
            long max = -1;
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(logDir)) {
                String n = f.getPath().getName();
                int dot = n.indexOf('.');
                if (dot == 20 && n.chars().limit(20).allMatch(Character::isDigit)
                        && (n.endsWith(".json") || n.endsWith(".checkpoint.parquet"))) {
                    max = Math.max(max, Long.parseLong(n.substring(0, 20)));
                }
            }
            return max;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Versions versions(SparkSession spark, Tables tables) {
        return new Versions(version(spark, tables.exceptions()), version(spark, tables.caseHistory()),
                version(spark, tables.reviewLog()), version(spark, tables.rulePrecision()), version(spark, tables.runs()));
    }

    static CaseSnapshot load(SparkSession spark, Tables tables) {
        Versions v = versions(spark, tables);
        List<Case> cases = new ArrayList<>();
        if (v.exceptions() >= 0) {
            cases = readCases(ExceptionList.read(spark, tables));
        }
        Map<String, List<HistoryEntry>> history = new HashMap<>();
        if (v.caseHistory() >= 0) {
            for (Row r : CaseHistory.read(spark, tables).select("exception_id", "run_id", "recorded_at", "state",
                    "severity", "period", "amount_at_risk", "evidence_count").collectAsList()) {
                history.computeIfAbsent(r.getString(0), k -> new ArrayList<>(2)).add(new HistoryEntry(r.getString(1),
                        r.getTimestamp(2), r.getString(3), r.getString(4), r.getString(5), r.getDecimal(6),
                        r.isNullAt(7) ? null : r.getInt(7)));
            }
            history.values().forEach(l -> l.sort(Comparator.comparing(HistoryEntry::recordedAt,
                    Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(HistoryEntry::runId)));
        }
        Map<String, List<LogEntry>> log = v.reviewLog() >= 0 ? readLog(ReviewLog.read(spark, tables)) : new HashMap<>();
        List<Precision> precision = new ArrayList<>();
        String precisionRun = null;
        if (v.rulePrecision() >= 0) {
            Dataset<Row> p = spark.read().format("delta").load(tables.rulePrecision());
            Row last = p.selectExpr("max(run_id)").first();
            precisionRun = last.isNullAt(0) ? null : last.getString(0);
            if (precisionRun != null) {
                for (Row r : p.where(col("run_id").equalTo(precisionRun)).orderBy("rule_id", "rule_version")
                        .select("rule_id", "rule_version", "confirmed", "dismissed", "undecided", "precision")
                        .collectAsList()) {
                    precision.add(new Precision(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3),
                            r.getLong(4), r.isNullAt(5) ? null : r.getDouble(5)));
                }
            }
        }
        List<RunSummary> runs = new ArrayList<>();
        if (v.runs() >= 0) {
            for (Row r : spark.read().format("delta").load(tables.runs())
                    .where(col("command").isin("run", "screen").and(col("status").notEqual("started")))
                    .orderBy(col("started_at").desc()).limit(5)
                    .select("run_id", "command", "started_at", "ended_at", "exit_code", "status", "exception_counts",
                            "row_counts").collectAsList()) {
                runs.add(new RunSummary(r.getString(0), r.getString(1), r.getTimestamp(2), r.getTimestamp(3),
                        r.getInt(4), r.getString(5), new java.util.TreeMap<>(r.<String, Long>getJavaMap(6)),
                        new java.util.TreeMap<>(r.<String, Long>getJavaMap(7))));
            }
        }
        return new CaseSnapshot(cases.toArray(Case[]::new), history, log, List.copyOf(precision), precisionRun,
                List.copyOf(runs), v, null);
    }

    /** The given cases and their review log, read again (after an action on them). */
    static CaseSnapshot reloadCases(SparkSession spark, Tables tables, CaseSnapshot base, List<String> ids) {
        Object[] wanted = ids.toArray();
        List<Case> changed = readCases(ExceptionList.read(spark, tables).where(col(ExceptionList.EXCEPTION_ID).isin(wanted)));
        Map<String, List<LogEntry>> log = readLog(ReviewLog.read(spark, tables).where(col("exception_id").isin(wanted)));
        return base.patched(changed, log);
    }

    private static List<Case> readCases(Dataset<Row> table) {
        List<Case> out = new ArrayList<>();
        for (Row r : table.select(ExceptionList.EXCEPTION_ID, Findings.RULE_ID, Findings.RULE_VERSION,
                Findings.SEVERITY, Findings.SUBJECT_TYPE, Findings.SUBJECT_ID, ExceptionList.SUBJECT_NAME,
                Findings.SCHEME, Findings.REGION, Findings.PERIOD, Findings.AMOUNT_AT_RISK, Findings.EVIDENCE,
                Findings.EXPLANATION, ExceptionList.EVIDENCE_COUNT, ExceptionList.FIRST_SEEN_RUN,
                ExceptionList.LAST_SEEN_RUN, ExceptionList.STATE, ExceptionList.DISPOSITION,
                ExceptionList.DISPOSITION_REASON, ExceptionList.REVIEWER, ExceptionList.REVIEW_NOTE,
                ExceptionList.REVIEWED_AT, ExceptionList.REVIEWED_AMOUNT, ExceptionList.ASSIGNEE,
                ExceptionList.NEEDS_REVIEW, ExceptionList.REVIEW_REASON, ExceptionList.REVISION,
                ExceptionList.UPDATED_AT).collectAsList()) {
            out.add(new Case(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getDecimal(10),
                    r.getString(11), r.getString(12), r.isNullAt(13) ? null : r.getInt(13), r.getString(14),
                    r.getString(15), r.getString(16), r.isNullAt(17) ? "none" : r.getString(17), r.getString(18),
                    r.getString(19), r.getString(20), r.getTimestamp(21), r.getDecimal(22), r.getString(23),
                    !r.isNullAt(24) && r.getBoolean(24), r.getString(25), r.isNullAt(26) ? 0 : r.getLong(26),
                    r.getTimestamp(27)));
        }
        return out;
    }

    private static Map<String, List<LogEntry>> readLog(Dataset<Row> log) {
        Map<String, List<LogEntry>> out = new HashMap<>();
        for (Row r : log.select("exception_id", "changed_at", "reviewer", "action", "old_status", "new_status",
                "old_reason", "new_reason", "old_note", "new_note", "old_assignee", "new_assignee", "reason",
                "revision", "source_file").collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>(1)).add(new LogEntry(r.getTimestamp(1),
                    r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7),
                    r.getString(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12),
                    r.isNullAt(13) ? null : r.getLong(13), r.getString(14)));
        }
        out.values().forEach(l -> l.sort(Comparator.comparing(LogEntry::changedAt,
                Comparator.nullsFirst(Comparator.naturalOrder()))));
        return out;
    }

    static boolean hasCases(SparkSession spark, Tables tables) {
        return DeltaTable.isDeltaTable(spark, tables.exceptions());
    }
}
