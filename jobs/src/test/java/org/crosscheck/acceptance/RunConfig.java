package org.crosscheck.acceptance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The configuration file of a pipeline run on generated data under {@code data/}, with the repository's rules. */
public final class RunConfig {
    private RunConfig() {
    }

    /**
     * Writes {@code file}: two shuffle partitions, the warehouse and exports folders (relative to the file), plus
     * {@code sparkExtra} and {@code storageExtra}: further YAML lines under {@code spark:} and {@code storage:}
     * (each line indented by two spaces and ending with a newline; empty for none).
     */
    public static Path write(Path file, Path repoRoot, String warehouse, String exports, String sparkExtra, String storageExtra)
            throws IOException {
        return write(file, repoRoot, warehouse, exports, sparkExtra, storageExtra, "data");
    }

    /** As {@link #write(Path, Path, String, String, String, String)}, with the generated data in {@code data}. */
    public static Path write(Path file, Path repoRoot, String warehouse, String exports, String sparkExtra, String storageExtra,
            String data) throws IOException {
        String yaml = "spark:\n  shuffle_partitions: 2\n" + sparkExtra
                + "storage:\n  warehouse: " + warehouse + "\n  exports: " + exports + "\n" + storageExtra
                + "ingest:\n  landing: " + data + "/landing\n  mappings: [" + data + "/mappings]\n"
                + "screening:\n  quality_rules: " + repoRoot.resolve("rules/quality")
                + "\n  screening_rules: " + repoRoot.resolve("rules/screening") + "\n";
        Files.writeString(file, yaml);
        return file;
    }
}
