package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StepTimer;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation stage: bronze loads to cleaned tables, quarantine, metrics.
 *
 * <p>{@link #run} processes every load in {@code meta/ingest_log} that is not yet in {@code meta/validation_log},
 * family by family (civil registry, enrollment, contribution, benefit payment, so reference checks see the
 * registry and enrollments of the same run). Edges:
 * <ul>
 *   <li>re-run on the same bronze data: no load is pending, nothing is read or written, the report is all zero;</li>
 *   <li>{@link #runFull}: every load is re-validated; the cleaned tables change only where content differs
 *       (normally nowhere: no MERGE is issued when nothing would be inserted or updated), quarantine rows of
 *       those loads are replaced, a metrics row is added;</li>
 *   <li>empty loads (zero rows) are recorded as validated;</li>
 *   <li>a retracted death ({@code record_status = cancelled}) is stored without death date, see
 *       {@link Normalisation};</li>
 *   <li>unbalanced row accounting or a MERGE that does not do what the classification predicted fails the run
 *       with exit code 4 after recording the metrics; the loads are then not marked validated, so the next run
 *       retries them (idempotently).</li>
 * </ul>
 * Analyst tables are published separately by {@link AnalystTables#publish}.
 */
public final class ValidateJob {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateJob.class);

    private ValidateJob() {
    }

    /** Validates the loads not validated before. */
    public static ValidationReport run(SparkSession spark, CrossCheckConfig config, String runId) {
        return run(spark, config, runId, false);
    }

    /** Re-validates every load; the cleaned tables change only where a record's content differs. */
    public static ValidationReport runFull(SparkSession spark, CrossCheckConfig config, String runId) {
        return run(spark, config, runId, true);
    }

    public static ValidationReport run(SparkSession spark, CrossCheckConfig config, String runId, boolean all) {
        Tables tables = new Tables(config.storage().warehouse());
        Path rulesFolder = Path.of(config.screening().qualityRules());
        Map<SourceFamily, QualityRules> rules = new EnumMap<>(SourceFamily.class);
        for (SourceFamily f : SourceFamily.values()) {
            rules.put(f, QualityRules.load(rulesFolder, f));
        }
        Normalisation.registerFunctions(spark);
        Map<SourceFamily, List<ValidationLog.Load>> pending = ValidationLog.pending(spark, tables, all);
        List<ValidationReport.FamilyReport> reports = new ArrayList<>();
        for (SourceFamily f : SourceFamily.values()) {
            try (StepTimer step = StepTimer.start(spark, "validate " + f.id())) {
                ValidationReport.FamilyReport r = validateFamily(spark, tables, f, rules.get(f), pending.get(f), runId, all);
                step.rows(r.counts().read());
                reports.add(r);
            }
        }
        ValidationReport report = new ValidationReport(runId, all, reports);
        LOG.debug("{}", report); // the CLI prints it to stdout; logging it too would print it twice
        return report;
    }

    static ValidationReport.FamilyReport validateFamily(SparkSession spark, Tables tables, SourceFamily family,
                                                        QualityRules rules, List<ValidationLog.Load> loads,
                                                        String runId, boolean all) {
        String mode = all ? "full" : "incremental";
        if (loads.isEmpty()) {
            LOG.info("{}: no load to validate", family.id());
            return new ValidationReport.FamilyReport(family, 0, RowCounts.EMPTY, Map.of());
        }
        if (!DeltaTable.isDeltaTable(spark, tables.bronze(family))) {
            if (loads.stream().allMatch(l -> l.rows() == 0)) {
                // only empty files so far: ingestion may not have created the bronze table
                ValidationLog.record(spark, tables, family, loads, runId, mode);
                return new ValidationReport.FamilyReport(family, loads.size(), RowCounts.EMPTY, Map.of());
            }
            throw CrossCheckException.badInput("the ingest log lists " + loads.size() + " load(s) of " + family.id()
                    + " but the bronze table " + tables.bronze(family) + " does not exist");
        }
        List<String> loadIds = loads.stream().map(ValidationLog.Load::loadId).toList();
        Dataset<Row> bronze = spark.read().format("delta").load(tables.bronze(family))
                .filter(col("_load_id").isin(loadIds.toArray()));

        Map<String, List<String>> loadsByMapping = new LinkedHashMap<>();
        loads.forEach(l -> loadsByMapping.computeIfAbsent(l.mappingJson(), k -> new ArrayList<>()).add(l.loadId()));
        Dataset<Row> parsed = null;
        for (Map.Entry<String, List<String>> e : loadsByMapping.entrySet()) {
            Mapping mapping;
            try {
                mapping = MappingLoader.fromJson(e.getKey());
            } catch (RuntimeException ex) {
                throw CrossCheckException.badInput("ingest log: the mapping snapshot of load(s) " + e.getValue()
                        + " cannot be read: " + ex.getMessage(), ex);
            }
            Dataset<Row> part = Normalisation.parse(bronze.filter(col("_load_id").isin(e.getValue().toArray())),
                    family, mapping);
            parsed = parsed == null ? part : parsed.unionByName(part);
        }

        String cleanPath = tables.clean(family);
        CleanTable.ensureExists(spark, cleanPath, family);
        Dataset<Row> current = spark.read().format("delta").load(cleanPath);
        boolean cleanEmpty = current.isEmpty();
        // _norm (the trimmed NFKC strings) is only needed by the checks: dropping it makes every shuffle after it
        // (windows, MERGE) about a third narrower. The classified batch is cached once: the counts, the quarantine
        // and the changes to the cleaned table all read it, so parsing, checks and ranking run once.
        Dataset<Row> checked = QualityEvaluation.apply(parsed, family, rules, references(spark, tables)).drop("_norm");
        Dataset<Row> classified = CleanTable.classify(checked, family, current)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long read = bronze.count();
            long declared = loads.stream().mapToLong(ValidationLog.Load::rows).filter(r -> r >= 0).sum();
            if (loads.stream().allMatch(l -> l.rows() >= 0) && declared != read) {
                LOG.warn("{}: ingest log declares {} rows for loads {} but bronze holds {}", family.id(), declared,
                        loadIds, read);
            }
            RowAccounting.BatchMetrics metrics = RowAccounting.measure(classified, family, read);
            RowCounts counts = metrics.counts();
            if (!counts.balanced()) {
                RowAccounting.record(spark, tables.metrics(), runId, family, mode, loads.size(), metrics);
                RowAccounting.requireBalanced(family, runId, counts);
            }
            Quarantine.write(spark, tables.quarantine(family), Quarantine.rows(classified, family, runId), loadIds,
                    counts.quarantined(), all);
            if (counts.inserted() + counts.updated() > 0) {
                Map<String, Long> merged = CleanTable.apply(spark, cleanPath, classified, family, runId, cleanEmpty);
                if (merged.get("inserted") != counts.inserted() || merged.get("updated") != counts.updated()) {
                    RowCounts wrong = new RowCounts(-1, merged.get("inserted"), merged.get("updated"), counts.unchanged(),
                            counts.superseded(), counts.quarantined(), counts.duplicates(), counts.warnings());
                    RowAccounting.record(spark, tables.metrics(), runId, family, mode, loads.size(),
                            new RowAccounting.BatchMetrics(wrong, metrics.checkViolations(), metrics.completeness()));
                    throw CrossCheckException.internal("row accounting for " + family.id() + " in run " + runId
                            + ": the MERGE inserted " + merged.get("inserted") + " and updated " + merged.get("updated")
                            + " rows but validation classified " + counts.inserted() + " inserts and "
                            + counts.updated() + " updates");
                }
            }
            // Metrics before the validation log: a kill between the two commits leaves the loads pending, so the
            // re-run validates them again (changing nothing) and records its own metrics row; the other order lost
            // the accounting of a run killed right after its validation-log commit.
            RowAccounting.record(spark, tables.metrics(), runId, family, mode, loads.size(), metrics);
            ValidationLog.record(spark, tables, family, loads, runId, mode);
            LOG.info("{}: {} load(s), {}", family.id(), loads.size(), counts);
            return new ValidationReport.FamilyReport(family, loads.size(), counts, metrics.checkViolations());
        } finally {
            classified.unpersist();
        }
    }

    /** Distinct non-null values of a column of a cleaned table; null when the table or column does not exist. */
    static QualityEvaluation.ReferenceTables references(SparkSession spark, Tables tables) {
        return (family, column) -> {
            String path = tables.clean(family);
            if (!DeltaTable.isDeltaTable(spark, path)) {
                LOG.warn("reference check: {} does not exist yet; every reference to it fails", path);
                return null;
            }
            Dataset<Row> t = spark.read().format("delta").load(path);
            if (!Arrays.asList(t.columns()).contains(column)) {
                return null;
            }
            return t.select(col(column)).filter(col(column).isNotNull()).distinct();
        };
    }
}
