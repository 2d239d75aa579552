package org.crosscheck.validate;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.crosscheck.core.Money;
import org.crosscheck.core.Scheme;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;

/**
 * Turns the raw strings of one load (bronze) into typed canonical columns, using the mapping snapshot stored with
 * the load. Every value is trimmed and NFKC-normalised first (full-width digits and letters become half-width,
 * the ideographic space becomes a space); a blank value becomes null.
 *
 * <p>Output columns: the typed canonical fields, the normalised name column, {@code _raw} (the bronze values as
 * delivered), {@code _norm} (trimmed NFKC strings), {@code _parse_errors} (one reason per non-blank value that
 * does not parse with the mapping's formats, decimal format or code list; the typed value is then null), and
 * the bronze lineage columns unchanged.
 *
 * <p>Civil registry: {@code death_date_precision} is the registry's own precision when the mapping maps its
 * column (translated by {@code codes.death_date_precision}, else D/M/Y or day/month/year; a month or year precision
 * truncates the death date to the first of its month or year), otherwise, and where that column is blank, it
 * comes from the pattern that matched; a record with
 * {@code record_status = cancelled} gets death date and precision null (and an unparseable death date on it is
 * not an error, it is withdrawn anyway); a blank status is inferred ({@code deceased} with a death date, else
 * {@code alive}).
 */
public final class Normalisation {
    /** Bronze lineage columns, carried through validation unchanged. */
    public static final List<String> LINEAGE = StageSchemas.bronzeLineage();
    public static final String MALFORMED = StageSchemas.MALFORMED;

    static final List<String> DEFAULT_DATE_FORMATS = List.of("yyyy-MM-dd");
    static final List<String> DEFAULT_MONTH_FORMATS = List.of("yyyy-MM", "yyyyMM", "yyyy-MM-dd");
    static final List<String> DEFAULT_TIMESTAMP_FORMATS = List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.SSS",
            "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final String PRECISION = MappingLoader.PRECISION;
    private static final String PRECISION_RAW = "_precision_raw";
    /** Precision codes understood without a code list (compared upper-cased). */
    static final Map<String, String> DEFAULT_PRECISION_CODES = Map.of("D", "day", "M", "month", "Y", "year",
            "DAY", "day", "MONTH", "month", "YEAR", "year");

    /** The functions {@link #registerFunctions} registers: the only session functions quality SQL may call. */
    public static final java.util.Set<String> FUNCTION_NAMES = java.util.Set.of("cc_nfkc", "cc_id_normalise",
            "cc_id_valid", "cc_id_birth_date", "cc_id_sex", "cc_id_check_char");

    private Normalisation() {
    }

    /**
     * Registers the SQL functions validation uses ({@code cc_nfkc}, {@code cc_id_normalise}, {@code cc_id_valid},
     * {@code cc_id_birth_date}, {@code cc_id_sex}, {@code cc_id_check_char}); quality-rule expressions may use
     * them too. Idempotent.
     */
    public static void registerFunctions(SparkSession spark) {
        if (spark.catalog().functionExists("cc_id_check_char")) {
            return; // registered in this session already (registering again only logs a warning per function)
        }
        spark.udf().register("cc_nfkc", (UDF1<String, String>) Normalisation::nfkc, DataTypes.StringType);
        spark.udf().register("cc_id_normalise", (UDF1<String, String>) IdentityNumber::normalise, DataTypes.StringType);
        spark.udf().register("cc_id_valid", (UDF1<String, Boolean>) id -> id == null ? null
                : IdentityNumber.isValidChecksum(id) && IdentityNumber.birthDate(id).isPresent(), DataTypes.BooleanType);
        spark.udf().register("cc_id_birth_date", (UDF1<String, String>) id -> id == null ? null
                : IdentityNumber.birthDate(id).map(Object::toString).orElse(null), DataTypes.StringType);
        spark.udf().register("cc_id_sex", (UDF1<String, String>) id -> id == null ? null
                : IdentityNumber.sex(id).orElse(null), DataTypes.StringType);
        spark.udf().register("cc_id_check_char", (UDF1<String, String>) id -> {
            String s = IdentityNumber.normalise(id);
            char c = s == null || s.length() < 17 ? 0 : IdentityNumber.checkCharacter(s.substring(0, 17));
            return c == 0 ? null : String.valueOf(c);
        }, DataTypes.StringType);
    }

