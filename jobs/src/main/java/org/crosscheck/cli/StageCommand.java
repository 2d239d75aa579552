package org.crosscheck.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.AccessAreas;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.Redaction;
import org.crosscheck.core.RunLock;
import org.crosscheck.core.RunManifest;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.core.Tables;
import org.crosscheck.preflight.Preflight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The shell around every stage: reads and checks the configuration before Spark starts, logs it (secrets
 * masked), checks every mapping and rule file and override before any work ({@link Preflight}, exit 2 listing
 * every problem), takes the warehouse's run lock ({@link RunLock}, exit 7 when another run holds it), runs the
 * stage, turns failures into a one-paragraph message and the documented exit code, records the run in
 * {@code meta/runs} and logs the exit line.
 */
abstract class StageCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StageCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (YAML). Without it: embedded defaults (local Spark, ./warehouse).")
    Path config;

    /**
     * Everything a stage needs.
     *
     * @param notices problems that do not stop the stage but change its exit code (a missing expected delivery)
     */
    record Context(SparkSession spark, CrossCheckConfig config, Tables tables, RunManifest manifest,
                   List<String> notices) {
        String runId() {
            return manifest.runId();
        }
    }

    /** The command name recorded in the run manifest. */
    abstract String name();

    /** Whether the command reads the landing folder (only then must it exist). */
    boolean readsLanding() {
        return false;
    }

    /**
     * Whether the command works on tables an earlier run wrote: it then refuses a warehouse without an ingest log
     * (a mistyped {@code storage.warehouse} would otherwise screen an empty new warehouse and report success).
     */
    boolean needsExistingWarehouse() {
        return true;
    }

    abstract ExitCode execute(Context ctx) throws Exception;

    /** Whether the command is recorded in {@code meta/runs} (queries are not runs). */
    boolean recordsRun() {
        return true;
    }

    /** The configuration, or null after printing why it cannot be used (the command then exits 2). */
    static CrossCheckConfig loadConfig(Path config, String command) {
        try {
            return ConfigLoader.load(config);
        } catch (CrossCheckException e) {
            System.err.println("crosscheck " + command + ": " + e.getMessage());
            LOG.info("crosscheck {} ended with exit code {} ({})", command, e.exitCode().code, e.exitCode());
            return null;
        }
    }

    @Override
    public Integer call() {
        CrossCheckConfig cfg = loadConfig(config, name());
        if (cfg == null) {
            return ExitCode.USAGE.code;
        }
        String runId = RunManifest.newRunId();
        LOG.info("run {} ({}), effective configuration:\n{}", runId, name(), ConfigLoader.describe(cfg).strip());
        RunManifest manifest = new RunManifest(runId, name());
        SparkSession spark = null;
        // In tests (and notebooks) a session may already run in this JVM: use it and leave it running.
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        ExitCode exit;
        String message = null;
        boolean recorded = false;
        try {
            Tables tables = new Tables(cfg.storage().warehouse());
            // a local warehouse that does not exist is refused before a session (and its metastore folder) is made
            if (needsExistingWarehouse() && !org.crosscheck.core.ConfigLoader.hasScheme(tables.warehouse())
                    && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(tables.ingestLog()))) {
                throw noWarehouse(tables);
            }
            spark = SparkSessions.create(cfg);
            Preflight.require(spark, cfg, readsLanding(), ScreenCommand.javaRules(cfg));
            if (needsExistingWarehouse() && !DeltaTables.exists(spark, tables.ingestLog())) {
                throw noWarehouse(tables);
            }
            // a query (sql) writes nothing and takes no lock: analysts may query while a run works
            try (RunLock lock = recordsRun() ? RunLock.acquire(spark.sparkContext().hadoopConfiguration(),
                    tables.warehouse(), runId, name(), cfg.run().lockStaleAfterSeconds()) : null) {
                recorded = recordsRun();
                if (recorded) {
                    recordStart(spark, tables, manifest);
                }
                Context ctx = new Context(spark, cfg, tables, manifest, new ArrayList<>());
                exit = execute(ctx);
                if (!ctx.notices().isEmpty() && (exit == ExitCode.SUCCESS || exit == ExitCode.FINDINGS_PRESENT)) {
                    message = String.join("; ", ctx.notices());
                    exit = ExitCode.DELIVERY_MISSING;
                }
                if (lock != null && !lock.held()) {
                    LOG.error("run {} lost the warehouse's run lock while it ran; check that no other run wrote the same"
                            + " tables", runId);
                }
            }
        } catch (CrossCheckException e) {
            exit = e.exitCode();
            message = Redaction.identities(e.getMessage());
            System.err.println("crosscheck " + name() + ": " + message);
            LOG.debug("details", e);
        } catch (Throwable e) {
            exit = ExitCode.INTERNAL_FAILURE;
            message = Redaction.identities("internal failure: " + e);
            System.err.println("crosscheck " + name() + ": " + message
                    + "\nThis is a defect in CrossCheck, not in your data; the stack trace follows.");
            LOG.error("internal failure", e);
        }
        if (spark != null && recorded) {
            // configuration problems and a refused lock did nothing: they are not recorded in the warehouse
            try {
                manifest.write(spark, new Tables(cfg.storage().warehouse()), exit, message);
            } catch (Throwable e) {
                LOG.error("could not record run {} in meta/runs: {}", runId, e.toString());
            }
            AccessAreas.apply(cfg);
        }
        if (spark != null && ownSession) {
            spark.stop();
        }
        LOG.info("run {} ({}) ended with exit code {} ({})", runId, name(), exit.code, exit);
        return exit.code;
    }

    private static CrossCheckException noWarehouse(Tables tables) {
        return CrossCheckException.config("storage.warehouse " + tables.warehouse() + " holds no CrossCheck"
                + " tables (no " + tables.ingestLog() + "); check the path, or run 'crosscheck ingest' or"
                + " 'crosscheck run' first");
    }

    /** The {@code started} row in meta/runs (see {@link RunManifest#start}); a failure to write it stops nothing. */
    private static void recordStart(SparkSession spark, Tables tables, RunManifest manifest) {
        try {
            manifest.start(spark, tables);
        } catch (RuntimeException e) {
            LOG.warn("could not record the start of run {} in meta/runs: {}", manifest.runId(), e.toString());
        }
    }
}
