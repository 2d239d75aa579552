package org.crosscheck.ingest;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.nio.charset.Charset;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.StepTimer;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads department extract files into the bronze Delta tables, raw values as delivered plus lineage.
 *
 * <ul>
 *   <li>A file whose content (SHA-256) was already loaded for the same family is skipped with a log line,
 *       whatever its name: re-running ingestion adds no rows. Two copies of one file in the same delivery are
 *       loaded once (the first by path); the copy is reported as already loaded, under the first one's load id.</li>
 *   <li>A file whose name was loaded before but whose content changed is loaded as a new version, with a warning;
 *       the ingest log records the previous hash.</li>
 *   <li>Every file is checked before anything is written: a file that does not decode in its mapping's encoding,
 *       or lacks a mapped column, stops the run with exit code 3 and a message naming file and column.</li>
 *   <li>A run killed half-way is repaired by the next run: bronze rows are written with
 *       {@code replaceWhere _source_hash = …}, so rows of a load that never reached the ingest log are
 *       replaced, not duplicated.</li>
 *   <li>No matching files (an empty landing folder) is not an error: the report says zero files.</li>
 * </ul>
 */
public final class IngestJob {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

    private IngestJob() {
    }

    public static IngestReport run(SparkSession spark, CrossCheckConfig config, String runId) {
        return run(spark, config, runId, LoadCheck.NONE);
    }

    /** As {@link #run(SparkSession, CrossCheckConfig, String)}, judging every new load with {@code check}. */
    public static IngestReport run(SparkSession spark, CrossCheckConfig config, String runId, LoadCheck check) {
        Tables tables = new Tables(config.storage().warehouse());
        List<Mapping> mappings = MappingLoader.loadAll(config.ingest().mappings());
        return run(spark, tables, config.ingest().landing(), mappings, runId, check);
    }

    public static IngestReport run(SparkSession spark, Tables tables, String landing, List<Mapping> mappings,
                                   String runId) {
        return run(spark, tables, landing, mappings, runId, LoadCheck.NONE);
    }

