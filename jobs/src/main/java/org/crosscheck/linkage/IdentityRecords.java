package org.crosscheck.linkage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.validate.IdentityNumber;

/**
 * The records identity resolution works on: one row per distinct identity number seen in the civil registry,
 * enrollment or the payees of benefit payments (read from the temp views of those names, as screening registers
 * them). Name: the registry's, else the enrollment's, else the payee name (normalised, as cleaned); birth date and
 * sex: the registry's, else read from the number when its check character is valid; region: the registry's, else
 * the enrollment's, else the payment's; bank account and employer: the smallest seen (one is enough to agree on).
 * {@code sources} lists the tables the number appears in; {@code in_registry} whether the registry knows it.
 *
 * <p>Columns: record_id (= id_number), id_number, full_name, display_name, birth_date (yyyy-MM-dd), sex, region,
 * bank_account, employer_id, id_valid, in_registry, sources.
 */
public final class IdentityRecords {
    private IdentityRecords() {
    }

    public static Dataset<Row> fromViews(SparkSession spark) {
        spark.udf().register("linkage_id_valid", (UDF1<String, Boolean>) id -> id != null
                && IdentityNumber.isValidChecksum(id), DataTypes.BooleanType);
        spark.udf().register("linkage_id_birth", (UDF1<String, String>) id -> id == null || !IdentityNumber
                .isValidChecksum(id) ? null : IdentityNumber.birthDate(id).map(Object::toString).orElse(null),
                DataTypes.StringType);
        spark.udf().register("linkage_id_sex", (UDF1<String, String>) id -> id == null || !IdentityNumber
                .isValidChecksum(id) ? null : IdentityNumber.sex(id).orElse(null), DataTypes.StringType);
        return spark.sql("""
                WITH seen AS (
                  SELECT national_id, coalesce(full_name_norm, full_name) AS name, full_name AS display,
                         CAST(birth_date AS STRING) AS birth, sex, region, CAST(NULL AS STRING) AS account,
                         CAST(NULL AS STRING) AS employer, 'civil_registry' AS source, 1 AS rank
                  FROM civil_registry
                  UNION ALL
                  SELECT national_id, coalesce(full_name_norm, full_name), full_name, NULL, NULL, region, NULL,
                         employer_id, 'enrollment', 2
                  FROM enrollment
                  UNION ALL
                  SELECT national_id, coalesce(payee_name_norm, payee_name), payee_name, NULL, NULL, region,
                         bank_account, NULL, 'benefit_payment', 3
                  FROM benefit_payment
                ),
                ids AS (
                  SELECT national_id,
                         min_by(name, CASE WHEN name IS NULL THEN 99 ELSE rank END) AS name,
                         min_by(display, CASE WHEN display IS NULL THEN 99 ELSE rank END) AS display,
                         min(birth) AS birth, min(sex) AS sex,
                         min_by(region, CASE WHEN region IS NULL THEN 99 ELSE rank END) AS region,
                         min(account) AS account, min(employer) AS employer,
                         array_sort(collect_set(source)) AS sources
                  FROM seen WHERE national_id IS NOT NULL GROUP BY national_id
                )
                SELECT national_id AS record_id, national_id AS id_number, name AS full_name,
                       display AS display_name,
                       coalesce(birth, linkage_id_birth(national_id)) AS birth_date,
                       coalesce(sex, linkage_id_sex(national_id)) AS sex, region, account AS bank_account,
                       employer AS employer_id, linkage_id_valid(national_id) AS id_valid,
                       array_contains(sources, 'civil_registry') AS in_registry, sources
                FROM ids
                """);
    }
}
