package org.crosscheck.core;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas that cross a stage boundary, declared once (docs/design.md, "Tables"): what ingest writes to bronze,
 * what validation writes to the cleaned tables and screening reads, and the lineage and name-normalisation columns
 * they carry. Every stage and every test fixture builds its tables from these.
 */
public final class StageSchemas {
    /** Bronze: the line as read when it has too many or too few fields for the header, else null. */
    public static final String MALFORMED = "_malformed";

    /** Lineage of a bronze row (ingest), in bronze column order; validation carries them through. */
    public static final StructType BRONZE_LINEAGE = new StructType()
            .add("_source_file", DataTypes.StringType)
            .add("_source_hash", DataTypes.StringType)
            .add("_record_number", DataTypes.LongType)
            .add("_load_id", DataTypes.StringType)
            .add("_loaded_at", DataTypes.TimestampType)
            .add("_mapping_id", DataTypes.StringType);

    /** A row-level reason {@code {check, field, value, message}} ({@code _reasons} in quarantine, {@code _warnings}). */
    public static final StructType REASON = new StructType()
            .add("check", DataTypes.StringType)
            .add("field", DataTypes.StringType)
            .add("value", DataTypes.StringType)
            .add("message", DataTypes.StringType);
    public static final ArrayType REASONS = DataTypes.createArrayType(REASON, true);

    /** Lineage of a cleaned row: where the winning record came from, its content hash, the run that wrote it. */
    public static final StructType CLEAN_LINEAGE = new StructType()
            .add("_source_file", DataTypes.StringType)
            .add("_record_number", DataTypes.LongType)
            .add("_load_id", DataTypes.StringType)
            .add("_row_hash", DataTypes.StringType)
            .add("_updated_run", DataTypes.StringType);

    private StageSchemas() {
    }

    /** Canonical fields bronze keeps for a family, as delivered text: every canonical field. */
    public static List<String> bronzeFields(SourceFamily family) {
        // every canonical field, death_date_precision included (a registry may deliver it; see docs/mappings.md)
        return List.copyOf(family.fieldNames());
    }

    /** Bronze table of a family: every canonical field as text, the malformed line, the bronze lineage. */
    public static StructType bronze(SourceFamily family) {
        StructType s = new StructType();
        for (String f : bronzeFields(family)) {
            s = s.add(f, DataTypes.StringType);
        }
        s = s.add(MALFORMED, DataTypes.StringType);
        for (var f : BRONZE_LINEAGE.fields()) {
            s = s.add(f);
        }
        return s;
    }

    /** Names of the bronze lineage columns, in order. */
    public static List<String> bronzeLineage() {
        return List.of(BRONZE_LINEAGE.fieldNames());
    }

    /** Type of a bronze lineage column. */
    public static DataType bronzeLineageType(String column) {
        return BRONZE_LINEAGE.apply(column).dataType();
    }

    /** {@code full_name_norm}, {@code payee_name_norm}, or null for families without a name. */
    public static String nameNormColumn(SourceFamily family) {
        return switch (family) {
            case CIVIL_REGISTRY, ENROLLMENT -> "full_name_norm";
            case BENEFIT_PAYMENT -> "payee_name_norm";
            default -> null;
        };
    }

    /** The canonical field the normalised name is made from ({@code payee_name} or {@code full_name}), or null. */
    public static String nameSource(SourceFamily family) {
        return switch (family) {
            case CIVIL_REGISTRY, ENROLLMENT -> "full_name";
            case BENEFIT_PAYMENT -> "payee_name";
            default -> null;
        };
    }

    /** Cleaned table of a family: typed canonical fields, the normalised name, {@code _warnings}, clean lineage. */
    public static StructType clean(SourceFamily family) {
        StructType s = family.canonicalSchema();
        String nameNorm = nameNormColumn(family);
        if (nameNorm != null) {
            s = s.add(nameNorm, DataTypes.StringType);
        }
        s = s.add("_warnings", REASONS);
        for (var f : CLEAN_LINEAGE.fields()) {
            s = s.add(f);
        }
        return s;
    }
}
