package org.crosscheck.validate;

import java.util.List;
import java.util.Map;

import org.crosscheck.core.SourceFamily;

/**
 * What a validation run did, per family, for the CLI to print. A family with no pending load has
 * {@code loads == 0} and all counts zero.
 *
 * @param runId    the run
 * @param full     true when every load was re-validated ({@link ValidateJob#runFull})
 * @param families one entry per source family, in processing order
 */
public record ValidationReport(String runId, boolean full, List<FamilyReport> families) {

    /**
     * @param loads           loads validated
     * @param counts          row accounting
     * @param checkViolations rows per failed check name (errors and warnings)
     */
    public record FamilyReport(SourceFamily family, int loads, RowCounts counts, Map<String, Long> checkViolations) {
    }

    public FamilyReport family(SourceFamily f) {
        return families.stream().filter(r -> r.family() == f).findFirst()
                .orElse(new FamilyReport(f, 0, RowCounts.EMPTY, Map.of()));
    }

    public RowCounts counts(SourceFamily f) {
        return family(f).counts();
    }

    /** True when no load was pending. */
    public boolean nothingToDo() {
        return families.stream().allMatch(r -> r.loads() == 0);
    }

    public long totalQuarantined() {
        return families.stream().mapToLong(r -> r.counts().quarantined()).sum();
    }

    public long totalWarnings() {
        return families.stream().mapToLong(r -> r.counts().warnings()).sum();
    }

    /** A plain-text table, one line per family, then the failed checks. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("Validation run ").append(runId).append(full ? " (all loads re-validated)" : " (new loads)").append('\n');
        String fmt = "%-16s %5s %8s %8s %8s %9s %10s %11s %10s %8s%n";
        b.append(String.format(fmt, "family", "loads", "read", "inserted", "updated", "unchanged", "superseded",
                "quarantined", "duplicates", "warnings"));
        for (FamilyReport r : families) {
            RowCounts c = r.counts();
            b.append(String.format(fmt, r.family().id(), r.loads(), c.read(), c.inserted(), c.updated(), c.unchanged(),
                    c.superseded(), c.quarantined(), c.duplicates(), c.warnings()));
        }
        for (FamilyReport r : families) {
            if (!r.checkViolations().isEmpty()) {
                b.append(r.family().id()).append(" checks failed:");
                r.checkViolations().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
                b.append('\n');
            }
        }
        return b.toString();
    }
}
