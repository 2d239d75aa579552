package org.crosscheck.screen;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.Money;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.review.CaseHistory;
import org.crosscheck.review.CaseMigration;
import org.crosscheck.review.Disposition;
import org.crosscheck.review.ReviewLock;
import org.crosscheck.review.ReviewLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception list: one row per <em>case</em> - one problem with one subject - with the facts the latest run found
 * and the reviewers' disposition. Delta table at {@link Tables#exceptions()}; written by {@link #merge} (screening
 * runs: facts and state) and {@link org.crosscheck.review.CaseReview} (reviewers: disposition, note, assignee).
 * Rows are never deleted. See docs/exceptions.md.
 *
 * <p>A case's id ({@link #exceptionId}) is made of rule, subject, scheme and the rule's optional case key, never of the
 * period or the amount: those are facts each run refreshes, so a case keeps its id and its review while payments
 * continue. A run never changes a disposition; it only changes {@link #STATE} (active, no longer found) and, for a
 * dismissed case whose facts grew materially, sets {@link #NEEDS_REVIEW} with the reason.
 */
public final class ExceptionList {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionList.class);

    public static final String EXCEPTION_ID = "exception_id";
    public static final String SUBJECT_NAME = "subject_name";
    public static final String EVIDENCE_COUNT = "evidence_count";
    public static final String FIRST_SEEN_RUN = "first_seen_run";
    public static final String LAST_SEEN_RUN = "last_seen_run";
    public static final String STATE = "state";
    public static final String DISPOSITION = "disposition";
    public static final String DISPOSITION_REASON = "disposition_reason";
    public static final String REVIEWER = "reviewer";
    public static final String REVIEW_NOTE = "review_note";
    public static final String REVIEWED_AT = "reviewed_at";
    public static final String REVIEWED_AMOUNT = "reviewed_amount";
    public static final String REVIEWED_EVIDENCE_COUNT = "reviewed_evidence_count";
    public static final String ASSIGNEE = "assignee";
    public static final String NEEDS_REVIEW = "needs_review";
    public static final String REVIEW_REASON = "review_reason";
    public static final String REVISION = "revision";
    public static final String UPDATED_AT = "updated_at";

    /** {@link #STATE} of a case the latest run of its rule found. */
    public static final String ACTIVE = "active";
    /** {@link #STATE} of a case its rule ran and did not find (payments stopped, data corrected, death withdrawn). */
    public static final String NO_LONGER_FOUND = "no_longer_found";

    /** Joins the id parts; a control character that no rule id, subject id or key contains. */
    static final String ID_SEPARATOR = "\u001f";
    /** Hex characters of the SHA-256 kept in an exception id (96 bits). */
    static final int ID_LENGTH = 24;

    /** Facts a run refreshes on a case it finds again (the id parts never change). */
    private static final List<String> REFRESHED = List.of(Findings.RULE_VERSION, Findings.SEVERITY, Findings.REGION,
            Findings.PERIOD, Findings.AMOUNT_AT_RISK, Findings.EVIDENCE, Findings.EXPLANATION, SUBJECT_NAME,
            EVIDENCE_COUNT);

    public static final StructType SCHEMA;

    static {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(EXCEPTION_ID, DataTypes.StringType, true));
        Collections.addAll(fields, Findings.SCHEMA.fields());
        fields.add(DataTypes.createStructField(SUBJECT_NAME, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(EVIDENCE_COUNT, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(FIRST_SEEN_RUN, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(LAST_SEEN_RUN, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(STATE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(DISPOSITION, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(DISPOSITION_REASON, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVIEWER, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVIEW_NOTE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVIEWED_AT, DataTypes.TimestampType, true));
        fields.add(DataTypes.createStructField(REVIEWED_AMOUNT, Money.TYPE, true));
        fields.add(DataTypes.createStructField(REVIEWED_EVIDENCE_COUNT, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(ASSIGNEE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(NEEDS_REVIEW, DataTypes.BooleanType, true));
        fields.add(DataTypes.createStructField(REVIEW_REASON, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(REVISION, DataTypes.LongType, true));
        fields.add(DataTypes.createStructField(UPDATED_AT, DataTypes.TimestampType, true));
        SCHEMA = new StructType(fields.toArray(StructField[]::new));
    }

    private ExceptionList() {
    }

    /**
     * What one {@link #merge} did.
     *
     * @param inserted           cases never seen before
     * @param stillActive        active cases found again (facts refreshed, review kept)
     * @param reappeared         cases that were no longer found and are found again (review kept)
     * @param noLongerFound      active cases of the rules that ran which this run did not find
     * @param backForReview      dismissed cases whose facts grew past the configured threshold: back for review
     * @param duplicatesCombined finding rows dropped because another row of this run had the same case id
     * @param awaitingReview     active cases, in the whole list, with no disposition or back for review
     * @param active             active cases in the whole list
     */
    public record MergeSummary(String runId, long inserted, long stillActive, long reappeared, long noLongerFound,
                               long backForReview, long duplicatesCombined, long awaitingReview, long active) {

        /** True when cases await review: the CLI then exits with {@link ExitCode#FINDINGS_PRESENT}. */
        public boolean findingsPresent() {
            return awaitingReview > 0;
        }

        public ExitCode exitCode() {
            return findingsPresent() ? ExitCode.FINDINGS_PRESENT : ExitCode.SUCCESS;
        }
    }

    /**
     * The stable id of a case: the first 24 hex characters of SHA-256 over rule id, subject type, subject id, scheme
     * and case key joined by U+001F (null counts as empty). The scheme is part of it because one person can be
     * flagged by the same rule for two schemes. Neither the period nor the rule version is part of it, so a case
     * keeps its id (and its review) while its period grows and when the rule is improved.
     */
    public static String exceptionId(String ruleId, String subjectType, String subjectId, String scheme,
                                     String caseKey) {
        String joined = String.join(ID_SEPARATOR, nz(ruleId), nz(subjectType), nz(subjectId), nz(scheme), nz(caseKey));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #exceptionId} as a Spark column over a Dataset with the findings columns. */
    public static Column exceptionIdColumn() {
        return substring(sha2(concat_ws(ID_SEPARATOR,
                coalesce(col(Findings.RULE_ID), lit("")),
                coalesce(col(Findings.SUBJECT_TYPE), lit("")),
                coalesce(col(Findings.SUBJECT_ID), lit("")),
                coalesce(col(Findings.SCHEME), lit("")),
                coalesce(col(Findings.CASE_KEY), lit(""))), 256), 1, ID_LENGTH);
    }

    /** Cases awaiting review: active, and without a disposition or back for review. */
    public static Column awaitingReview() {
        return col(STATE).equalTo(ACTIVE).and(coalesce(col(DISPOSITION), lit(Disposition.NONE.code()))
                .equalTo(Disposition.NONE.code()).or(coalesce(col(NEEDS_REVIEW), lit(false))));
    }

    /**
     * What a person reads as the status of a case: "no longer found", "back for review", "new" (first found by the
     * latest run that saw it), "awaiting review", "confirmed" or "dismissed".
     */
    public static Column displayStatus() {
        return when(col(STATE).equalTo(NO_LONGER_FOUND), lit("no longer found"))
                .when(coalesce(col(NEEDS_REVIEW), lit(false)), lit("back for review"))
                .when(coalesce(col(DISPOSITION), lit("none")).equalTo(Disposition.NONE.code()),
                        when(col(FIRST_SEEN_RUN).eqNullSafe(col(LAST_SEEN_RUN)), lit("new"))
                                .otherwise(lit("awaiting review")))
                .otherwise(col(DISPOSITION));
    }

    /**
     * The exception list, or an empty Dataset before any run. An exception list an earlier version wrote must have
     * been migrated ({@link #ensureTable}, which every command that touches cases calls first).
     */
    public static Dataset<Row> read(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            return spark.createDataFrame(Collections.emptyList(), SCHEMA);
        }
        return spark.read().format("delta").load(tables.exceptions());
    }

    /** Creates the empty table (or migrates one an earlier version wrote). */
    public static void ensureTable(SparkSession spark, Tables tables, Map<String, List<String>> caseKeys) {
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            LOG.info("Creating the exception list at {}", tables.exceptions());
            spark.createDataFrame(Collections.emptyList(), SCHEMA).write().format("delta").mode("append")
                    .save(tables.exceptions());
        } else {
            CaseMigration.migrateIfNeeded(spark, tables, caseKeys);
        }
    }

    /** As {@link #merge(SparkSession, Tables, Dataset, String, Map, CrossCheckConfig.BackForReview)} for rules without case keys, default policy. */
    public static MergeSummary merge(SparkSession spark, Tables tables, Dataset<Row> findings, String runId,
                                     Set<String> rulesRun) {
        Map<String, List<String>> rules = new LinkedHashMap<>();
        rulesRun.forEach(r -> rules.put(r, List.of()));
        return merge(spark, tables, findings, runId, rules, new CrossCheckConfig.BackForReview(null, null, null));
    }

    /**
     * Merges one screening run's findings into the exception list.
     * <ul>
     *   <li>A finding whose case is not listed is inserted: state active, no disposition, revision 0.</li>
     *   <li>A listed case found again gets its facts (rule version, severity, region, period, amount, evidence,
     *       explanation, subject name) and {@code last_seen_run} refreshed and becomes active; its disposition,
     *       reviewer, note and assignee are never touched.</li>
     *   <li>A dismissed case whose amount grew past {@code policy} since it was dismissed (or, if the policy says so,
     *       that has more evidence records) is set back for review with the reason, its revision bumped and the
     *       change written to the review log (source {@code run <id>}). Confirmed cases are never sent back: their
     *       growth shows as amount now against amount when reviewed.</li>
     *   <li>An active case of a rule in {@code rulesRun} that this run did not find becomes no longer found. Cases of
     *       rules not in {@code rulesRun} are left alone, so list exactly the rules that ran to completion.</li>
     *   <li>Several findings with the same case id in this run are combined into one, deterministically: the most
     *       severe, then the largest amount, then the highest rule version, then the smallest evidence text.</li>
     * </ul>
     * The case timeline ({@link CaseHistory}) gets this run's facts; the whole merge runs under the warehouse's
     * {@link ReviewLock}, so it never interleaves with a review import. Idempotent for the same findings and run id.
     *
     * @param findings rows conforming to {@link Findings#SCHEMA} (extra columns are ignored)
     * @param rulesRun ids of the rules that ran to completion, each with its case-key columns (for migrating an
     *                 exception list an earlier version wrote)
     * @throws CrossCheckException (internal failure) when findings lack contract columns or a key field is null
     */
    public static MergeSummary merge(SparkSession spark, Tables tables, Dataset<Row> findings, String runId,
                                     Map<String, List<String>> rulesRun, CrossCheckConfig.BackForReview policy) {
        Dataset<Row> source = withSubjectNames(spark, tables, combineDuplicates(Findings.conform(findings)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try (ReviewLock lock = ReviewLock.acquire(tables, "screening run " + runId)) {
            ensureTable(spark, tables, rulesRun);
            DeltaTable target = DeltaTable.forPath(spark, tables.exceptions());
            Dataset<Row> before = target.toDF();
            Row counts = classify(source, before, rulesRun.keySet(), policy);
            long badKeys = counts.getLong(6);
            if (badKeys > 0) {
                throw CrossCheckException.internal(badKeys + " findings of run " + runId
                        + " have no rule_id, subject_type or subject_id; nothing was merged");
            }
            long duplicates = counts.getLong(5);
            if (duplicates > 0) {
                LOG.warn("Run {}: {} findings repeated a case id already produced in this run and were combined",
                        runId, duplicates);
            }
            List<Row> back = backForReview(source, before, policy);
            Dataset<Row> clean = source.drop("_copies", "_bad_key");
            CaseHistory.record(spark, tables, runId, clean, lostCases(before, clean, rulesRun.keySet()));
            Dataset<Row> withBack = attachBackForReview(spark, clean, back);
            if (!back.isEmpty()) {
                ReviewLog.append(spark, tables, backForReviewLog(back, runId));
            }
            mergeInto(target, withBack, runId, rulesRun.keySet());
            MergeSummary summary = new MergeSummary(runId, counts.getLong(0), counts.getLong(1), counts.getLong(2),
                    counts.getLong(3), counts.getLong(4), duplicates, counts.getLong(7), counts.getLong(8));
            LOG.info("Run {}: exception list merged: {}", runId, summary);
            return summary;
        } finally {
            source.unpersist();
        }
    }

    /** One row per case id, with {@code _copies} (rows combined) and {@code _bad_key} (1 when a key is null). */
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
                col(Findings.PERIOD).asc_nulls_last(),
                col(Findings.REGION).asc_nulls_last());
        List<Column> cols = new ArrayList<>();
        cols.add(col(EXCEPTION_ID));
        for (String f : Findings.SCHEMA.fieldNames()) {
            cols.add(col(f));
        }
        cols.add(expr("coalesce(json_array_length(evidence), 0)").as(EVIDENCE_COUNT));
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
     * Adds {@link #SUBJECT_NAME}: the civil registry's name of a person subject, "name A / name B" for a pair of
     * persons, null for an account or a person the registry does not know. Null throughout before the registry is
     * cleaned.
     */
    static Dataset<Row> withSubjectNames(SparkSession spark, Tables tables, Dataset<Row> cases) {
        String registry = tables.clean(SourceFamily.CIVIL_REGISTRY);
        if (!DeltaTable.isDeltaTable(spark, registry)) {
            return cases.withColumn(SUBJECT_NAME, lit(null).cast(DataTypes.StringType));
        }
        Dataset<Row> names = spark.read().format("delta").load(registry)
                .select(col("national_id").as("_nid"), col("full_name").as("_name"));
        Dataset<Row> a = names.select(col("_nid").as("_a_id"), col("_name").as("_a_name"));
        Dataset<Row> b = names.select(col("_nid").as("_b_id"), col("_name").as("_b_name"));
        Column first = expr("CASE WHEN subject_type = 'person' THEN subject_id "
                + "WHEN subject_type = 'person_pair' THEN split(subject_id, '[|]')[0] END");
        Column second = expr("CASE WHEN subject_type = 'person_pair' THEN split(subject_id, '[|]')[1] END");
        return cases.withColumn("_first", first).withColumn("_second", second)
                .join(a, col("_first").equalTo(col("_a_id")), "left")
                .join(b, col("_second").equalTo(col("_b_id")), "left")
                .withColumn(SUBJECT_NAME, when(col(Findings.SUBJECT_TYPE).equalTo("person_pair"),
                        concat_ws(" / ", coalesce(col("_a_name"), lit("?")), coalesce(col("_b_name"), lit("?"))))
                        .otherwise(col("_a_name")))
                .drop("_first", "_second", "_a_id", "_a_name", "_b_id", "_b_name");
    }

    /**
     * Counts, from the table before the merge and this run's findings: inserted, still active, reappeared, no longer
     * found, back for review, duplicates combined, bad keys, and - by predicting each case's review state after the
     * merge, which saves reading the table again - awaiting review and active.
     */
    private static Row classify(Dataset<Row> source, Dataset<Row> table, Set<String> rulesRun,
                                CrossCheckConfig.BackForReview policy) {
        Dataset<Row> s = source.select(col(EXCEPTION_ID).as("s_id"), col("_copies"), col("_bad_key"),
                col(Findings.AMOUNT_AT_RISK).as("s_amount"), col(EVIDENCE_COUNT).as("s_evidence"));
        Dataset<Row> t = table.select(col(EXCEPTION_ID).as("t_id"), col(STATE).as("t_state"),
                col(Findings.RULE_ID).as("t_rule"), col(DISPOSITION).as("t_disp"),
                coalesce(col(NEEDS_REVIEW), lit(false)).as("t_back"), col(REVIEWED_AMOUNT).as("t_rev_amount"),
                col(REVIEWED_EVIDENCE_COUNT).as("t_rev_evidence"));
        Column inSource = col("s_id").isNotNull();
        Column inTable = col("t_id").isNotNull();
        Column wasActive = coalesce(col("t_state").equalTo(ACTIVE), lit(false));
        Column isNew = inSource.and(col("t_id").isNull());
        Column stillActive = inSource.and(inTable).and(wasActive);
        Column reappeared = inSource.and(inTable).and(wasActive.unary_$bang());
        Column lost = col("s_id").isNull().and(ruleIn(col("t_rule"), rulesRun)).and(wasActive);
        Column goesBack = inSource.and(inTable).and(grewMaterially(policy));
        Column activeAfter = inSource.or(wasActive.and(lost.unary_$bang()));
        Column undecided = coalesce(col("t_disp"), lit(Disposition.NONE.code())).equalTo(Disposition.NONE.code());
        Column awaitingAfter = activeAfter.and(undecided.or(col("t_back")).or(goesBack).or(isNew));
        return s.join(t, col("s_id").equalTo(col("t_id")), "full_outer")
                .agg(count(when(isNew, 1)),
                        count(when(stillActive, 1)),
                        count(when(reappeared, 1)),
                        count(when(lost, 1)),
                        count(when(goesBack, 1)),
                        coalesce(sum(col("_copies").minus(1)), lit(0L)).cast(DataTypes.LongType),
                        coalesce(sum(col("_bad_key")), lit(0L)).cast(DataTypes.LongType),
                        count(when(awaitingAfter, 1)),
                        count(when(activeAfter, 1)))
                .head();
    }

    /**
     * Over the classification columns ({@code t_disp, t_back, t_rev_amount, t_rev_evidence, s_amount, s_evidence}):
     * a dismissed case, not already back for review, whose amount grew by more than the policy's percentage of the
     * amount when dismissed and by at least its absolute amount, or (when the policy says so) whose evidence grew.
     */
    private static Column grewMaterially(CrossCheckConfig.BackForReview policy) {
        Column dismissed = coalesce(col("t_disp").equalTo(Disposition.DISMISSED.code()), lit(false))
                .and(col("t_back").unary_$bang());
        Column then = coalesce(col("t_rev_amount"), lit(BigDecimal.ZERO));
        Column growth = coalesce(col("s_amount"), lit(BigDecimal.ZERO)).minus(then);
        Column amountGrew = growth.gt(then.multiply(lit(policy.amountGrowthPercent() / 100.0)))
                .and(growth.geq(lit(policy.amountGrowthAtLeast()))).and(growth.gt(0));
        Column evidenceGrew = lit(policy.newEvidence())
                .and(coalesce(col("s_evidence"), lit(0)).gt(coalesce(col("t_rev_evidence"), lit(0))));
        return dismissed.and(coalesce(amountGrew.or(evidenceGrew), lit(false)));
    }

    /** (exception_id, revision before, reason, old disposition, note, assignee, reason given) of cases going back. */
    private static List<Row> backForReview(Dataset<Row> source, Dataset<Row> table,
                                           CrossCheckConfig.BackForReview policy) {
        Dataset<Row> s = source.select(col(EXCEPTION_ID).as("s_id"), col(Findings.AMOUNT_AT_RISK).as("s_amount"),
                col(EVIDENCE_COUNT).as("s_evidence"));
        Dataset<Row> t = table.select(col(EXCEPTION_ID).as("t_id"), col(DISPOSITION).as("t_disp"),
                coalesce(col(NEEDS_REVIEW), lit(false)).as("t_back"), col(REVIEWED_AMOUNT).as("t_rev_amount"),
                col(REVIEWED_EVIDENCE_COUNT).as("t_rev_evidence"), col(REVISION).as("t_revision"),
                col(REVIEWED_AT).as("t_reviewed_at"), col(REVIEWER).as("t_reviewer"), col(REVIEW_NOTE).as("t_note"),
                col(ASSIGNEE).as("t_assignee"), col(DISPOSITION_REASON).as("t_reason"));
        List<Row> rows = s.join(t, col("s_id").equalTo(col("t_id")))
                .where(grewMaterially(policy))
                .select("s_id", "t_revision", "t_rev_amount", "s_amount", "t_rev_evidence", "s_evidence",
                        "t_reviewed_at", "t_reviewer", "t_note", "t_assignee", "t_reason")
                .collectAsList();
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(RowFactory.create(r.getString(0), r.isNullAt(1) ? 0L : r.getLong(1),
                    backReason(r.getDecimal(2), r.getDecimal(3), r.isNullAt(4) ? 0 : r.getInt(4),
                            r.isNullAt(5) ? 0 : r.getInt(5), r.getTimestamp(6), r.getString(7)),
                    r.getString(8), r.getString(9), r.getString(10)));
        }
        return out;
    }

    static String backReason(BigDecimal then, BigDecimal now, int evidenceThen, int evidenceNow, Timestamp at,
                             String reviewer) {
        String when = at == null ? "" : " on " + DateTimeFormatter.ISO_LOCAL_DATE
                .format(at.toInstant().atZone(ZoneId.systemDefault()));
        String by = reviewer == null ? "" : " by " + reviewer;
        BigDecimal a = then == null ? BigDecimal.ZERO : then;
        BigDecimal b = now == null ? BigDecimal.ZERO : now;
        if (b.compareTo(a) > 0) {
            return "amount at risk grew from " + money(a) + " to " + money(b) + " since dismissed" + when + by;
        }
        return "evidence grew from " + evidenceThen + " to " + evidenceNow + " records since dismissed" + when + by;
    }

    public static String money(BigDecimal amount) {
        return String.format(java.util.Locale.ROOT, "%,.2f", amount.setScale(2, RoundingMode.HALF_UP));
    }

    private static Dataset<Row> attachBackForReview(SparkSession spark, Dataset<Row> source, List<Row> back) {
        StructType schema = new StructType().add("_back_id", DataTypes.StringType).add("_back_revision", DataTypes.LongType)
                .add("_back_reason", DataTypes.StringType);
        List<Row> rows = back.stream().map(r -> RowFactory.create(r.getString(0), r.getLong(1), r.getString(2))).toList();
        return source.join(broadcast(spark.createDataFrame(rows, schema)),
                col(EXCEPTION_ID).equalTo(col("_back_id")), "left").drop("_back_id");
    }

    private static List<Row> backForReviewLog(List<Row> back, String runId) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> log = new ArrayList<>();
        for (Row r : back) {
            String dismissed = Disposition.DISMISSED.code();
            log.add(ReviewLog.entry(r.getString(0), "crosscheck", now, "back_for_review", dismissed, dismissed,
                    r.getString(5), r.getString(5), r.getString(3), r.getString(3), r.getString(4), r.getString(4),
                    r.getString(2), r.getLong(1) + 1, "run " + runId));
        }
        return log;
    }

    /** Active cases of the rules that ran which the run did not find (for the timeline). */
    private static Dataset<Row> lostCases(Dataset<Row> before, Dataset<Row> source, Set<String> rulesRun) {
        return before.where(col(STATE).equalTo(ACTIVE).and(ruleIn(col(Findings.RULE_ID), rulesRun)))
                .join(source.select(col(EXCEPTION_ID)), before.col(EXCEPTION_ID).equalTo(source.col(EXCEPTION_ID)),
                        "left_anti");
    }

    private static void mergeInto(DeltaTable target, Dataset<Row> source, String runId, Set<String> rulesRun) {
        Column now = current_timestamp();
        Map<String, Column> refresh = new LinkedHashMap<>();
        Column unchanged = col("t." + LAST_SEEN_RUN).eqNullSafe(lit(runId)).and(col("t." + STATE).eqNullSafe(lit(ACTIVE)));
        for (String f : REFRESHED) {
            refresh.put(f, col("s." + f));
            unchanged = unchanged.and(col("t." + f).eqNullSafe(col("s." + f)));
        }
        refresh.put(STATE, lit(ACTIVE));
        refresh.put(LAST_SEEN_RUN, lit(runId));
        refresh.put(UPDATED_AT, now);

        Map<String, Column> sendBack = new LinkedHashMap<>(refresh);
        sendBack.put(NEEDS_REVIEW, lit(true));
        sendBack.put(REVIEW_REASON, col("s._back_reason"));
        sendBack.put(REVISION, col("s._back_revision").plus(1));

        Map<String, Column> insert = new LinkedHashMap<>();
        insert.put(EXCEPTION_ID, col("s." + EXCEPTION_ID));
        for (String f : Findings.SCHEMA.fieldNames()) {
            insert.put(f, col("s." + f));
        }
        insert.put(SUBJECT_NAME, col("s." + SUBJECT_NAME));
        insert.put(EVIDENCE_COUNT, col("s." + EVIDENCE_COUNT));
        insert.put(FIRST_SEEN_RUN, lit(runId));
        insert.put(LAST_SEEN_RUN, lit(runId));
        insert.put(STATE, lit(ACTIVE));
        insert.put(DISPOSITION, lit(Disposition.NONE.code()));
        insert.put(NEEDS_REVIEW, lit(false));
        insert.put(REVISION, lit(0L));
        insert.put(UPDATED_AT, now);

        // the revision condition makes a repeated merge (same run after a crash) send nothing back twice
        Column goesBack = col("s._back_reason").isNotNull()
                .and(coalesce(col("t." + REVISION), lit(0L)).equalTo(col("s._back_revision")));
        var builder = target.as("t")
                .merge(source.as("s"), col("t." + EXCEPTION_ID).equalTo(col("s." + EXCEPTION_ID)))
                .whenMatched(goesBack).update(sendBack)
                .whenMatched(unchanged.unary_$bang()).update(refresh)
                .whenNotMatched().insert(insert);
        if (!rulesRun.isEmpty()) {
            builder = builder
                    .whenNotMatchedBySource(ruleIn(col("t." + Findings.RULE_ID), rulesRun)
                            .and(coalesce(col("t." + STATE).equalTo(ACTIVE), lit(false))))
                    .update(Map.of(STATE, lit(NO_LONGER_FOUND), UPDATED_AT, now));
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
