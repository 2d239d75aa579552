package org.crosscheck.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The four kinds of extract departments deliver, with their canonical schema and business key.
 * Bronze tables hold every canonical field as a string, as delivered; cleaned tables hold the typed schema.
 */
public enum SourceFamily {
    CIVIL_REGISTRY(
            new StructType()
                    .add("national_id", DataTypes.StringType)
                    .add("full_name", DataTypes.StringType)
                    .add("sex", DataTypes.StringType)
                    .add("birth_date", DataTypes.DateType)
                    .add("death_date", DataTypes.DateType)
                    .add("death_date_precision", DataTypes.StringType)
                    .add("record_status", DataTypes.StringType)
                    .add("region", DataTypes.StringType)
                    .add("updated_at", DataTypes.TimestampType),
            List.of("national_id")),
    ENROLLMENT(
            new StructType()
                    .add("national_id", DataTypes.StringType)
                    .add("full_name", DataTypes.StringType)
                    .add("scheme", DataTypes.StringType)
                    .add("region", DataTypes.StringType)
                    .add("employer_id", DataTypes.StringType)
                    .add("coverage_start", DataTypes.DateType)
                    .add("coverage_end", DataTypes.DateType),
            List.of("national_id", "scheme", "region", "coverage_start")),
    CONTRIBUTION(
            new StructType()
                    .add("national_id", DataTypes.StringType)
                    .add("scheme", DataTypes.StringType)
                    .add("employer_id", DataTypes.StringType)
                    .add("region", DataTypes.StringType)
                    .add("contribution_month", DataTypes.DateType)
                    .add("contribution_base", Money.TYPE)
                    .add("employee_amount", Money.TYPE)
                    .add("employer_amount", Money.TYPE),
            List.of("national_id", "scheme", "employer_id", "region", "contribution_month")),
    BENEFIT_PAYMENT(
            new StructType()
                    .add("payment_id", DataTypes.StringType)
                    .add("national_id", DataTypes.StringType)
                    .add("payee_name", DataTypes.StringType)
                    .add("scheme", DataTypes.StringType)
                    .add("benefit_type", DataTypes.StringType)
                    .add("region", DataTypes.StringType)
                    .add("period_start", DataTypes.DateType)
                    .add("period_end", DataTypes.DateType)
                    .add("payment_date", DataTypes.DateType)
                    .add("amount", Money.TYPE)
                    .add("bank_account", DataTypes.StringType)
                    .add("event_date", DataTypes.DateType),
            List.of("payment_id"));

    private final StructType canonicalSchema;
    private final List<String> businessKey;

    SourceFamily(StructType canonicalSchema, List<String> businessKey) {
        this.canonicalSchema = canonicalSchema;
        this.businessKey = businessKey;
    }

    /** Typed canonical schema of the cleaned table (without lineage columns). */
    public StructType canonicalSchema() {
        return canonicalSchema;
    }

    public List<String> fieldNames() {
        return Arrays.asList(canonicalSchema.fieldNames());
    }

    public List<String> businessKey() {
        return businessKey;
    }

    /** Name used in table names, mapping files and rule files, e.g. {@code civil_registry}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SourceFamily fromId(String id) {
        for (SourceFamily f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw CrossCheckException.config("unknown source family '" + id + "'; expected one of "
                + Arrays.stream(values()).map(SourceFamily::id).toList());
    }
}
