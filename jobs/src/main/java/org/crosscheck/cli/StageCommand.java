package org.crosscheck.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.AccessAreas;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.Redaction;
import org.crosscheck.core.RunManifest;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The shell around every stage: reads and checks the configuration before Spark starts, logs it (secrets
 * masked), runs the stage, turns failures into a one-paragraph message and the documented exit code, and records
 * the run in {@code meta/runs}.
 */
abstract class StageCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("crosscheck");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (YAML). Without it: embedded defaults (local Spark, ./warehouse).")
    Path config;

    /** Everything a stage needs. */
    record Context(SparkSession spark, CrossCheckConfig config, Tables tables, RunManifest manifest) {
        String runId() {
            return manifest.runId();
        }
    }

    /** The command name recorded in the run manifest. */
    abstract String name();

    abstract ExitCode execute(Context ctx) throws Exception;

    /** Whether the command is recorded in {@code meta/runs} (queries are not runs). */
    boolean recordsRun() {
        return true;
    }

    @Override
    public Integer call() {
        CrossCheckConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (CrossCheckException e) {
            System.err.println("crosscheck " + name() + ": " + e.getMessage());
            return e.exitCode().code;
        }
        String runId = RunManifest.newRunId();
        LOG.info("run {} ({}), effective configuration:\n{}", runId, name(), ConfigLoader.describe(cfg).strip());
        RunManifest manifest = new RunManifest(runId, name());
        SparkSession spark = null;
        // In tests (and notebooks) a session may already run in this JVM: use it and leave it running.
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        ExitCode exit;
        String message = null;
        try {
            spark = SparkSessions.create(cfg);
            Tables tables = new Tables(cfg.storage().warehouse());
            if (recordsRun()) {
                recordStart(spark, tables, manifest);
            }
            exit = execute(new Context(spark, cfg, tables, manifest));
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
        if (spark != null && recordsRun()) {
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

    /** The {@code started} row in meta/runs (see {@link RunManifest#start}); a failure to write it stops nothing. */
    private static void recordStart(SparkSession spark, Tables tables, RunManifest manifest) {
        try {
            manifest.start(spark, tables);
        } catch (RuntimeException e) {
            LOG.warn("could not record the start of run {} in meta/runs: {}", manifest.runId(), e.toString());
        }
    }
}
