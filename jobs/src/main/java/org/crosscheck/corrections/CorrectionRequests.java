package org.crosscheck.corrections;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.IngestLog;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.validate.Normalisation;

/**
 * The table of correction requests ({@code corrections/requests}) and how a run brings it up to date.
 *
 * <p>Each run: every quarantined row not yet resolved and every record behind a confirmed, active case is an item
 * (new items open with this run); an open quarantine item whose business key has since arrived clean (the cleaned
 * table holds that key from a load loaded after the quarantined row) is {@code corrected} with the run that wrote
 * the clean row, and the quarantined row gets {@code _resolved_run} (it stays in the table as the audit record; the
 * open quarantine is {@code _resolved_run IS NULL}). An open confirmation item whose case is no longer found is
 * corrected with this run; one whose case was dismissed or reopened is {@code withdrawn}, as is a quarantine item whose
 * row left the quarantine without a correction (e.g. its load was re-validated under a fixed quality rule).
 * Re-running changes nothing: items keep their first {@code requested_run} and {@code corrected_run}.
 */
public final class CorrectionRequests {
    static final String RESOLVED_RUN = "_resolved_run";
    private static final String SEP = "\u001f";

    private CorrectionRequests() {
    }

    public static String table(Tables tables) {
        return tables.path("corrections/requests");
    }

    public static List<RequestItem> read(SparkSession spark, Tables tables) {
        if (!DeltaTables.exists(spark, table(tables))) {
            return List.of();
        }
        return spark.read().format("delta").load(table(tables)).collectAsList().stream()
                .map(RequestItem::fromRow).toList();
    }

    /** What the warehouse shows this run: candidate items, and the quarantined rows already corrected. */
    record Candidates(Map<String, RequestItem> items, Map<String, String> resolvedRuns,
                      Map<String, List<Object[]>> resolvedRows, Map<String, String[]> cases) {
    }

    /** Brings the table up to date for {@code runId}; returns all items after the update. */
    public static List<RequestItem> update(SparkSession spark, Tables tables, String runId, Timestamp now) {
        Normalisation.registerFunctions(spark); // parsing the quarantined keys needs them, also when run alone
        Map<String, Mapping> byLoad = new HashMap<>();
        Map<String, Timestamp> loadedAt = new HashMap<>();
        for (IngestLog.Entry e : IngestLog.entries(spark, tables)) {
            byLoad.put(e.loadId(), MappingLoader.fromJson(e.mappingJson()));
            loadedAt.put(e.loadId(), e.loadedAt());
        }
        Candidates c = candidates(spark, tables, byLoad, loadedAt, runId, now);
        Map<String, RequestItem> merged = new LinkedHashMap<>();
        for (RequestItem old : read(spark, tables)) {
            merged.put(old.itemId(), old);
        }
        for (RequestItem cand : c.items().values()) {
            RequestItem old = merged.get(cand.itemId());
            String resolved = c.resolvedRuns().get(cand.itemId());
            RequestItem next;
            if (old == null) {
                next = resolved == null ? cand : cand.withStatus(RequestItem.CORRECTED, resolved, now);
            } else if (old.isOpen() || RequestItem.WITHDRAWN.equals(old.status())) {
                next = old.seenAgain(cand, runId);
                next = resolved == null ? next.withStatus(RequestItem.OPEN, null, null)
                        : next.withStatus(RequestItem.CORRECTED, resolved, now);
            } else {
                next = old;
            }
            merged.put(next.itemId(), next);
        }
        for (RequestItem old : List.copyOf(merged.values())) {
            if (!old.isOpen() || c.items().containsKey(old.itemId())) {
                continue;
            }
            String[] cs = old.exceptionId() == null ? null : c.cases().get(old.exceptionId());
            boolean caseGone = cs != null && ExceptionList.NO_LONGER_FOUND.equals(cs[0]);
            merged.put(old.itemId(), caseGone ? old.withStatus(RequestItem.CORRECTED, runId, now)
                    : old.withStatus(RequestItem.WITHDRAWN, runId, now));
        }
        List<RequestItem> all = List.copyOf(merged.values());
        spark.createDataFrame(all.stream().map(RequestItem::toRow).toList(), RequestItem.SCHEMA)
                .write().format("delta").mode("overwrite").save(table(tables));
        markResolved(spark, tables, c.resolvedRows(), merged);
        return all;
    }

