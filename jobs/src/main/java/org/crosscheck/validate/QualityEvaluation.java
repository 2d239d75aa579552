package org.crosscheck.validate;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_date;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;

/**
 * Evaluates all quality checks of a family on a parsed batch in one projection, adding {@code _row_hash},
 * {@code _reasons} (error-level: parse failures, malformed lines, missing business key, failed {@code error}
 * checks) and {@code _warnings} (failed {@code warn} checks). A malformed line (wrong number of fields) gets
 * exactly one reason saying so; its partial fields are not checked further.
 *
 * <p>A check whose fields are null on a row passes on that row (the value is missing or did not parse, which
 * is reported once by {@code not_blank} or the parse check). Reference checks join the batch with the distinct
 * ids of the referenced cleaned tables (a missing table counts as empty); uniqueness uses a window over the batch.
 */
public final class QualityEvaluation {
    /** Built-in check: a business-key field is blank (such a row cannot be merged). */
    public static final String BUSINESS_KEY_MISSING = "business_key_missing";
    /** Built-in check: the CSV line had too many or too few fields. */
    public static final String MALFORMED_LINE = "malformed_line";

    /** Distinct values of a column of a cleaned table, or null when that table does not exist yet. */
    @FunctionalInterface
    public interface ReferenceTables {
        Dataset<Row> distinctValues(SourceFamily family, String column);
    }

    private QualityEvaluation() {
    }

    public static Dataset<Row> apply(Dataset<Row> parsed, SourceFamily family, QualityRules rules,
                                     ReferenceTables references) {
        Dataset<Row> df = parsed.withColumn("_row_hash", rowHash(family));
        validateSql(df, rules);

        List<String> helperColumns = new ArrayList<>();
        int n = 0;
        for (QualityCheck c : rules.checks()) {
            if (c.kind() == QualityCheck.Kind.REFERENCE) {
                String idCol = "__ref_id_" + n;
                String okCol = "__ref_ok_" + n++;
                String column = c.argument("column") == null ? c.fields().get(0) : c.argument("column");
                Dataset<Row> ids = null;
                for (String t : c.listArgument("tables")) {
                    Dataset<Row> v = references.distinctValues(SourceFamily.fromId(t), column);
                    if (v != null) {
                        Dataset<Row> one = v.toDF(idCol);
                        ids = ids == null ? one : ids.union(one);
                    }
                }
                if (ids == null) {
                    df = df.withColumn(okCol, lit(null).cast("boolean"));
                } else {
                    Dataset<Row> flagged = ids.distinct().withColumn(okCol, lit(true));
                    df = df.join(flagged, col(c.fields().get(0)).equalTo(col(idCol)), "left").drop(idCol);
                }
                helperColumns.add(okCol);
            }
        }

        List<Column> errors = new ArrayList<>();
        List<Column> warnings = new ArrayList<>();
        Set<String> requiredByRules = new HashSet<>();
        int ref = 0;
        for (QualityCheck c : rules.checks()) {
            List<Column> reasons = reasons(c, family, c.kind() == QualityCheck.Kind.REFERENCE ? "__ref_ok_" + ref++ : null);
            (c.isError() ? errors : warnings).addAll(reasons);
            if (c.isError() && c.kind() == QualityCheck.Kind.NOT_BLANK) {
                requiredByRules.addAll(c.fields());
            }
        }
        for (String k : family.businessKey()) {
            if (!requiredByRules.contains(k)) {
                errors.add(Reasons.reasonWhen(col(k).isNull().and(col("_norm." + k).isNull()), BUSINESS_KEY_MISSING, k,
                        col("_raw." + k), lit("the business-key field " + k + " is missing, so the record cannot be matched")));
            }
        }
        Column malformed = col(Normalisation.MALFORMED).isNotNull();
        Column malformedReason = Reasons.compact(List.of(Reasons.reason(MALFORMED_LINE, "_malformed",
                substring(col(Normalisation.MALFORMED), 1, 500),
                when(col(Normalisation.MALFORMED).startsWith(org.crosscheck.ingest.ExtractReader.CUT_SHORT),
                        lit("the file ends without a line end, so this last record may have been cut short in delivery;"
                                + " ask the department to confirm it or re-deliver the file"))
                        .otherwise(lit("the line has too many or too few fields for the file's header, so its values"
                                + " cannot be trusted")))));
        List<Column> all = new ArrayList<>();
        all.add(col("_parse_errors"));
        all.add(Reasons.compact(errors));
        Column reasons = when(malformed, malformedReason)
                .otherwise(concat(all.toArray(Column[]::new)));
        Column warns = when(malformed, Reasons.compact(List.of())).otherwise(Reasons.compact(warnings));
        return df.withColumn("_reasons", reasons)
                .withColumn("_warnings", warns)
                .drop(helperColumns.toArray(String[]::new))
                .drop("_parse_errors");
    }

