package org.crosscheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.io.FileUtils;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.RunLock;
import org.junit.jupiter.api.Test;

/** The command line as a scheduler sees it: checks before work, exit codes, one run per warehouse. */
class OperabilityTest extends SparkTestSupport {
    private static final String MAPPING = """
            id: tiny_registry
            family: civil_registry
            department: civil affairs
            files: reg/*.csv
            columns: {national_id: ID, full_name: NAME}
            """;

    /** Runs the command line and returns exit code and what it wrote to stderr. */
    private static Object[] execute(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = CrossCheck.execute(args);
            return new Object[] {code, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    private static Path project(String name, String extraConfig) throws IOException {
        Path root = tempDir(name);
        Files.createDirectories(root.resolve("landing"));
        Files.createDirectories(root.resolve("mappings"));
        Files.writeString(root.resolve("mappings/tiny.yaml"), MAPPING);
        Files.writeString(root.resolve("crosscheck.yaml"), """
                spark: {shuffle_partitions: 2}
                storage: {warehouse: warehouse, exports: exports}
                ingest:
                  landing: landing
                  mappings: [mappings]
                %s
                screening:
                  quality_rules: %s
                  screening_rules: %s
                """.formatted(extraConfig, repoRoot().resolve("rules/quality"), screeningRules(root)));
        return root;
    }

    private static Path screeningRules(Path root) {
        Path dir = root.resolve("screening");
        try {
            FileUtils.copyDirectory(repoRoot().resolve("rules/screening").toFile(), dir.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    private static int jobsDuring(Supplier<Integer> action, int[] exit) {
        AtomicInteger jobs = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
            }
        };
        spark().sparkContext().addSparkListener(listener);
        try {
            exit[0] = action.get();
            try {
                spark().sparkContext().listenerBus().waitUntilEmpty(10_000);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
        } finally {
            spark().sparkContext().removeSparkListener(listener);
        }
        return jobs.get();
    }

    @Test
    void checkOnTheSampleConfigurationFindsNothingAndStartsNoSparkJob() {
        int[] exit = new int[1];
        int jobs = jobsDuring(() -> CrossCheck.execute("check", "--config",
                repoRoot().resolve("sample-data/crosscheck.yaml").toString()), exit);
        assertEquals(0, exit[0]);
        assertEquals(0, jobs, "check analyses the rules' SQL but runs no Spark job");
    }

    @Test
    void everyProblemIsListedAtOnceAndARunStopsBeforeIngest() throws IOException {
        Path root = project("preflight", "");
        Files.writeString(root.resolve("mappings/broken.yaml"), MAPPING.replace("tiny_registry", "broken")
                .replace("files:", "filez:"));
        Files.writeString(root.resolve("screening/zz_broken.yaml"), "id: zz_broken\nversion: 1\n");
        Files.writeString(root.resolve("landing/any.csv"), "ID,NAME\n1,a\n");
        Files.writeString(root.resolve("crosscheck.yaml"), Files.readString(root.resolve("crosscheck.yaml"))
                + "  parameters: {shared_bank_account: {min_persns: 5}}\n");

        Object[] check = execute("check", "--config", root.resolve("crosscheck.yaml").toString());
        assertEquals(ExitCode.USAGE.code, check[0]);
        String out = (String) check[1];
        assertTrue(out.contains("broken.yaml: unknown key 'filez'"), out);
        assertTrue(out.contains("zz_broken.yaml"), out);

        Object[] run = execute("run", "--config", root.resolve("crosscheck.yaml").toString());
        assertEquals(ExitCode.USAGE.code, run[0]);
        assertTrue(((String) run[1]).contains("before any work was done"), (String) run[1]);
        assertFalse(Files.exists(root.resolve("warehouse/bronze")), "nothing was ingested");

        // with the files fixed only the typo'd parameter remains, and it too stops the run before ingest
        Files.delete(root.resolve("mappings/broken.yaml"));
        Files.delete(root.resolve("screening/zz_broken.yaml"));
        Object[] typo = execute("run", "--config", root.resolve("crosscheck.yaml").toString());
        assertEquals(ExitCode.USAGE.code, typo[0]);
        assertTrue(((String) typo[1]).contains("min_persns"), (String) typo[1]);
        assertFalse(Files.exists(root.resolve("warehouse/bronze")), "nothing was ingested");
    }

    @Test
    void screenOnAWarehouseThatDoesNotExistIsAConfigurationError() throws IOException {
        Path root = project("no-warehouse", "");
        Object[] r = execute("screen", "--config", root.resolve("crosscheck.yaml").toString());
        assertEquals(ExitCode.USAGE.code, r[0]);
        assertTrue(((String) r[1]).contains("holds no CrossCheck tables"), (String) r[1]);
        assertFalse(Files.exists(root.resolve("warehouse")), "no empty warehouse was created");
    }

    @Test
    void aRunOnAWarehouseInUseIsRefusedNamingTheHolder() throws IOException {
        Path root = project("busy", "");
        try (RunLock other = RunLock.acquire(spark().sparkContext().hadoopConfiguration(),
                root.resolve("warehouse").toString(), "OTHER-RUN", "run", 60)) {
            Object[] r = execute("ingest", "--config", root.resolve("crosscheck.yaml").toString());
            assertEquals(ExitCode.WAREHOUSE_BUSY.code, r[0]);
            assertTrue(((String) r[1]).contains("is in use by run OTHER-RUN (run, host"), (String) r[1]);
        }
        assertEquals(ExitCode.SUCCESS.code, execute("ingest", "--config", root.resolve("crosscheck.yaml").toString())[0]);
    }

    @Test
    void aMissingExpectedDeliveryGivesItsOwnExitCode() throws IOException {
        Path root = project("expected", "  expected:\n    - {mapping: tiny_registry, every: monthly}");
        Object[] r = execute("ingest", "--config", root.resolve("crosscheck.yaml").toString());
        assertEquals(ExitCode.DELIVERY_MISSING.code, r[0], (String) r[1]);

        Files.createDirectories(root.resolve("landing/reg"));
        Files.writeString(root.resolve("landing/reg/r.csv"), "ID,NAME\n11010519491231002X,a\n");
        assertEquals(ExitCode.SUCCESS.code, execute("ingest", "--config", root.resolve("crosscheck.yaml").toString())[0]);
        Files.setLastModifiedTime(root.resolve("landing/reg/r.csv"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(50))));
        // loaded just now: the ingest log's load time counts too, so it is not late yet
        assertEquals(ExitCode.SUCCESS.code, execute("ingest", "--config", root.resolve("crosscheck.yaml").toString())[0]);
    }
}
