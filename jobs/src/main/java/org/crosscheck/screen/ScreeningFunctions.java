package org.crosscheck.screen;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.core.Scheme;

/**
 * SQL functions rule files may use besides Spark's own:
 * <ul>
 *   <li>{@code period_label(first, last)}: {@code 2025-06} when both dates fall in one month, else
 *       {@code 2025-03..2025-06} (the findings' period format);</li>
 *   <li>{@code scheme_name(code)}: the scheme in words, e.g. {@code employee pension} (the code itself when unknown).</li>
 * </ul>
 */
public final class ScreeningFunctions {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM");

    /** The names {@link #register} registers: the only session functions rule SQL may call. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("period_label", "scheme_name");

    private ScreeningFunctions() {
    }

    public static void register(SparkSession spark) {
        spark.udf().register("period_label", (UDF2<Object, Object, String>) ScreeningFunctions::periodLabel,
                DataTypes.StringType);
        spark.udf().register("scheme_name", (UDF1<String, String>) ScreeningFunctions::schemeName, DataTypes.StringType);
    }

    static String periodLabel(Object first, Object last) {
        LocalDate a = toLocalDate(first);
        LocalDate b = toLocalDate(last);
        if (a == null && b == null) {
            return null;
        }
        if (a == null || b == null || MONTH.format(a).equals(MONTH.format(b))) {
            return MONTH.format(a == null ? b : a);
        }
        return MONTH.format(a) + ".." + MONTH.format(b);
    }

    static String schemeName(String code) {
        return code == null ? null : Scheme.fromCode(code).map(s -> s.englishName).orElse(code);
    }

    private static LocalDate toLocalDate(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof LocalDate d) {
            return d;
        }
        if (o instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toLocalDate();
        }
        if (o instanceof java.time.Instant i) {
            return i.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        }
        return LocalDate.parse(o.toString().substring(0, 10));
    }
}
