package org.crosscheck.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
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
            if (c.kind().readsOtherTables()) {
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
            List<Column> reasons = reasons(c, family, c.kind().readsOtherTables() ? "__ref_ok_" + ref++ : null);
            (c.isError() ? errors : warnings).addAll(reasons);
            if (c.isError() && c.kind() == CheckKind.NOT_BLANK) {
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
            List<String> sql = new ArrayList<>(c.kind().sqlConditions(c));
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

    /** The reason columns one check contributes (one per field for single-field kinds), see {@link CheckKind}. */
    static List<Column> reasons(QualityCheck c, SourceFamily family, String referenceFlag) {
        Column applies = c.filter() == null || c.filter().isBlank() ? lit(true) : coalesce(expr(c.filter()), lit(false));
        List<Column> out = new ArrayList<>();
        for (CheckKind.Violation v : c.kind().violations(c, new CheckKind.Evaluation(family, referenceFlag))) {
            out.add(Reasons.reasonWhen(coalesce(v.violated(), lit(false)).and(applies), c.name(), v.field(),
                    valueOf(v.valueOf(), family), v.message()));
        }
        return out;
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
