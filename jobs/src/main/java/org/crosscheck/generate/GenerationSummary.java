package org.crosscheck.generate;

import java.util.Map;

/**
 * What a generator run wrote.
 *
 * @param rowsPerFile data rows per extract file (path relative to {@code landing/}), headers not counted
 * @param truthCases  truth rows per {@code kind rule_id expected}
 */
public record GenerationSummary(Map<String, Long> rowsPerFile, Map<String, Integer> truthCases, double seconds) {

    public long totalRows() {
        return rowsPerFile.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A few lines for the console. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        rowsPerFile.forEach((f, n) -> sb.append(String.format("%,12d  landing/%s%n", n, f)));
        sb.append(String.format("%,12d  rows in total, %.1f s%n", totalRows(), seconds));
        truthCases.forEach((k, n) -> sb.append(String.format("%6d  truth %s%n", n, k)));
        return sb.toString();
    }
}
