package org.crosscheck.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one ingestion run did, file by file, and a per-table summary for the run log. */
public final class IngestReport {
    /** EMPTY: a file of zero bytes, not loaded (and not recorded, so a re-delivery with content loads). */
    public enum Status { LOADED, NEW_VERSION, ALREADY_LOADED, EMPTY }

    public record FileOutcome(String mappingId, String family, String file, Status status, long rows, String loadId) {
    }

    private final List<FileOutcome> files = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void addWarning(String warning) {
        warnings.add(warning);
    }

    /** Plausibility guards that warned (logged as warnings; guards that stop end the run instead). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    void add(FileOutcome outcome) {
        files.add(outcome);
    }

    public List<FileOutcome> files() {
        return List.copyOf(files);
    }

    /** Rows added to bronze, per family. */
    public Map<String, Long> rowsByFamily() {
        Map<String, Long> out = new TreeMap<>();
        for (FileOutcome f : files) {
            out.merge(f.family(), f.rows(), Long::sum);
        }
        return out;
    }

    public long rowsLoaded() {
        return files.stream().mapToLong(FileOutcome::rows).sum();
    }

    public String render() {
        Map<String, long[]> perFamily = new TreeMap<>();
        for (FileOutcome f : files) {
            long[] a = perFamily.computeIfAbsent(f.family(), k -> new long[3]);
            if (f.status() == Status.ALREADY_LOADED || f.status() == Status.EMPTY) {
                a[1]++;
            } else {
                a[0]++;
            }
            a[2] += f.rows();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-18s %14s %16s %12s%n", "bronze table", "files loaded", "files skipped", "rows added"));
        long[] total = new long[3];
        for (var e : perFamily.entrySet()) {
            long[] a = e.getValue();
            sb.append(String.format("%-18s %14d %16d %12d%n", e.getKey(), a[0], a[1], a[2]));
            for (int i = 0; i < 3; i++) {
                total[i] += a[i];
            }
        }
        sb.append(String.format("%-18s %14d %16d %12d%n", "total", total[0], total[1], total[2]));
        for (FileOutcome f : files) {
            if (f.status() == Status.EMPTY) {
                sb.append("empty file, not loaded (the other files were): ").append(f.file()).append('\n');
            }
        }
        return sb.toString();
    }
}
