package org.crosscheck.review;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates an exception list written by version 1 (one row per rule, subject, scheme and <em>period</em>, with one
 * {@code status} column) to cases, in place, on the first run of this version (docs/exceptions.md, "Upgrading").
 * <ul>
 *   <li>The case id is recomputed without the period (with the rule's case key, where it declares one and the old
 *       row has the column). Rows that were one case split over several periods become one case: its facts are
 *       those of the row seen last, its first seen run the earliest, and its disposition that of the row reviewed
 *       last.</li>
 *   <li>Status {@code confirmed}/{@code dismissed} becomes that disposition; {@code new}/{@code open} none;
 *       {@code resolved} the state no longer found (any other status: active).</li>
 *   <li>Each case with a disposition gets revision 1 and a {@code migrate} entry in the review log, naming the old
 *       ids it came from; the old log rows stay as they are.</li>
 * </ul>
 * One Delta commit replaces the table, so a crash leaves either the old or the migrated table; the old version stays
 * readable by time travel.
 */
public final class CaseMigration {
    private static final Logger LOG = LoggerFactory.getLogger(CaseMigration.class);

    private CaseMigration() {
    }

    /** True when the table was migrated by this call. */
    public static boolean migrateIfNeeded(SparkSession spark, Tables tables, Map<String, List<String>> caseKeys) {
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            return false;
        }
        Dataset<Row> old = spark.read().format("delta").load(tables.exceptions());
        List<String> have = Arrays.asList(old.columns());
        if (have.contains(ExceptionList.REVISION)) {
            return false;
        }
        try (ReviewLock lock = ReviewLock.acquire(tables, "migration of the exception list")) {
            old = spark.read().format("delta").load(tables.exceptions());
            if (Arrays.asList(old.columns()).contains(ExceptionList.REVISION)) {
                return false; // another process migrated it while we waited
            }
            long before = old.count();
            Dataset<Row> migrated = migrate(old, have, caseKeys).cache();
            try {
                List<Row> log = migrationLog(migrated);
                ReviewLog.append(spark, tables, log);
                Dataset<Row> table = migrated.drop("_old_ids");
                table.write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                        .save(tables.exceptions());
                long after = spark.read().format("delta").load(tables.exceptions()).count();
                LOG.warn("Migrated the exception list at {} to cases: {} rows of version 1 became {} cases "
                        + "({} with a disposition, each logged as 'migrate' in the review log)", tables.exceptions(),
                        before, after, log.size());
                return true;
            } finally {
                migrated.unpersist();
            }
        }
    }

    static Dataset<Row> migrate(Dataset<Row> old, List<String> have, Map<String, List<String>> caseKeys) {
        Column caseKey = lit(null).cast(DataTypes.StringType);
        for (var e : caseKeys.entrySet()) {
            if (e.getValue().isEmpty() || !have.containsAll(e.getValue())) {
                continue;
            }
            Column key = concat_ws("|", e.getValue().stream()
                    .map(c -> coalesce(col(c).cast(DataTypes.StringType), lit(""))).toArray(Column[]::new));
            caseKey = when(col(Findings.RULE_ID).equalTo(e.getKey()), key).otherwise(caseKey);
        }
        Column status = coalesce(col("status"), lit("new"));
        Dataset<Row> rows = old
                .withColumn("_old_id", col(ExceptionList.EXCEPTION_ID))
                .withColumn(Findings.CASE_KEY, caseKey)
                .withColumn(ExceptionList.EXCEPTION_ID, ExceptionList.exceptionIdColumn())
                .withColumn(ExceptionList.STATE, when(status.equalTo("resolved"), lit(ExceptionList.NO_LONGER_FOUND))
                        .otherwise(lit(ExceptionList.ACTIVE)))
                .withColumn(ExceptionList.DISPOSITION, when(status.isin("confirmed", "dismissed"), status)
                        .otherwise(lit(Disposition.NONE.code())))
                .withColumn(ExceptionList.EVIDENCE_COUNT, expr("coalesce(json_array_length(evidence), 0)"));
        var byCase = Window.partitionBy(ExceptionList.EXCEPTION_ID);
        Column decided = col(ExceptionList.DISPOSITION).notEqual(Disposition.NONE.code());
        Dataset<Row> ranked = rows
                .withColumn("_facts_rank", row_number().over(byCase.orderBy(
                        col(ExceptionList.STATE).equalTo(ExceptionList.ACTIVE).desc(),
                        col(ExceptionList.LAST_SEEN_RUN).desc_nulls_last(),
                        col(Findings.AMOUNT_AT_RISK).desc_nulls_last(), col("_old_id"))))
                .withColumn("_review_rank", row_number().over(byCase.orderBy(decided.desc(),
                        col(ExceptionList.REVIEWED_AT).desc_nulls_last(), col("_old_id"))))
                .withColumn("_first_seen", min(col(ExceptionList.FIRST_SEEN_RUN)).over(byCase))
                .withColumn("_old_ids", collect_set(col("_old_id")).over(byCase));
        Dataset<Row> facts = ranked.where(col("_facts_rank").equalTo(1));
        Dataset<Row> review = ranked.where(col("_review_rank").equalTo(1)).select(
                col(ExceptionList.EXCEPTION_ID).as("_r_id"), col(ExceptionList.DISPOSITION).as("_r_disp"),
                col(ExceptionList.REVIEWER).as("_r_reviewer"), col(ExceptionList.REVIEW_NOTE).as("_r_note"),
                col(ExceptionList.REVIEWED_AT).as("_r_at"), col(Findings.AMOUNT_AT_RISK).as("_r_amount"),
                col(ExceptionList.EVIDENCE_COUNT).as("_r_evidence"));
        Dataset<Row> joined = facts.join(review, col(ExceptionList.EXCEPTION_ID).equalTo(col("_r_id")));
        Column isDecided = col("_r_disp").notEqual(Disposition.NONE.code());
        List<Column> out = new ArrayList<>();
        for (StructField f : ExceptionList.SCHEMA.fields()) {
            Column c = switch (f.name()) {
                case ExceptionList.FIRST_SEEN_RUN -> col("_first_seen");
                case ExceptionList.DISPOSITION -> col("_r_disp");
                case ExceptionList.REVIEWER -> col("_r_reviewer");
                case ExceptionList.REVIEW_NOTE -> col("_r_note");
                case ExceptionList.REVIEWED_AT -> col("_r_at");
                case ExceptionList.REVIEWED_AMOUNT -> when(isDecided, col("_r_amount"));
                case ExceptionList.REVIEWED_EVIDENCE_COUNT -> when(isDecided, col("_r_evidence"));
                case ExceptionList.NEEDS_REVIEW -> lit(false);
                case ExceptionList.REVISION -> when(isDecided, lit(1L)).otherwise(lit(0L));
                case ExceptionList.UPDATED_AT -> current_timestamp();
                default -> Arrays.asList(joined.columns()).contains(f.name()) ? col(f.name()) : lit(null);
            };
            out.add(c.cast(f.dataType()).as(f.name()));
        }
        out.add(col("_old_ids"));
        return joined.select(out.toArray(Column[]::new));
    }

    private static List<Row> migrationLog(Dataset<Row> migrated) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> log = new ArrayList<>();
        for (Row r : migrated.where(col(ExceptionList.DISPOSITION).notEqual(Disposition.NONE.code()))
                .select(ExceptionList.EXCEPTION_ID, ExceptionList.DISPOSITION, ExceptionList.REVIEWER,
                        ExceptionList.REVIEW_NOTE, "_old_ids").collectAsList()) {
            List<String> oldIds = new ArrayList<>(r.getList(4));
            oldIds.sort(null);
            log.add(ReviewLog.entry(r.getString(0), r.getString(2), now, "migrate", Disposition.NONE.code(),
                    r.getString(1), null, null, null, r.getString(3), null, null,
                    "exception list migrated to cases; disposition taken over from the old ids " + oldIds, 1L,
                    "migration from version 1"));
        }
        return log;
    }
}