    /** SHA-256 of the canonical values (JSON of the typed row); equal content gives an equal hash. */
    public static Column rowHash(SourceFamily family) {
        Column[] fields = family.fieldNames().stream().map(f -> col(f)).toArray(Column[]::new);
        return sha2(to_json(struct(fields)), 256);
    }

    private static void validateSql(Dataset<Row> df, QualityRules rules) {
        for (QualityCheck c : rules.checks()) {
            List<String> sql = new ArrayList<>();
            if (c.kind() == QualityCheck.Kind.EXPRESSION) {
                sql.add(c.argument("sql"));
            }
            if (c.filter() != null && !c.filter().isBlank()) {
                sql.add(c.filter());
            }
            for (String s : sql) {
                try {
                    DataType t = df.select(expr(s)).schema().fields()[0].dataType();
                    if (!t.equals(DataTypes.BooleanType)) {
                        throw CrossCheckException.config("quality check '" + c.name() + "' of " + rules.family()
                                + ": '" + s + "' is not a true/false expression (it gives " + t.simpleString() + ")");
                    }
                } catch (CrossCheckException e) {
                    throw e;
                } catch (Exception e) {
                    throw CrossCheckException.config("quality check '" + c.name() + "' of " + rules.family()
                            + ": '" + s + "' is not valid Spark SQL here: " + firstLine(e.getMessage()));
                }
            }
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** The reason columns one check contributes (one per field for single-field kinds). */
    static List<Column> reasons(QualityCheck c, SourceFamily family, String referenceFlag) {
        List<Column> out = new ArrayList<>();
        Column applies = c.filter() == null || c.filter().isBlank() ? lit(true) : coalesce(expr(c.filter()), lit(false));
        Column message = lit(c.message());
        switch (c.kind()) {
            case NOT_BLANK -> c.fields().forEach(f -> out.add(
                    reason(c, f, not(present(f, family)), applies, valueOf(List.of(f), family), message)));
            case PATTERN -> c.fields().forEach(f -> out.add(
                    reason(c, f, not(col(f).cast("string").rlike(c.argument("pattern"))), applies,
                            valueOf(List.of(f), family), message)));
            case IN_LIST -> c.fields().forEach(f -> out.add(
                    reason(c, f, not(col(f).cast("string").isin(c.listArgument("values").toArray())), applies,
                            valueOf(List.of(f), family), message)));
            case RANGE -> c.fields().forEach(f -> out.add(
                    reason(c, f, outOfRange(c, f, family), applies, valueOf(List.of(f), family), message)));
            case DATE_ORDER -> out.add(reason(c, String.join(",", c.fields()),
                    col(c.fields().get(1)).lt(col(c.fields().get(0))), applies, valueOf(c.fields(), family), message));
            case MAX_AGE -> {
                int years = Integer.parseInt(c.argument("years"));
                Column birth = col(c.fields().get(0));
                Column at = col(c.fields().get(1));
                out.add(reason(c, String.join(",", c.fields()), at.geq(add_months(birth, 12 * (years + 1))), applies,
                        valueOf(c.fields(), family), message));
            }
            case UNIQUE -> {
                Column[] keys = c.fields().stream().map(f -> col(f)).toArray(Column[]::new);
                Column allPresent = lit(true);
                for (Column k : keys) {
                    allPresent = allPresent.and(k.isNotNull());
                }
                Column contents = size(collect_set(when(col(Normalisation.MALFORMED).isNull(), col("_row_hash")))
                        .over(Window.partitionBy(keys)));
                out.add(reason(c, String.join(",", c.fields()), allPresent.and(contents.gt(1)), applies,
                        valueOf(c.fields(), family), message));
            }
            case REFERENCE -> {
                String f = c.fields().get(0);
                out.add(reason(c, f, col(f).isNotNull().and(col(referenceFlag).isNull()), applies,
                        valueOf(List.of(f), family), message));
            }
            case EXPRESSION -> out.add(reason(c, String.join(",", c.fields()), not(coalesce(expr(c.argument("sql")), lit(true))),
                    applies, valueOf(c.fields(), family), message));
            case IDENTITY_NUMBER -> {
                String f = c.fields().get(0);
                Column id = col(f);
                Column shape = id.rlike("^[0-9]{17}[0-9X]$");
                Column birth = call_function("cc_id_birth_date", id);
                Column valid = shape.and(birth.isNotNull()).and(coalesce(call_function("cc_id_valid", id), lit(false)));
                Column detail = when(not(shape), lit(" (expected 18 characters: 17 digits and a digit or X)"))
                        .when(birth.isNull(), lit(" (the embedded birth date is not a real date)"))
                        .otherwise(concat(lit(" (the check character should be "), call_function("cc_id_check_char", id),
                                lit(")")));
                out.add(reason(c, f, id.isNotNull().and(not(valid)), applies, valueOf(List.of(f), family),
                        concat(message, detail)));
            }
            case IDENTITY_BIRTH_DATE -> {
                Column embedded = call_function("cc_id_birth_date", col(c.fields().get(0))).cast("date");
                Column birth = col(c.fields().get(1));
                out.add(reason(c, String.join(",", c.fields()), embedded.isNotNull().and(birth.isNotNull())
                        .and(embedded.notEqual(birth)), applies, valueOf(c.fields(), family),
                        concat(message, lit(" (the number says "), embedded.cast("string"), lit(")"))));
            }
            case IDENTITY_SEX -> {
                Column embedded = call_function("cc_id_sex", col(c.fields().get(0)));
                Column sex = col(c.fields().get(1));
                out.add(reason(c, String.join(",", c.fields()), embedded.isNotNull().and(sex.isin("M", "F"))
                        .and(embedded.notEqual(sex)), applies, valueOf(c.fields(), family),
                        concat(message, lit(" (the number says "), embedded, lit(")"))));
            }
            default -> throw new IllegalStateException("unhandled check kind " + c.kind());
        }
        return out;
    }

    private static Column reason(QualityCheck c, String field, Column violated, Column applies, Column value,
                                 Column message) {
        return Reasons.reasonWhen(coalesce(violated, lit(false)).and(applies), c.name(), field, value, message);
    }

    private static Column present(String f, SourceFamily family) {
        return Normalisation.rawFields(family).contains(f) ? col("_norm." + f).isNotNull() : col(f).isNotNull();
    }

    private static Column outOfRange(QualityCheck c, String f, SourceFamily family) {
        DataType type = fieldType(family, f);
        Column v = col(f);
        Column bad = lit(false);
        if (c.argument("min") != null) {
            bad = bad.or(v.lt(bound(c.argument("min"), type)));
        }
        if (c.argument("max") != null) {
            bad = bad.or(v.gt(bound(c.argument("max"), type)));
        }
        if (c.argument("above") != null) {
            bad = bad.or(v.leq(bound(c.argument("above"), type)));
        }
        if (c.argument("below") != null) {
            bad = bad.or(v.geq(bound(c.argument("below"), type)));
        }
        return bad;
    }

    private static Column bound(String value, DataType type) {
        if ("today".equalsIgnoreCase(value)) {
            return type.equals(DataTypes.TimestampType) ? current_timestamp() : current_date();
        }
        return lit(value).cast(type);
    }

    private static DataType fieldType(SourceFamily family, String f) {
        return java.util.Arrays.asList(family.canonicalSchema().fieldNames()).contains(f)
                ? family.canonicalSchema().apply(f).dataType() : DataTypes.StringType;
    }

    /** What a reviewer sees as the value: the raw value as delivered; several fields as {@code f=v; g=w}. */
    static Column valueOf(List<String> fields, SourceFamily family) {
        if (fields.isEmpty()) {
            return lit(null).cast("string");
        }
        if (fields.size() == 1) {
            return single(fields.get(0), family);
        }
        Column[] parts = fields.stream()
                .map(f -> concat(lit(f + "="), coalesce(single(f, family), lit(""))))
                .toArray(Column[]::new);
        return concat_ws("; ", parts);
    }

    private static Column single(String f, SourceFamily family) {
        return Normalisation.rawFields(family).contains(f) ? col("_raw." + f) : col(f).cast("string");
    }
}
