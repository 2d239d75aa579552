package org.crosscheck.publish;

import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;

/**
 * The columns of an exception export, in order, with a width for spreadsheets and whether a reviewer edits it. The
 * review import reads the edited ones (and exception_id and revision) back by header name, so their order may change
 * in an edited file. {@code status} is derived for reading (new, awaiting review, back for review, confirmed,
 * dismissed); {@code evidence} is readable text ({@link EvidenceText}).
 */
enum ExportColumn {
    EXCEPTION_ID(ExceptionList.EXCEPTION_ID, 27, false),
    REVISION(ExceptionList.REVISION, 9, false),
    RULE_ID(Findings.RULE_ID, 26, false),
    RULE_VERSION(Findings.RULE_VERSION, 8, false),
    SEVERITY(Findings.SEVERITY, 9, false),
    STATUS("status", 16, false),
    SUBJECT_TYPE(Findings.SUBJECT_TYPE, 12, false),
    SUBJECT_ID(Findings.SUBJECT_ID, 21, false),
    SUBJECT_NAME(ExceptionList.SUBJECT_NAME, 14, false),
    SCHEME(Findings.SCHEME, 24, false),
    REGION(Findings.REGION, 10, false),
    PERIOD(Findings.PERIOD, 17, false),
    AMOUNT_AT_RISK(Findings.AMOUNT_AT_RISK, 15, false),
    REVIEWED_AMOUNT(ExceptionList.REVIEWED_AMOUNT, 15, false),
    FIRST_SEEN_RUN(ExceptionList.FIRST_SEEN_RUN, 22, false),
    REVIEW_REASON(ExceptionList.REVIEW_REASON, 40, false),
    EXPLANATION(Findings.EXPLANATION, 60, false),
    EVIDENCE(Findings.EVIDENCE, 70, false),
    DISPOSITION(ExceptionList.DISPOSITION, 12, true),
    DISPOSITION_REASON(ExceptionList.DISPOSITION_REASON, 30, true),
    REVIEWER(ExceptionList.REVIEWER, 14, true),
    REVIEW_NOTE(ExceptionList.REVIEW_NOTE, 40, true),
    ASSIGNEE(ExceptionList.ASSIGNEE, 14, true);

    final String header;
    final int widthChars;
    final boolean edited;

    ExportColumn(String header, int widthChars, boolean edited) {
        this.header = header;
        this.widthChars = widthChars;
        this.edited = edited;
    }
}
