package org.crosscheck.validate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One quality check from a rule file under {@code rules/quality/}, as a risk officer writes it. The fields name
 * canonical (typed, normalised) columns. A check that cannot be evaluated on a row (a field is null, e.g. because
 * it failed to parse) passes on that row; missing values are the business of {@code not_blank}.
 *
 * @param name        unique within the file; appears in {@code _reasons}/{@code _warnings} and in the metrics
 * @param criticality {@code error} (the row goes to quarantine) or {@code warn} (the row is kept, the warning recorded)
 * @param check       the kind of check, see {@link Kind}
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

    /** Check kinds. Each one's arguments are listed in docs/validation.md. */
    public enum Kind {
        /** value present and not blank (after trimming and NFKC). */
        NOT_BLANK,
        /** value matches {@code pattern} (a Java regular expression, whole value). */
        PATTERN,
        /** value is one of {@code values}. */
        IN_LIST,
        /** number or date within {@code min}/{@code max} (inclusive) or {@code above}/{@code below} (exclusive); {@code today} allowed for dates. */
        RANGE,
        /** fields [earlier, later]: the later date is not before the earlier one. */
        DATE_ORDER,
        /** fields [birth_date, at_date]: age at the second date at most {@code years} (plausibility). */
        MAX_AGE,
        /** the fields together identify a record: one content per key within a batch (exact duplicates are not violations). */
        UNIQUE,
        /** field value exists in one of the cleaned tables {@code tables} (column {@code column}, default the same name). */
        REFERENCE,
        /** a Spark SQL boolean expression {@code sql} that must hold (null counts as holding). */
        EXPRESSION,
        /** GB 11643-1999: 18 characters, real embedded birth date, right check character. */
        IDENTITY_NUMBER,
        /** fields [national_id, birth_date]: the birth date embedded in the number equals the birth-date field. */
        IDENTITY_BIRTH_DATE,
        /** fields [national_id, sex]: the 17th digit's parity (odd male) agrees with the sex field (M/F). */
        IDENTITY_SEX;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromId(String id) {
            return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElse(null);
        }
    }

    @JsonIgnore
    public Kind kind() {
        return Kind.fromId(check);
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