    private static Candidates candidates(SparkSession spark, Tables tables, Map<String, Mapping> byLoad,
                                         Map<String, Timestamp> loadedAt, String runId, Timestamp now) {
        Map<String, RequestItem> items = new LinkedHashMap<>();
        Map<String, String> resolvedRuns = new HashMap<>();
        Map<String, List<Object[]>> resolvedRows = new HashMap<>();
        for (SourceFamily family : SourceFamily.values()) {
            quarantineItems(spark, tables, family, byLoad, loadedAt, runId, now, items, resolvedRuns, resolvedRows);
        }
        Map<String, String[]> cases = new HashMap<>();
        if (DeltaTables.exists(spark, tables.exceptions())) {
            Dataset<Row> ex = spark.read().format("delta").load(tables.exceptions());
            for (Row r : ex.select("exception_id", ExceptionList.STATE, "disposition").collectAsList()) {
                cases.put(r.getString(0), new String[]{r.getString(1), r.getString(2)});
            }
            caseItems(spark, tables, ex, byLoad, runId, now, items);
        }
        return new Candidates(items, resolvedRuns, resolvedRows, cases);
    }

    /** Adds {@code _resolved_run} to a quarantine table written before corrections existed. */
    static void migrate(SparkSession spark, String path) {
        StructType schema = spark.read().format("delta").load(path).schema();
        if (!List.of(schema.fieldNames()).contains(RESOLVED_RUN)) {
            spark.sql("ALTER TABLE delta.`" + path + "` ADD COLUMNS (" + RESOLVED_RUN + " STRING)");
        }
    }

