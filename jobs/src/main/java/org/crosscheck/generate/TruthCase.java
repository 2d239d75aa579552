package org.crosscheck.generate;

import java.util.List;

/**
 * One row of {@code truth.csv}: what screening should flag or leave alone, or what validation should do with a
 * bad row.
 *
 * @param kind     {@code screening} or {@code quality}
 * @param ruleId   screening rule id, or the quality check the row exercises
 * @param expected {@code flag} / {@code no_flag} (screening); {@code quarantine} / {@code warn} / {@code clean} (quality)
 */
record TruthCase(String caseId, String kind, String ruleId, String expected, String family, String subjectType,
                 String subjectId, String period, String amountAtRisk, String description) {

    static final List<String> HEADER = List.of("case_id", "kind", "rule_id", "expected", "family", "subject_type",
            "subject_id", "period", "amount_at_risk", "description");

    List<String> fields() {
        return List.of(caseId, kind, ruleId, expected, family, subjectType, subjectId, period, amountAtRisk,
                description);
    }
}
