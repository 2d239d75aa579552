package org.crosscheck.publish;

import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;

/**
 * The columns of an exception export, in order, with a width for spreadsheets. The last three are the ones a
 * reviewer edits; the review import reads them back by header name, so their order may change in an edited file.
 */
enum ExportColumn {
    EXCEPTION_ID(ExceptionList.EXCEPTION_ID, 27),
    RULE_ID(Findings.RULE_ID, 26),
    RULE_VERSION(Findings.RULE_VERSION, 8),
    SEVERITY(Findings.SEVERITY, 9),
    SUBJECT_TYPE(Findings.SUBJECT_TYPE, 12),
    SUBJECT_ID(Findings.SUBJECT_ID, 21),
    SCHEME(Findings.SCHEME, 24),
    REGION(Findings.REGION, 10),
    PERIOD(Findings.PERIOD, 17),
    AMOUNT_AT_RISK(Findings.AMOUNT_AT_RISK, 15),
    EXPLANATION(Findings.EXPLANATION, 60),
    EVIDENCE(Findings.EVIDENCE, 50),
    STATUS(ExceptionList.STATUS, 12),
    REVIEWER(ExceptionList.REVIEWER, 14),
    REVIEW_NOTE(ExceptionList.REVIEW_NOTE, 40);

    final String header;
    final int widthChars;

    ExportColumn(String header, int widthChars) {
        this.header = header;
        this.widthChars = widthChars;
    }
}