    private static void quarantineItems(SparkSession spark, Tables tables, SourceFamily family,
                                        Map<String, Mapping> byLoad, Map<String, Timestamp> loadedAt, String runId,
                                        Timestamp now, Map<String, RequestItem> items,
                                        Map<String, String> resolvedRuns, Map<String, List<Object[]>> resolvedRows) {
        String path = tables.quarantine(family);
        if (!DeltaTables.exists(spark, path)) {
            return;
        }
        migrate(spark, path);
        Dataset<Row> q = spark.read().format("delta").load(path);
        List<String> keys = family.businessKey();
        List<String> raw = Normalisation.rawFields(family);
        // typed business key, parsed with the mapping snapshot of each row's load (as validation did)
        Map<String, List<String>> loadsByMapping = new LinkedHashMap<>();
        for (Row r : q.select("_load_id").distinct().collectAsList()) {
            Mapping m = byLoad.get(r.getString(0));
            if (m != null) {
                loadsByMapping.computeIfAbsent(MappingLoader.toJson(m), k -> new ArrayList<>()).add(r.getString(0));
            }
        }
        Dataset<Row> typed = null;
        for (Map.Entry<String, List<String>> e : loadsByMapping.entrySet()) {
            Dataset<Row> part = q.filter(col("_load_id").isin(e.getValue().toArray()));
            List<Column> sel = new ArrayList<>(List.of(col("_load_id").as("__q_load"),
                    col("_record_number").as("__q_rec")));
            keys.forEach(k -> sel.add(col(k).as("__k_" + k)));
            part = Normalisation.parse(part, family, MappingLoader.fromJson(e.getKey())).select(sel.toArray(Column[]::new));
            typed = typed == null ? part : typed.unionByName(part);
        }
        if (typed == null) {
            return;
        }
        Dataset<Row> withKeys = q.join(typed, col("_load_id").equalTo(col("__q_load"))
                .and(col("_record_number").equalTo(col("__q_rec"))), "left");
        // the cleaned row of the same key, and when its load was loaded
        String cleanPath = tables.clean(family);
        Column keyCol = concat_ws(SEP, keys.stream().map(k -> coalesce(col("__k_" + k).cast("string"),
                col(k), lit(""))).toArray(Column[]::new));
        Column reasonKind = array_join(array_sort(array_distinct(transform(col("_reasons"), r -> r.getField("check")))), "+");
        Column reasonWords = array_join(transform(col("_reasons"), r -> r.getField("message")), "; ");
        Dataset<Row> rows = withKeys.withColumn("__key", keyCol).withColumn("__kind", reasonKind)
                .withColumn("__words", reasonWords)
                .withColumn("__values", to_json(struct(raw.stream().map(f -> col(f)).toArray(Column[]::new))));
        if (DeltaTables.exists(spark, cleanPath)) {
            List<Row> loads = new ArrayList<>();
            loadedAt.forEach((id, at) -> loads.add(RowFactory.create(id, at)));
            Dataset<Row> loadTimes = spark.createDataFrame(loads, new StructType()
                    .add("__c_load", DataTypes.StringType).add("__c_loaded_at", DataTypes.TimestampType));
            List<Column> csel = new ArrayList<>();
            keys.forEach(k -> csel.add(col(k).as("__c_" + k)));
            csel.add(col("_load_id").as("__c_load"));
            csel.add(col("_updated_run").as("__c_run"));
            Dataset<Row> clean = spark.read().format("delta").load(cleanPath).select(csel.toArray(Column[]::new))
                    .join(loadTimes, "__c_load");
            Column on = col("__c_loaded_at").gt(col("_loaded_at"));
            for (String k : keys) {
                on = on.and(col("__k_" + k).isNotNull()).and(col("__k_" + k).equalTo(col("__c_" + k)));
            }
            rows = rows.join(clean, on, "left");
        } else {
            rows = rows.withColumn("__c_run", lit(null).cast("string"));
        }
        List<Row> collected = rows.select(col("__key"), col("__kind"), col("__words"), col("__values"),
                col("_source_file"), col("_record_number"), col("_load_id"), col("_loaded_at"), col("__c_run"),
                col(RESOLVED_RUN)).orderBy(col("_loaded_at"), col("_record_number")).collectAsList();
        for (Row r : collected) {
            String id = itemId(family.id(), r.getString(0), r.getString(1));
            Mapping m = byLoad.get(r.getString(6));
            DepartmentLayout layout = m == null ? null : DepartmentLayout.of(m);
            String resolved = r.isNullAt(9) ? r.getString(8) : r.getString(9);
            if (resolved != null) {
                resolvedRuns.putIfAbsent(id, resolved);
                resolvedRows.computeIfAbsent(family.id(), k -> new ArrayList<>())
                        .add(new Object[]{r.getString(6), r.getLong(5), id});
            } else {
                resolvedRuns.remove(id); // a later occurrence of the same problem is still unresolved
            }
            items.put(id, new RequestItem(id, layout == null ? "unknown department" : layout.department(),
                    layout == null ? null : layout.mappingId(), family.id(), RequestItem.QUARANTINED_ROW,
                    r.getString(0), r.getString(1), r.getString(2), r.getString(4), r.getLong(5), null,
                    r.getString(3), runId, now, RequestItem.OPEN, null, null, runId));
        }
    }

