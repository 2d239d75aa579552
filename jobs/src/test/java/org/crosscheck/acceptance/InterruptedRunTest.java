package org.crosscheck.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SampleRun;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.cli.CrossCheck;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.Test;

/**
 * A run killed (SIGKILL) in the middle of ingestion, then again in the middle of validation, and finally run to the
 * end, leaves the same tables as a run that was never interrupted.
 */
class InterruptedRunTest extends SparkTestSupport {
    /** Columns that carry run ids or wall-clock times, which legitimately differ between two runs. */
    private static final Set<String> VOLATILE = Set.of("_load_id", "_loaded_at", "_updated_run", "_run_id",
            "_quarantined_at", "first_seen_run", "last_seen_run", "updated_at_run", "reviewed_at");

    @Test
    void killedRunStartedAgainEndsWithTheSameTablesAsAnUninterruptedRun() throws Exception {
        // the uninterrupted reference: the first run of the generated sample, shared with the other end-to-end tests;
        // the interrupted runs read the same landing files (so the rows name the same source files) into their own warehouse
        Path reference = SampleRun.pristine();
        Path root = tempDir("interrupted");
        Path interrupted = RunConfig.write(root.resolve("interrupted.yaml"), repoRoot(), "interrupted", "interrupted-exports",
                "", "", reference.resolve("data").toString());

        Tables t = new Tables(root.resolve("interrupted").toString());
        killWhenCommitted(interrupted, Path.of(t.bronze(SourceFamily.BENEFIT_PAYMENT), "_delta_log"), root.resolve("kill1.log"));
        killWhenCommitted(interrupted, Path.of(t.clean(SourceFamily.CIVIL_REGISTRY), "_delta_log"), root.resolve("kill2.log"));
        // right after the first family's validation-log commit: its metrics row must already be there
        killWhenCommitted(interrupted, Path.of(t.validationLog(), "_delta_log"), root.resolve("kill3.log"));
        assertEquals(ExitCode.FINDINGS_PRESENT.code, run(interrupted));

        Dataset<Row> validated = spark().read().format("delta").load(t.validationLog()).select("run_id", "family").distinct();
        Dataset<Row> metrics = spark().read().format("delta").load(t.metrics()).select("run_id", "family").distinct();
        assertEquals(List.of(), validated.exceptAll(metrics).collectAsList(), "every validated batch has its metrics row");
        List<String> statuses = spark().read().format("delta").load(t.runs()).orderBy("started_at")
                .select("status").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("killed", "killed", "killed", "succeeded"), statuses, "killed runs appear in meta/runs");

        Tables r = new Tables(reference.resolve("warehouse").toString());
        for (SourceFamily f : SourceFamily.values()) {
            assertSameRows(r.bronze(f), t.bronze(f));
            assertSameRows(r.clean(f), t.clean(f));
            assertSameRows(r.quarantine(f), t.quarantine(f));
        }
        assertSameRows(r.exceptions(), t.exceptions());
        assertEquals(spark().read().format("delta").load(r.ingestLog()).count(),
                spark().read().format("delta").load(t.ingestLog()).count(), "one ingest-log entry per file");
    }

    private static int run(Path cfg) {
        return CrossCheck.execute("run", "--config", cfg.toString(), "--as-of", SampleRun.AS_OF);
    }

    /** Runs the pipeline in a child JVM and kills it with SIGKILL as soon as {@code marker} appears. */
    private static void killWhenCommitted(Path cfg, Path marker, Path log) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx1g", "-XX:ReservedCodeCacheSize=256m",
                "@" + repoRoot().resolve("jobs/jvm.options"),
                "-cp", System.getProperty("java.class.path"), CrossCheck.class.getName(),
                "run", "--config", cfg.toString(), "--as-of", SampleRun.AS_OF)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        try {
            while (!committed(marker)) {
                if (!p.isAlive()) {
                    fail("the run ended (exit " + p.exitValue() + ") before " + marker + " was written; log:\n"
                            + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("timed out waiting for " + marker + "; log:\n" + Files.readString(log));
                }
                Thread.sleep(100);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(1, TimeUnit.MINUTES);
        }
        assertTrue(p.exitValue() != 0, "the run was killed, not finished");
    }

    private static boolean committed(Path deltaLog) {
        File[] commits = deltaLog.toFile().listFiles((dir, name) -> name.endsWith(".json"));
        return commits != null && commits.length > 0;
    }

    private static void assertSameRows(String expectedPath, String actualPath) {
        boolean expectedExists = Files.isDirectory(Path.of(expectedPath, "_delta_log"));
        assertEquals(expectedExists, Files.isDirectory(Path.of(actualPath, "_delta_log")), actualPath);
        if (!expectedExists) {
            return;
        }
        Dataset<Row> expected = stable(spark().read().format("delta").load(expectedPath));
        Dataset<Row> actual = stable(spark().read().format("delta").load(actualPath));
        assertEquals(expected.count(), actual.count(), "rows in " + actualPath);
        List<Row> missing = expected.exceptAll(actual).limit(5).collectAsList();
        List<Row> extra = actual.exceptAll(expected).limit(5).collectAsList();
        assertEquals(List.of(), missing, "rows missing from " + actualPath);
        assertEquals(List.of(), extra, "rows extra in " + actualPath);
    }

    /** Drops run ids and wall-clock times; orders the columns by name. */
    private static Dataset<Row> stable(Dataset<Row> df) {
        boolean exceptionList = Arrays.asList(df.columns()).contains("exception_id");
        Column[] cols = Arrays.stream(df.columns())
                .filter(c -> !VOLATILE.contains(c) && !(exceptionList && c.equals("updated_at")))
                .sorted().map(c -> df.col("`" + c + "`")).toArray(Column[]::new);
        return df.select(cols);
    }
}
