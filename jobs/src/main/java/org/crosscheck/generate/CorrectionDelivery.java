package org.crosscheck.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Plants corrections in a later delivery: a department re-delivers some rows of an earlier extract file, fixed, in a
 * new file of the same layout (same header, encoding and delimiter), as departments do when they answer a correction
 * request. Works on any line-per-record extract (CSV with or without header, JSON lines); records spanning several
 * lines (quoted line breaks) are not supported.
 */
public final class CorrectionDelivery {
    private CorrectionDelivery() {
    }

    /**
     * Writes {@code target} with the header of {@code source} (when it has one) and, in record-number order, each
     * record of {@code fixes} (1-based, header not counted) as the fix function returns it (the identity re-delivers
     * the row unchanged).
     *
     * @throws IllegalArgumentException when a record number is not in the source file
     */
    public static Path write(Path source, Charset charset, boolean header, Map<Long, UnaryOperator<String>> fixes,
                             Path target) {
        try {
            List<String> lines = Files.readAllLines(source, charset);
            int first = header ? 1 : 0;
            List<String> out = new ArrayList<>();
            if (header && !lines.isEmpty()) {
                out.add(lines.get(0));
            }
            for (Map.Entry<Long, UnaryOperator<String>> e : new TreeMap<>(fixes).entrySet()) {
                long index = e.getKey() - 1 + first;
                if (e.getKey() < 1 || index >= lines.size()) {
                    throw new IllegalArgumentException(source + " has no record " + e.getKey());
                }
                out.add(e.getValue().apply(lines.get((int) index)));
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(target, out, charset);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the correction delivery " + target + ": " + e.getMessage(), e);
        }
    }
}
