package org.crosscheck.screen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A screening-rule file as written under {@code rules/screening/<id>.yaml} (format: docs/screening-rules.md).
 * Read by {@link RuleFiles}, which also checks it.
 *
 * @param version     integer or semver string; kept as text
 * @param severity    high, medium or low; the SQL may output its own {@code severity} column to vary it per finding
 * @param reads       cleaned tables the SQL reads (civil_registry, enrollment, contribution, benefit_payment)
 * @param evidence    output columns to put in the evidence JSON, when the SQL has no {@code evidence} column
 * @param explanation template with {@code {column}} placeholders, when the SQL has no {@code explanation} column
 * @param caseKey     output columns that tell one case from another beside rule, subject and scheme (usually none)
 */
public record RuleFile(String id, Object version, String title, String rationale, String severity,
                       List<String> reads, Map<String, Parameter> parameters, String sql, List<String> evidence,
                       String explanation, @JsonProperty("case_key") List<String> caseKey) {

    public RuleFile {
        reads = reads == null ? List.of() : List.copyOf(reads);
        parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
        caseKey = caseKey == null ? List.of() : List.copyOf(caseKey);
    }

    /** A rule parameter: its default value (number, text, true/false or list) and what it means. */
    public record Parameter(@JsonProperty("default") Object defaultValue, String description) {
    }

    public String versionText() {
        return version == null ? null : String.valueOf(version);
    }
}
