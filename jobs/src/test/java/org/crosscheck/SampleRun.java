package org.crosscheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.io.FileUtils;
import org.crosscheck.acceptance.RunConfig;
import org.crosscheck.cli.CrossCheck;
import org.crosscheck.core.ExitCode;
import org.crosscheck.generate.SampleDataGenerator;

/**
 * The first monthly run that several end-to-end tests start from, made once per test JVM: generated data (200
 * persons, seed 42) run through the whole pipeline in this JVM with {@code --as-of 2026-01-31}. A full run is the
 * costliest thing in the suite, and those tests all began with this same one.
 * <p>
 * The pristine folder is never changed: a test that goes on from the first run takes a {@link #copy} (its own data,
 * warehouse and exports; Delta tables keep relative file paths, and files already ingested are known by their content
 * hash, so the copy carries on like the original). A test that only reads may use {@link #pristine()} directly.
 * Layout of both: {@code data/} (landing, mappings, truth.csv), {@code crosscheck.yaml}, {@code warehouse/},
 * {@code exports/}, {@code reports/}.
 */
public final class SampleRun extends SparkTestSupport {
    public static final String AS_OF = "2026-01-31";
    private static Path pristine;

    private SampleRun() {
    }

    /** The folder of the first run, made on first use. Read it; never write into it. */
    public static synchronized Path pristine() {
        if (pristine == null) {
            Path root = tempDir("sample-run");
            try {
                SampleDataGenerator.generate(root.resolve("data"), 200, 42);
                RunConfig.write(root.resolve("crosscheck.yaml"), repoRoot(), "warehouse", "exports", "", "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            spark(); // the shared session: the run below uses it
            assertEquals(ExitCode.FINDINGS_PRESENT.code, CrossCheck.execute("run", "--config",
                    root.resolve("crosscheck.yaml").toString(), "--as-of", AS_OF), "the first run ends with findings");
            pristine = root;
        }
        return pristine;
    }

    /** A new folder holding a copy of the first run, for a test that carries on from it. */
    public static Path copy(String prefix) {
        Path from = pristine();
        Path to = tempDir(prefix);
        try {
            for (String part : new String[] {"data", "warehouse", "exports", "reports"}) {
                if (Files.exists(from.resolve(part))) {
                    FileUtils.copyDirectory(from.resolve(part).toFile(), to.resolve(part).toFile());
                }
            }
            Files.copy(from.resolve("crosscheck.yaml"), to.resolve("crosscheck.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