    private static void caseItems(SparkSession spark, Tables tables, Dataset<Row> exceptions,
                                  Map<String, Mapping> byLoad, String runId, Timestamp now,
                                  Map<String, RequestItem> items) {
        Dataset<Row> records = exceptions
                .filter(col(ExceptionList.STATE).equalTo(ExceptionList.ACTIVE)
                        .and(col("disposition").equalTo("confirmed")))
                .select(col("exception_id"), col("rule_id"), explode(from_json(col("evidence"),
                        DataTypes.createArrayType(DataTypes.createMapType(DataTypes.StringType,
                                DataTypes.StringType)))).as("rec"))
                .select(col("exception_id"), col("rule_id"), col("rec").getItem("table").as("table"),
                        col("rec").getItem("source_file").as("source_file"),
                        col("rec").getItem("record_number").cast("long").as("record_number"));
        List<Row> wanted = records.collectAsList();
        for (SourceFamily family : SourceFamily.values()) {
            List<Row> mine = wanted.stream().filter(r -> family.id().equals(r.getString(2))
                    && r.getString(3) != null && !r.isNullAt(4)).toList();
            if (mine.isEmpty() || !DeltaTables.exists(spark, tables.bronze(family))) {
                continue;
            }
            Dataset<Row> want = spark.createDataFrame(mine, records.schema());
            List<String> raw = Normalisation.rawFields(family);
            Dataset<Row> bronze = spark.read().format("delta").load(tables.bronze(family));
            Column rawKey = concat_ws(SEP, family.businessKey().stream().map(k -> coalesce(col(k), lit("")))
                    .toArray(Column[]::new));
            List<Row> found = want.join(bronze, want.col("source_file").equalTo(bronze.col("_source_file"))
                            .and(want.col("record_number").equalTo(bronze.col("_record_number"))))
                    .select(col("exception_id"), col("rule_id"), col("source_file"), col("record_number"),
                            col("_load_id"), rawKey.as("__key"), col("_loaded_at"),
                            to_json(struct(raw.stream().map(f -> col(f)).toArray(Column[]::new))).as("__values"))
                    .orderBy(col("_loaded_at"))
                    .collectAsList();
            for (Row r : found) {
                String kind = "confirm:" + r.getString(1);
                String id = itemId(family.id(), r.getString(5), kind);
                Mapping m = byLoad.get(r.getString(4));
                DepartmentLayout layout = m == null ? null : DepartmentLayout.of(m);
                items.put(id, new RequestItem(id, layout == null ? "unknown department" : layout.department(),
                        layout == null ? null : layout.mappingId(), family.id(), RequestItem.CONFIRM_RECORD,
                        r.getString(5), kind, confirmationText(family, r.getString(1)), r.getString(2),
                        r.getLong(3), r.getString(0), r.getString(7), runId, now, RequestItem.OPEN, null, null,
                        runId));
            }
        }
    }

    /** What the department is asked to do with its record behind a confirmed case (no other department's data). */
    static String confirmationText(SourceFamily family, String ruleId) {
        String what = switch (family) {
            case CIVIL_REGISTRY -> "please confirm the death and its date in this record, or correct or cancel it";
            case ENROLLMENT -> "please end this enrollment if it should have ended (give the end date), "
                    + "or confirm that it is correct";
            case BENEFIT_PAYMENT -> "please confirm this payment, or stop or recover it";
            case CONTRIBUTION -> "please confirm this contribution, or correct it";
        };
        return "A risk officer confirmed a case (rule " + ruleId + ") that rests on this record: " + what + ".";
    }

    static String itemId(String family, String businessKey, String reasonKind) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join(SEP, family,
                    businessKey == null ? "" : businessKey, reasonKind == null ? "" : reasonKind)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets {@code _resolved_run} on quarantined rows whose item is corrected (only where it is still null). */
    private static void markResolved(SparkSession spark, Tables tables, Map<String, List<Object[]>> resolvedRows,
                                     Map<String, RequestItem> items) {
        StructType schema = new StructType().add("load_id", DataTypes.StringType)
                .add("record_number", DataTypes.LongType).add("run", DataTypes.StringType);
        for (Map.Entry<String, List<Object[]>> e : resolvedRows.entrySet()) {
            List<Row> rows = new ArrayList<>();
            for (Object[] o : e.getValue()) {
                RequestItem item = items.get((String) o[2]);
                if (item != null && RequestItem.CORRECTED.equals(item.status())) {
                    rows.add(RowFactory.create(o[0], o[1], item.correctedRun()));
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            DeltaTable.forPath(spark, tables.quarantine(SourceFamily.fromId(e.getKey()))).as("t")
                    .merge(spark.createDataFrame(rows, schema).as("s"),
                            "t._load_id = s.load_id AND t._record_number = s.record_number AND t."
                                    + RESOLVED_RUN + " IS NULL")
                    .whenMatched().updateExpr(Map.of(RESOLVED_RUN, "s.run"))
                    .execute();
        }
    }
}
