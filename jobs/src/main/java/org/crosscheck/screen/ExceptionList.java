package org.crosscheck.screen;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception list: every finding any screening run has produced, one row per {@code exception_id}, with the
 * risk officers' review fields. Delta table at {@link Tables#exceptions()}; written only by {@link #merge} (the
 * screening run) and {@link ReviewImport} (the reviewers). Rows are never deleted.
 */
public final class ExceptionList {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionList.class);

    public static final String EXCEPTION_ID = "exception_id";
    public static final String FIRST_SEEN_RUN = "first_seen_run";
    public static final String LAST_SEEN_RUN = "last_seen_run";
    public static final String STATUS = "status";
    public static final String REVIEWER = "reviewer";
    public static final String REVIEW_NOTE = "review_note";
    public static final String REVIEWED_AT = "reviewed_at";
    public static final String UPDATED_AT = "updated_at";

    /** Joins the id parts; a control character that no rule id, subject id or period contains. */
    static final String ID_SEPARATOR = "\u001f";
    /** Hex characters of the SHA-256 kept in an exception id (96 bits). */
    static final int ID_LENGTH = 24;

    /** Finding fields a re-run refreshes on an existing exception (the id parts never change). */
    private static final List<String> REFRESHED = List.of(Findings.RULE_VERSION, Findings.SEVERITY, Findings.SCHEME,
            Findings.REGION, Findings.AMOUNT_AT_RISK, Findings.EVIDENCE, Findings.EXPLANATION);

    public static final StructType SCHEMA;

    static {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(EXCEPTION_ID, DataTypes.StringType, true));
        Collections.addAll(fields, Findings.SCHEMA.fields());
        fields.add(DataTypes.createStructField(FIRST_SEEN_RUN, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(LAST_SEEN_RUN, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(STATUS, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVIEWER, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVIEW_NOTE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVIEWED_AT, DataTypes.TimestampType, true));
        fields.add(DataTypes.createStructField(UPDATED_AT, DataTypes.TimestampType, true));
        SCHEMA = new StructType(fields.toArray(StructField[]::new));
    }

    private ExceptionList() {
    }

    /**
     * What one {@link #merge} did.
     *
     * @param inserted           findings never seen before, now {@code new}
     * @param stillPresent       findings already listed (not resolved) and produced again; review fields kept
     * @param reopened           findings that were {@code resolved} and are produced again, now {@code open}
     * @param resolved           listed findings of the rules that ran which were not produced, now {@code resolved}
     * @param duplicatesCombined finding rows dropped because another row of this run had the same exception id
     * @param awaitingReview     exceptions in the whole list with status {@code new} or {@code open} after the merge
     * @param current            exceptions in the whole list that are not {@code resolved} after the merge
     */
    public record MergeSummary(String runId, long inserted, long stillPresent, long reopened, long resolved,
                               long duplicatesCombined, long awaitingReview, long current) {

        /** True when new or open exceptions await review: the CLI then exits with {@link ExitCode#FINDINGS_PRESENT}. */
        public boolean findingsPresent() {
            return awaitingReview > 0;
        }

        public ExitCode exitCode() {
            return findingsPresent() ? ExitCode.FINDINGS_PRESENT : ExitCode.SUCCESS;
        }
    }

    /**
     * The stable id of a finding: the first 24 hex characters of SHA-256 over rule id, subject type, subject id,
     * scheme and period joined by U+001F (null counts as empty). The scheme is part of it because one person can
     * be flagged by the same rule for two schemes in the same period. The rule version is deliberately not part of it, so
     * a new version of a rule keeps the ids and the reviews of its findings.
     */
    public static String exceptionId(String ruleId, String subjectType, String subjectId, String scheme,
                                     String period) {
        String joined = String.join(ID_SEPARATOR, nz(ruleId), nz(subjectType), nz(subjectId), nz(scheme), nz(period));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #exceptionId} as a Spark column over a findings Dataset. */
    public static Column exceptionIdColumn() {
        return substring(sha2(concat_ws(ID_SEPARATOR,
                coalesce(col(Findings.RULE_ID), lit("")),
                coalesce(col(Findings.SUBJECT_TYPE), lit("")),
                coalesce(col(Findings.SUBJECT_ID), lit("")),
                coalesce(col(Findings.SCHEME), lit("")),
                coalesce(col(Findings.PERIOD), lit(""))), 256), 1, ID_LENGTH);
    }

    /** The exception list, or an empty Dataset with {@link #SCHEMA} before the first screening run. */
    public static Dataset<Row> read(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            return spark.createDataFrame(Collections.emptyList(), SCHEMA);
        }
        return spark.read().format("delta").load(tables.exceptions());
    }

    /**
     * Merges one screening run's findings into the exception list.
     * <ul>
     *   <li>A finding not yet listed is inserted with status {@code new} and {@code first_seen_run = runId}.</li>
     *   <li>A listed finding produced again gets its finding fields (rule version, severity, scheme, region, amount,
     *       evidence, explanation) and {@code last_seen_run} refreshed; status, reviewer, review note and reviewed-at
     *       are kept, so dispositions survive re-runs. Exception: a {@code resolved} one goes back to {@code open} -
     *       the data shows the problem again, and it is not {@code new} because it has a history (its earlier
     *       reviewer and note stay visible).</li>
     *   <li>A listed, not yet resolved finding of a rule in {@code rulesRun} that this run did not produce becomes
     *       {@code resolved} (status and updated-at only; never deleted). Findings of rules not in {@code rulesRun}
     *       are left alone, so list exactly the rules that ran to completion: an empty result of a rule that ran
     *       resolves all its findings.</li>
     *   <li>Several findings with the same exception id in this run are combined into one, deterministically: the most
     *       severe, then the largest amount, then the highest rule version, then the smallest evidence text.</li>
     * </ul>
     * Idempotent: merging the same findings again with the same run id changes no row ({@code updated_at} moves only
     * when something else does). Creates the table when it does not exist.
     *
     * @param findings rows conforming to {@link Findings#SCHEMA} (extra columns are ignored)
     * @param rulesRun ids of the rules that ran to completion in this run
     * @throws CrossCheckException (internal failure) when findings lack contract columns or a key field is null
     */
    public static MergeSummary merge(SparkSession spark, Tables tables, Dataset<Row> findings, String runId,
                                     Set<String> rulesRun) {
        String path = tables.exceptions();
        if (!DeltaTable.isDeltaTable(spark, path)) {
            LOG.info("Creating the exception list at {}", path);
            spark.createDataFrame(Collections.emptyList(), SCHEMA).write().format("delta").mode("append").save(path);
        }
        Dataset<Row> source = combineDuplicates(Findings.conform(findings)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            DeltaTable target = DeltaTable.forPath(spark, path);
            Row counts = classify(source, target.toDF(), rulesRun);
            long badKeys = counts.getLong(5);
            if (badKeys > 0) {
                throw CrossCheckException.internal(badKeys + " findings of run " + runId
                        + " have no rule_id, subject_type or subject_id; nothing was merged");
            }
            long duplicates = counts.getLong(4);
            if (duplicates > 0) {
                LOG.warn("Run {}: {} findings repeated an exception id already produced in this run and were combined",
                        runId, duplicates);
            }
            mergeInto(target, source.drop("_copies", "_bad_key"), runId, rulesRun);
            MergeSummary summary = new MergeSummary(runId, counts.getLong(0), counts.getLong(1), counts.getLong(2),
                    counts.getLong(3), duplicates, counts.getLong(6), counts.getLong(7));
            LOG.info("Run {}: exception list merged: {}", runId, summary);
            return summary;
        } finally {
            source.unpersist();
        }
    }

    /** One row per exception id, with {@code _copies} (rows combined) and {@code _bad_key} (1 when a key is null). */
    static Dataset<Row> combineDuplicates(Dataset<Row> conformed) {
        Dataset<Row> withId = conformed
                .withColumn(Findings.SEVERITY, lower(trim(col(Findings.SEVERITY))))
                .withColumn(EXCEPTION_ID, exceptionIdColumn());
        WindowSpec byId = Window.partitionBy(EXCEPTION_ID);
        // A total order over every non-key column, so the same input always keeps the same row.
        WindowSpec ordered = byId.orderBy(
                Findings.severityRank(col(Findings.SEVERITY)).asc(),
                col(Findings.AMOUNT_AT_RISK).desc_nulls_last(),
                col(Findings.RULE_VERSION).desc_nulls_last(),
                col(Findings.EVIDENCE).asc_nulls_last(),
                col(Findings.EXPLANATION).asc_nulls_last(),
                col(Findings.SCHEME).asc_nulls_last(),
                col(Findings.REGION).asc_nulls_last());
        List<Column> cols = new ArrayList<>();
        cols.add(col(EXCEPTION_ID));
        for (String f : Findings.SCHEMA.fieldNames()) {
            cols.add(col(f));
        }
        cols.add(col("_copies"));
        cols.add(when(col(Findings.RULE_ID).isNull().or(col(Findings.SUBJECT_TYPE).isNull())
                .or(col(Findings.SUBJECT_ID).isNull()), 1).otherwise(0).as("_bad_key"));
        return withId
                .withColumn("_copies", count(lit(1)).over(byId))
                .withColumn("_rank", row_number().over(ordered))
                .filter(col("_rank").equalTo(1))
                .select(cols.toArray(Column[]::new));
    }

    /**
     * Counts, from the table before the merge and this run's findings: inserted, still present, reopened, resolved,
     * duplicates combined, bad keys, and - by predicting each row's status after the merge, which saves reading the
     * table again - awaiting review and current.
     */
    private static Row classify(Dataset<Row> source, Dataset<Row> table, Set<String> rulesRun) {
        Dataset<Row> s = source.select(col(EXCEPTION_ID).as("s_id"), col("_copies"), col("_bad_key"));
        Dataset<Row> t = table.select(col(EXCEPTION_ID).as("t_id"), col(STATUS).as("t_status"),
                col(Findings.RULE_ID).as("t_rule"));
        Column inSource = col("s_id").isNotNull();
        Column inTable = col("t_id").isNotNull();
        Column wasResolved = coalesce(col("t_status").equalTo(ReviewStatus.RESOLVED.code()), lit(false));
        Column ruleRan = ruleIn(col("t_rule"), rulesRun);
        Column isNew = inSource.and(col("t_id").isNull());
        Column stillPresent = inSource.and(inTable).and(wasResolved.unary_$bang());
        Column reopened = inSource.and(inTable).and(wasResolved);
        Column resolvedNow = col("s_id").isNull().and(ruleRan).and(wasResolved.unary_$bang());
        Column statusAfter = when(isNew, lit(ReviewStatus.NEW.code()))
                .when(reopened, lit(ReviewStatus.OPEN.code()))
                .when(resolvedNow, lit(ReviewStatus.RESOLVED.code()))
                .otherwise(col("t_status"));
        return s.join(t, col("s_id").equalTo(col("t_id")), "full_outer")
                .withColumn("_after", statusAfter)
                .agg(count(when(isNew, 1)),
                        count(when(stillPresent, 1)),
                        count(when(reopened, 1)),
                        count(when(resolvedNow, 1)),
                        coalesce(sum(col("_copies").minus(1)), lit(0L)).cast(DataTypes.LongType),
                        coalesce(sum(col("_bad_key")), lit(0L)).cast(DataTypes.LongType),
                        count(when(col("_after").isin(ReviewStatus.NEW.code(), ReviewStatus.OPEN.code()), 1)),
                        count(when(col("_after").notEqual(ReviewStatus.RESOLVED.code()), 1)))
                .head();
    }

    private static void mergeInto(DeltaTable target, Dataset<Row> source, String runId, Set<String> rulesRun) {
        Column now = current_timestamp();
        Map<String, Column> refresh = new LinkedHashMap<>();
        Column unchanged = col("t." + LAST_SEEN_RUN).eqNullSafe(lit(runId));
        for (String f : REFRESHED) {
            refresh.put(f, col("s." + f));
            unchanged = unchanged.and(col("t." + f).eqNullSafe(col("s." + f)));
        }
        refresh.put(LAST_SEEN_RUN, lit(runId));
        refresh.put(UPDATED_AT, now);

        Map<String, Column> reopen = new LinkedHashMap<>(refresh);
        reopen.put(STATUS, lit(ReviewStatus.OPEN.code()));

        Map<String, Column> insert = new LinkedHashMap<>();
        insert.put(EXCEPTION_ID, col("s." + EXCEPTION_ID));
        for (String f : Findings.SCHEMA.fieldNames()) {
            insert.put(f, col("s." + f));
        }
        insert.put(FIRST_SEEN_RUN, lit(runId));
        insert.put(LAST_SEEN_RUN, lit(runId));
        insert.put(STATUS, lit(ReviewStatus.NEW.code()));
        insert.put(REVIEWER, lit(null).cast(DataTypes.StringType));
        insert.put(REVIEW_NOTE, lit(null).cast(DataTypes.StringType));
        insert.put(REVIEWED_AT, lit(null).cast(DataTypes.TimestampType));
        insert.put(UPDATED_AT, now);

        Column resolvedStatus = col("t." + STATUS).equalTo(ReviewStatus.RESOLVED.code());
        var builder = target.as("t")
                .merge(source.as("s"), col("t." + EXCEPTION_ID).equalTo(col("s." + EXCEPTION_ID)))
                .whenMatched(resolvedStatus).update(reopen)
                .whenMatched(unchanged.unary_$bang()).update(refresh)
                .whenNotMatched().insert(insert);
        if (!rulesRun.isEmpty()) {
            builder = builder
                    .whenNotMatchedBySource(ruleIn(col("t." + Findings.RULE_ID), rulesRun)
                            .and(coalesce(resolvedStatus, lit(false)).unary_$bang()))
                    .update(Map.of(STATUS, lit(ReviewStatus.RESOLVED.code()), UPDATED_AT, now));
        }
        builder.execute();
    }

    private static Column ruleIn(Column ruleId, Set<String> rulesRun) {
        if (rulesRun.isEmpty()) {
            return lit(false);
        }
        return coalesce(ruleId.isin(new TreeSet<>(rulesRun).toArray()), lit(false));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
