package org.crosscheck.serve;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.crosscheck.publish.EvidenceText;
import org.crosscheck.review.CaseReview;
import org.crosscheck.serve.CaseSnapshot.Case;

/** What each page template shows (the jte templates under src/main/jte take these), and the formatting they share. */
public final class Pages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Pages() {
    }

    /** The frame of every page: title, who is logged in, the session's CSRF token. */
    public record Layout(String title, Users.User user, String csrf) {
    }

    public record LoginPage(String csrf, String message) {
    }

    public record PrecisionLine(String ruleId, String ruleVersion, long confirmed, long dismissed, long undecided,
                                String precisionNow, String precisionAtRun) {
    }

    public record StartPage(Layout layout, long cases, long awaiting, BigDecimal awaitingAmount,
                            List<PrecisionLine> precision, String precisionRun, CaseSnapshot.RunSummary lastRun) {
    }

    public record QueuePage(Layout layout, CaseQuery query, CaseQuery.Result result,
                            Map<String, List<String>> values, String flash) {
        public List<CaseSnapshot.SortKey> sortKeys() {
            return List.of(CaseSnapshot.SortKey.values());
        }
    }

    /** One line of a case's timeline: a run that saw it, or a review log entry. */
    public record TimelineLine(Timestamp at, String what, String who, String detail) {
    }

    public record CasePage(Layout layout, Case c, List<EvidenceText.Table> evidence, List<TimelineLine> timeline,
                           List<Case> others, List<String> reasons, String message, boolean conflict, String back) {
    }

    public record ErrorPage(Layout layout, int status, String message) {
    }

    public static String money(BigDecimal v) {
        return v == null ? "" : String.format(Locale.ROOT, "%,.2f", v);
    }

    public static String time(Timestamp t) {
        return t == null ? "" : TIME.format(t.toInstant());
    }

    public static String nz(String s) {
        return s == null ? "" : s;
    }

    public static String percent(Double p) {
        return p == null ? "no decisions yet" : String.format(Locale.ROOT, "%.0f %%", p * 100);
    }

    /** The case's run history and its review log, oldest first. */
    static List<TimelineLine> timeline(CaseSnapshot s, Case c) {
        List<TimelineLine> out = new ArrayList<>();
        for (CaseSnapshot.HistoryEntry h : s.history(c.id())) {
            String what = "no_longer_found".equals(h.state()) ? "run no longer found it" : "run found it";
            String detail = "no_longer_found".equals(h.state()) ? "" : "amount at risk " + money(h.amount())
                    + ", period " + nz(h.period()) + ", severity " + nz(h.severity())
                    + (h.evidenceCount() == null ? "" : ", " + h.evidenceCount() + " evidence records");
            out.add(new TimelineLine(h.recordedAt(), what + " (run " + h.runId() + ")", "", detail));
        }
        for (CaseSnapshot.LogEntry e : s.log(c.id())) {
            List<String> parts = new ArrayList<>();
            if (!java.util.Objects.equals(e.oldStatus(), e.newStatus())) {
                parts.add("disposition " + nz(e.oldStatus()) + " → " + nz(e.newStatus()));
            }
            if (e.newReason() != null && !e.newReason().equals(e.oldReason())) {
                parts.add("reason: " + e.newReason());
            }
            if (e.newNote() != null && !e.newNote().equals(e.oldNote())) {
                parts.add("note: " + e.newNote());
            }
            if (!java.util.Objects.equals(e.oldAssignee(), e.newAssignee())) {
                parts.add("assigned to " + (e.newAssignee() == null ? "nobody" : e.newAssignee()));
            }
            if (e.reason() != null) {
                parts.add(e.reason());
            }
            String source = e.source() == null ? "" : e.source().startsWith("web") || e.source().startsWith("run")
                    ? " (" + e.source() + ")" : " (spreadsheet import)";
            out.add(new TimelineLine(e.changedAt(), (e.action() == null ? "review" : e.action().replace('_', ' '))
                    + source + (e.revision() == null ? "" : ", revision " + e.revision()), nz(e.reviewer()),
                    String.join("; ", parts)));
        }
        out.sort(Comparator.comparing(TimelineLine::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    /** A conflict in words: who changed the case, when, to what, and that this change was not applied. */
    static String conflictMessage(CaseSnapshot s, CaseReview.Conflict c) {
        StringBuilder sb = new StringBuilder("Not saved: this case was changed after you opened it");
        if (c.changedBy() != null) {
            sb.append(" by ").append(c.changedBy());
        }
        if (c.changedAt() != null) {
            sb.append(" at ").append(time(c.changedAt()));
        }
        if (c.changeSource() != null) {
            sb.append(c.changeSource().equals("web") ? " (in the workspace)"
                    : c.changeSource().startsWith("run") ? " (" + c.changeSource() + ")" : " (spreadsheet import)");
        }
        sb.append(": it is now ").append(c.currentDisposition());
        if (c.currentNote() != null) {
            sb.append(", note \u201c").append(c.currentNote()).append('\u201d');
        }
        List<String> changes = new ArrayList<>();
        for (CaseSnapshot.LogEntry e : s.log(c.action().exceptionId())) {
            if (e.revision() != null && e.revision() > c.action().expectedRevision()) {
                changes.add("revision " + e.revision() + ": " + nz(e.reviewer()) + " " + nz(e.oldStatus()) + " → "
                        + nz(e.newStatus()) + (e.newReason() == null ? "" : " (" + e.newReason() + ")"));
            }
        }
        if (!changes.isEmpty()) {
            sb.append(" [").append(String.join("; ", changes)).append(']');
        }
        sb.append(". The page below shows the case as it is now (revision ").append(c.currentRevision())
                .append("); decide again if you still want to change it.");
        return sb.toString();
    }
}
