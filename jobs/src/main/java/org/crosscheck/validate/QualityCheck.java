package org.crosscheck.validate;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One quality check from a rule file under {@code rules/quality/}, as a risk officer writes it. The fields name
 * canonical (typed, normalised) columns. A check that cannot be evaluated on a row (a field is null, e.g. because
 * it failed to parse) passes on that row; missing values are the business of {@code not_blank}.
 *
 * @param name        unique within the file; appears in {@code _reasons}/{@code _warnings} and in the metrics
 * @param criticality {@code error} (the row goes to quarantine) or {@code warn} (the row is kept, the warning recorded)
 * @param check       the kind of check, see {@link CheckKind}
 * @param fields      the canonical field(s) checked
 * @param arguments   what the kind needs (pattern, values, min/max, years, tables, sql)
 * @param filter      optional Spark SQL condition: the check applies only to rows where it is true
 * @param message     plain words for the reviewer
 */
public record QualityCheck(String name, String criticality, String check, List<String> fields,
                           Map<String, Object> arguments, String filter, String message) {

    public QualityCheck {
        fields = fields == null ? List.of() : List.copyOf(fields);
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    }

    /** The kind named by {@code check}, or null when there is none of that name. */
    @JsonIgnore
    public CheckKind kind() {
        return CheckKind.fromId(check);
    }

    @JsonIgnore
    public boolean isError() {
        return "error".equals(criticality);
    }

    /** Argument as a string, or null. */
    public String argument(String key) {
        Object v = arguments.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** Argument as a list of strings (a single value becomes a one-element list), or an empty list. */
    public List<String> listArgument(String key) {
        Object v = arguments.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(v));
    }
}