    /** Trim, NFKC, drop byte-order marks and zero-width spaces; blank gives null. */
    public static String nfkc(String raw) {
        if (raw == null) {
            return null;
        }
        if (isAscii(raw)) {
            // Most values are plain ASCII, which NFKC leaves unchanged: skip the normaliser (called per field and row).
            String s = raw.strip();
            return s.isEmpty() ? null : s;
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).replace("\uFEFF", "").replace("\u200B", "").strip();
        return s.isEmpty() ? null : s;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Canonical fields present in bronze as strings (every canonical field but the derived precision). */
    public static List<String> rawFields(SourceFamily family) {
        return StageSchemas.bronzeFields(family);
    }

    /** Precision a date pattern gives: day, month or year (quoted literals ignored). */
    static String precisionOf(String pattern) {
        String p = QUOTED.matcher(pattern).replaceAll("");
        if (p.indexOf('d') >= 0 || p.indexOf('D') >= 0) {
            return "day";
        }
        if (p.indexOf('M') >= 0 || p.indexOf('L') >= 0) {
            return "month";
        }
        return "year";
    }

    /** Parses one load group (all rows read with {@code mapping}) into typed canonical columns. */
    public static Dataset<Row> parse(Dataset<Row> bronze, SourceFamily family, Mapping mapping) {
        Set<String> present = Set.of(bronze.columns());
        List<Column> first = new ArrayList<>();
        List<Column> raw = new ArrayList<>();
        List<Column> norm = new ArrayList<>();
        for (String f : rawFields(family)) {
            Column c = present.contains(f) ? col(f).cast("string") : lit(null).cast("string");
            raw.add(c.as(f));
            norm.add(call_function("cc_nfkc", c).as(f));
        }
        first.add(struct(raw.toArray(Column[]::new)).as("_raw"));
        first.add(struct(norm.toArray(Column[]::new)).as("_norm"));
        first.add((present.contains(MALFORMED) ? col(MALFORMED) : lit(null).cast("string")).as(MALFORMED));
        for (String l : LINEAGE) {
            first.add((present.contains(l) ? col(l) : lit(null)).cast(StageSchemas.bronzeLineageType(l)).as(l));
        }
        // the registry's own precision column, when the mapping maps it (bronze of earlier versions lacks it)
        boolean precisionMapped = mapping.columns().containsKey(PRECISION) && present.contains(PRECISION);
        first.add((precisionMapped ? col(PRECISION) : lit(null)).cast("string").as(PRECISION_RAW));
        Dataset<Row> staged = bronze.select(first.toArray(Column[]::new));

        Map<String, Column> typed = new LinkedHashMap<>();
        Map<String, Column> errors = new LinkedHashMap<>();
        Column precision = lit(null).cast("string");
        for (StructField field : family.canonicalSchema().fields()) {
            String f = field.name();
            if ("death_date_precision".equals(f)) {
                continue;
            }
            Column v = col("_norm." + f);
            Column rawValue = col("_raw." + f);
            DataType type = field.dataType();
            Column value;
            Column failed;
            Column message;
            if (type.equals(DataTypes.DateType)) {
                List<String> formats = mapping.formats().getOrDefault(f,
                        "contribution_month".equals(f) ? DEFAULT_MONTH_FORMATS : DEFAULT_DATE_FORMATS);
                value = parseDate(v, formats);
                if ("contribution_month".equals(f)) {
                    value = trunc(value, "MM");
                }
                if ("death_date".equals(f)) {
                    precision = datePrecision(v, formats);
                    if (precisionMapped) {
                        Column delivered = call_function("cc_nfkc", col(PRECISION_RAW));
                        Column declared = deliveredPrecision(delivered, mapping.codes().get(PRECISION));
                        errors.put(PRECISION, Reasons.reasonWhen(delivered.isNotNull().and(declared.isNull()),
                                "parse_" + PRECISION, PRECISION, col(PRECISION_RAW),
                                concat(lit("'"), col(PRECISION_RAW), lit("' in " + PRECISION + " is not in the "
                                        + "mapping's code list " + precisionCodes(mapping.codes().get(PRECISION))))));
                        // a declared precision coarser than the date as written wins: 20250301 with M is March 2025
                        value = when(declared.equalTo("month"), trunc(value, "MM"))
                                .when(declared.equalTo("year"), trunc(value, "YEAR")).otherwise(value);
                        precision = coalesce(declared, precision);
                    }
                }
                failed = v.isNotNull().and(value.isNull());
                boolean dayRequired = formats.stream().allMatch(p -> "day".equals(precisionOf(p)));
                Column hint = dayRequired
                        ? when(v.rlike("^[0-9]{4}[-/.年]?[0-9]{1,2}月?$"), lit(" (month only; a full date with day is required)"))
                                .otherwise(lit(""))
                        : lit("");
                message = concat(lit("'"), rawValue, lit("' in " + f + " is not a date in the accepted formats "
                        + formats), hint);
            } else if (type.equals(DataTypes.TimestampType)) {
                List<String> formats = mapping.formats().getOrDefault(f, DEFAULT_TIMESTAMP_FORMATS);
                value = coalesce(formats.stream().map(p -> to_timestamp(v, p)).toArray(Column[]::new));
                failed = v.isNotNull().and(value.isNull());
                message = concat(lit("'"), rawValue, lit("' in " + f + " is not a date-time in the accepted formats "
                        + formats));
            } else if (type instanceof DecimalType) {
                value = parseAmount(v, mapping.decimal());
                failed = v.isNotNull().and(value.isNull());
                message = concat(lit("'"), rawValue, lit("' in " + f + " is not an amount with at most 2 decimals"
                        + " (decimal separator '" + mapping.decimal().separator() + "', grouping '"
                        + mapping.decimal().grouping() + "')"));
            } else if (MappingLoader.CODE_FIELDS.contains(f)) {
                Map<String, String> codes = mapping.codes().get(f);
                if (codes == null || codes.isEmpty()) {
                    value = defaultCode(f, v);
                    failed = null;
                    message = null;
                } else {
                    Column known = v.isin(codes.keySet().toArray());
                    Column canonical = v.isin(codes.values().stream().distinct().toArray());
                    value = when(known, element_at(mapLiteral(codes), v)).when(canonical, v);
                    failed = v.isNotNull().and(value.isNull());
                    message = concat(lit("'"), rawValue, lit("' in " + f + " is not in the mapping's code list "
                            + codes.keySet().stream().sorted().toList()));
                }
            } else if ("national_id".equals(f)) {
                value = call_function("cc_id_normalise", v);
                failed = null;
                message = null;
            } else {
                value = v;
                failed = null;
                message = null;
            }
            typed.put(f, value);
            if (failed != null) {
                errors.put(f, Reasons.reasonWhen(failed, "parse_" + f, f, rawValue, message));
            }
        }

        List<Column> out = new ArrayList<>();
        if (family == SourceFamily.CIVIL_REGISTRY) {
            Column status = coalesce(typed.get("record_status"),
                    when(col("_norm.record_status").isNull(),
                            when(typed.get("death_date").isNotNull(), lit("deceased")).otherwise(lit("alive"))));
            Column cancelled = coalesce(status.equalTo("cancelled"), lit(false));
            typed.put("record_status", status);
            typed.put("death_date", when(cancelled, lit(null).cast("date")).otherwise(typed.get("death_date")));
            typed.put("death_date_precision",
                    when(cancelled.or(typed.get("death_date").isNull()), lit(null).cast("string")).otherwise(precision));
            errors.put("death_date", when(not(cancelled), errors.get("death_date")));
            if (errors.containsKey(PRECISION)) {
                errors.put(PRECISION, when(not(cancelled), errors.get(PRECISION)));
            }
        }
        for (String f : family.fieldNames()) {
            out.add(typed.get(f).cast(family.canonicalSchema().apply(f).dataType()).as(f));
        }
        String nameNorm = StageSchemas.nameNormColumn(family);
        if (nameNorm != null) {
            out.add(lower(regexp_replace(col("_norm." + StageSchemas.nameSource(family)), "[\\s\\p{Z}]+", "")).as(nameNorm));
        }
        out.add(col("_raw"));
        out.add(col("_norm"));
        out.add(Reasons.compact(new ArrayList<>(errors.values())).as("_parse_errors"));
        out.add(col(MALFORMED));
        LINEAGE.forEach(l -> out.add(col(l)));
        return staged.select(out.toArray(Column[]::new));
    }

    /** The delivered precision translated by the mapping's code list, or by the defaults D/M/Y and day/month/year. */
    static Column deliveredPrecision(Column v, Map<String, String> codes) {
        if (codes == null || codes.isEmpty()) {
            return element_at(mapLiteral(DEFAULT_PRECISION_CODES), upper(v));
        }
        return when(v.isin(codes.keySet().toArray()), element_at(mapLiteral(codes), v))
                .when(v.isin(MappingLoader.PRECISIONS.toArray()), v);
    }

    private static List<String> precisionCodes(Map<String, String> codes) {
        return (codes == null || codes.isEmpty() ? DEFAULT_PRECISION_CODES : codes).keySet().stream().sorted().toList();
    }

    static Column parseDate(Column v, List<String> formats) {
        return coalesce(formats.stream().map(p -> to_date(v, p)).toArray(Column[]::new));
    }

    static Column datePrecision(Column v, List<String> formats) {
        Column result = lit(null).cast("string");
        for (int i = formats.size() - 1; i >= 0; i--) {
            String p = formats.get(i);
            result = when(to_date(v, p).isNotNull(), lit(precisionOf(p))).otherwise(result);
        }
        return result;
    }

    /** Strips grouping, turns the decimal separator into '.', accepts at most 2 significant decimals. */
    static Column parseAmount(Column v, Mapping.DecimalFormat format) {
        Column s = regexp_replace(v, "\\s+", "");
        if (!format.grouping().isEmpty() && !format.grouping().equals(format.separator())) {
            s = regexp_replace(s, Pattern.quote(format.grouping()), "");
        }
        if (!".".equals(format.separator())) {
            s = regexp_replace(s, Pattern.quote(format.separator()), ".");
        }
        return when(s.rlike("^[+-]?[0-9]{1,16}(\\.[0-9]{1,2}0*)?$"), s.cast(Money.TYPE));
    }

    static Column mapLiteral(Map<String, String> map) {
        List<Column> kv = new ArrayList<>();
        map.forEach((k, val) -> {
            kv.add(lit(k));
            kv.add(lit(val));
        });
        return org.apache.spark.sql.functions.map(kv.toArray(Column[]::new));
    }

    /** Without a code list: sex upper-cased, scheme official codes translated, other codes lower-cased. */
    static Column defaultCode(String field, Column v) {
        return switch (field) {
            case "sex" -> upper(v);
            case "scheme" -> {
                Map<String, String> official = new LinkedHashMap<>();
                Arrays.stream(Scheme.values()).forEach(s -> official.put(s.officialCode, s.code()));
                yield coalesce(element_at(mapLiteral(official), v), lower(v));
            }
            default -> lower(v);
        };
    }
}
