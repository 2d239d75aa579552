package org.crosscheck.validate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.crosscheck.core.StageSchemas;
import org.apache.spark.sql.types.StructType;

/**
 * The row-level reason a check gives: {@code {check, field, value, message}}, stored in {@code _reasons}
 * (quarantine) and {@code _warnings} (cleaned tables).
 */
public final class Reasons {
    public static final StructType TYPE = StageSchemas.REASON;
    public static final ArrayType ARRAY = StageSchemas.REASONS;

    private Reasons() {
    }

    public static Column reason(String check, String field, Column value, Column message) {
        return struct(lit(check).as("check"), lit(field).as("field"), value.cast("string").as("value"),
                message.cast("string").as("message"));
    }

    /** The reason when {@code violated} is true, else null (nulls are dropped by {@link #compact}). */
    public static Column reasonWhen(Column violated, String check, String field, Column value, Column message) {
        return when(violated, reason(check, field, value, message));
    }

    /** An array of the non-null reasons; always typed, even when {@code reasons} is empty. */
    public static Column compact(List<Column> reasons) {
        List<Column> all = new ArrayList<>(reasons);
        all.add(when(lit(false), reason("", "", lit(""), lit(""))));
        return array_compact(array(all.toArray(Column[]::new)));
    }
}