    public static IngestReport run(SparkSession spark, Tables tables, String landing, List<Mapping> mappings,
                                   String runId, LoadCheck check) {
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        List<IngestLog.Entry> log = IngestLog.entries(spark, tables);
        Map<String, IngestLog.Entry> byHash = new HashMap<>();
        Map<String, IngestLog.Entry> latestByFile = new HashMap<>();
        for (IngestLog.Entry e : log) {
            byHash.put(e.family() + "|" + e.sourceHash(), e);
            latestByFile.put(e.family() + "|" + e.sourceFile(), e);
        }

        IngestReport report = new IngestReport();
        List<PendingLoad> pending = new ArrayList<>();
        // a second copy of a file in the same delivery (same family and content, another name) is loaded once
        Map<String, PendingLoad> pendingByHash = new HashMap<>();
        List<String[]> copies = new ArrayList<>(); // {mapping id, family, copy path, family|hash}
        // Phase 1: fingerprint and check every file before writing anything. Hashing and decoding is a pass over
        // every byte on the driver, so files are fingerprinted in parallel; results (and the first error) are taken
        // in file order, as before.
        Map<Mapping, List<String>> filesByMapping = new java.util.IdentityHashMap<>();
        Map<String, Future<ExtractFile>> fingerprints = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), r -> {
                    Thread t = new Thread(r, "fingerprint");
                    t.setDaemon(true);
                    return t;
                });
        try {
            Map<Mapping, RuntimeException> listingErrors = new java.util.IdentityHashMap<>();
            for (Mapping mapping : mappings) {
                List<String> files;
                try {
                    files = matchingFiles(hadoopConf, landing, mapping);
                } catch (RuntimeException e) {
                    listingErrors.put(mapping, e); // thrown in mapping order below, as before
                    files = List.of();
                }
                filesByMapping.put(mapping, files);
                Charset charset = "parquet".equals(mapping.format()) ? null : Charset.forName(mapping.encoding());
                for (String file : files) {
                    fingerprints.computeIfAbsent(mapping.id() + "|" + file,
                            k -> pool.submit(() -> ExtractFile.fingerprint(hadoopConf, file, charset)));
                }
            }
            for (Mapping mapping : mappings) {
                if (listingErrors.containsKey(mapping)) {
                    throw listingErrors.get(mapping);
                }
                List<String> files = filesByMapping.get(mapping);
                if (files.isEmpty()) {
                    LOG.info("mapping {}: no files match {}/{}", mapping.id(), landing, mapping.files());
                }
                for (String file : files) {
                    ExtractFile extract = result(fingerprints.get(mapping.id() + "|" + file));
                    String family = mapping.family();
                    if (extract.empty()) {
                        LOG.warn("{}: the file is empty (0 bytes), so it is not loaded; the other files are", file);
                        report.add(new IngestReport.FileOutcome(mapping.id(), family, file, IngestReport.Status.EMPTY, 0, null));
                        continue;
                    }
                    IngestLog.Entry same = byHash.get(family + "|" + extract.sha256());
                    if (same != null) {
                        LOG.info("{}: already loaded as {} (same content, {} rows); skipped", file, same.loadId(), same.rows());
                        report.add(new IngestReport.FileOutcome(mapping.id(), family, file, IngestReport.Status.ALREADY_LOADED,
                                0, same.loadId()));
                        continue;
                    }
                    PendingLoad first = pendingByHash.get(family + "|" + extract.sha256());
                    if (first != null) {
                        LOG.warn("{}: same content as {} in this delivery; loaded once, this copy skipped", file,
                                first.extract.path());
                        copies.add(new String[] {mapping.id(), family, file, family + "|" + extract.sha256()});
                        continue;
                    }
                    if ("csv".equals(mapping.format())) {
                        List<String> header = mapping.header()
                                ? ExtractReader.splitHeader(extract.headerLine() == null ? "" : extract.headerLine(),
                                        mapping.delimiter(), mapping.quote())
                                : List.of();
                        if (mapping.header()) {
                            ExtractReader.requireColumns(mapping, extract, header);
                        }
                    }
                    IngestLog.Entry earlier = latestByFile.get(family + "|" + file);
                    PendingLoad load = new PendingLoad(mapping, extract, earlier);
                    pending.add(load);
                    pendingByHash.put(family + "|" + extract.sha256(), load);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // Phase 2: load, one Delta commit per bronze table and one for the ingest log.
        Map<String, List<PendingLoad>> byFamily = new java.util.TreeMap<>();
        int seq = 0;
        for (PendingLoad p : pending) {
            seq++;
            p.loadId = runId + "-" + String.format("%03d", seq) + "-" + p.extract.sha256().substring(0, 8);
            if (p.earlier != null) {
                LOG.warn("{}: content changed since load {} (hash {} -> {}); loading it as a new version",
                        p.extract.path(), p.earlier.loadId(), p.earlier.sourceHash().substring(0, 12),
                        p.extract.sha256().substring(0, 12));
            }
            byFamily.computeIfAbsent(p.mapping.family(), k -> new ArrayList<>()).add(p);
        }
        List<IngestLog.Entry> entries = new ArrayList<>();
        List<LoadCheck.Verdict> stops = new ArrayList<>();
        for (List<PendingLoad> loads : byFamily.values()) {
            Map<String, Long> rows;
            try (StepTimer step = StepTimer.start(spark, "ingest " + loads.get(0).mapping.family())) {
                rows = load(spark, tables, loads);
                step.rows(rows.values().stream().mapToLong(Long::longValue).sum()).detail(loads.size() + " file(s)");
            }
            Map<String, LoadCheck.Load> judged = new java.util.LinkedHashMap<>();
            loads.forEach(p -> judged.put(p.loadId, new LoadCheck.Load(p.loadId, p.mapping, p.extract.path(), runId,
                    rows.getOrDefault(p.loadId, 0L))));
            for (LoadCheck.Verdict v : check.check(spark, tables, loads.get(0).mapping.sourceFamily(), judged)) {
                if (v.stop()) {
                    LOG.debug("{}", v); // reported once, in the message that ends the run
                    stops.add(v);
                } else {
                    LOG.warn("{}", v);
                    report.addWarning(v.toString());
                }
            }
            for (PendingLoad p : loads) {
                long n = rows.getOrDefault(p.loadId, 0L);
                entries.add(new IngestLog.Entry(p.loadId, p.mapping.family(), p.mapping.id(),
                        MappingLoader.toJson(p.mapping), p.extract.path(), p.extract.sha256(), n,
                        Timestamp.from(Instant.now()), p.earlier == null ? null : p.earlier.sourceHash()));
                LOG.info("{}: loaded {} rows into bronze/{} as {}", p.extract.path(), n, p.mapping.family(), p.loadId);
                report.add(new IngestReport.FileOutcome(p.mapping.id(), p.mapping.family(), p.extract.path(),
                        p.earlier == null ? IngestReport.Status.LOADED : IngestReport.Status.NEW_VERSION, n, p.loadId));
            }
        }
        if (!stops.isEmpty()) {
            // the loads never reach the ingest log; remove them from bronze so nothing downstream sees them
            for (List<PendingLoad> loads : byFamily.values()) {
                String path = tables.bronze(loads.get(0).mapping.sourceFamily());
                String hashes = String.join(",", loads.stream().map(p -> "'" + p.extract.sha256() + "'").toList());
                io.delta.tables.DeltaTable.forPath(spark, path).delete("_source_hash IN (" + hashes + ")");
            }
            throw CrossCheckException.badInput("plausibility guards stopped the run; nothing was loaded. Check the"
                    + " mapping (code lists, mapped columns) against the files, or set the guard in the mapping's"
                    + " guards: (see docs/mappings.md):\n  - "
                    + String.join("\n  - ", stops.stream().map(LoadCheck.Verdict::toString).toList()));
        }
        check.finish(spark, tables);
        for (String[] c : copies) {
            report.add(new IngestReport.FileOutcome(c[0], c[1], c[2], IngestReport.Status.ALREADY_LOADED, 0,
                    pendingByHash.get(c[3]).loadId));
        }
        IngestLog.append(spark, tables, entries);
        return report;
    }

    private static ExtractFile result(Future<ExtractFile> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CrossCheckException.internal("interrupted while fingerprinting extract files");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A checked file waiting to be loaded into bronze. */
    static final class PendingLoad {
        final Mapping mapping;
        final ExtractFile extract;
        final IngestLog.Entry earlier;
        String loadId;

        PendingLoad(Mapping mapping, ExtractFile extract, IngestLog.Entry earlier) {
            this.mapping = mapping;
            this.extract = extract;
            this.earlier = earlier;
        }
    }

    /**
     * Writes the files of one family into its bronze table in one commit and returns the rows per load id.
     * {@code replaceWhere} on the files' hashes makes the write repeatable: rows left by a run that died before
     * the ingest log was written are replaced, not duplicated.
     */
    static Map<String, Long> load(SparkSession spark, Tables tables, List<PendingLoad> loads) {
        Dataset<Row> all = null;
        Timestamp now = Timestamp.from(Instant.now());
        List<String> hashes = new ArrayList<>();
        for (PendingLoad p : loads) {
            Dataset<Row> rows = ExtractReader.read(spark, p.mapping, p.extract)
                    .withColumn("_source_file", lit(p.extract.path()))
                    .withColumn("_source_hash", lit(p.extract.sha256()))
                    .withColumn("_load_id", lit(p.loadId))
                    .withColumn("_loaded_at", lit(now))
                    .withColumn("_mapping_id", lit(p.mapping.id()));
            all = all == null ? rows : all.unionByName(rows);
            hashes.add("'" + p.extract.sha256() + "'");
        }
        String path = tables.bronze(loads.get(0).mapping.sourceFamily());
        if (DeltaTables.exists(spark, path)) {
            // mergeSchema: a bronze table of an earlier version lacks death_date_precision; it gains the column
            all.write().format("delta").mode("overwrite").option("mergeSchema", "true")
                    .option("replaceWhere", "_source_hash IN (" + String.join(",", hashes) + ")")
                    .save(path);
        } else {
            all.write().format("delta").mode("append").save(path);
        }
        Map<String, Long> counts = new HashMap<>();
        List<String> ids = loads.stream().map(p -> p.loadId).toList();
        for (Row r : spark.read().format("delta").load(path)
                .where(org.apache.spark.sql.functions.col("_load_id").isin(ids.toArray()))
                .groupBy("_load_id").count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }

    /** Files under the landing folder matching the mapping's glob, sorted by path. */
    public static List<String> matchingFiles(Configuration conf, String landing, Mapping mapping) {
        LandingPaths.requireInsideLanding(landing, mapping);
        Path pattern = new Path(landing, mapping.files());
        try {
            FileSystem fs = pattern.getFileSystem(conf);
            FileStatus[] found = fs.globStatus(pattern);
            if (found == null) {
                return List.of();
            }
            return Arrays.stream(found)
                    .filter(FileStatus::isFile)
                    .map(s -> s.getPath().toUri().getScheme() == null || "file".equals(s.getPath().toUri().getScheme())
                            ? s.getPath().toUri().getPath() : s.getPath().toString())
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw CrossCheckException.badInput("cannot list " + pattern + " for mapping " + mapping.id() + ": " + e.getMessage(), e);
        }
    }
}
