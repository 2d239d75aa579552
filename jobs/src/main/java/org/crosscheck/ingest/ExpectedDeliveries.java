package org.crosscheck.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.crosscheck.core.CrossCheckConfig;

/**
 * Whether the deliveries the departments owe ({@code ingest.expected}) have arrived. A delivery's age is that of
 * the newest file of its mapping: the newest of the files now in the landing folder (modification time) and the
 * files already loaded (load time), so a landing folder that is emptied after each load still counts. A mapping
 * with no file ever is missing; one whose newest file is older than the allowed age is late.
 */
public final class ExpectedDeliveries {
    private ExpectedDeliveries() {
    }

    /** One sentence per missing or late delivery; empty when every expected delivery is there. */
    public static List<String> problems(Configuration conf, String landing, List<Mapping> mappings,
                                        List<IngestLog.Entry> log, List<CrossCheckConfig.ExpectedDelivery> expected,
                                        Instant now) {
        List<String> out = new ArrayList<>();
        for (CrossCheckConfig.ExpectedDelivery d : expected) {
            Mapping m = mappings.stream().filter(x -> x.id().equals(d.mapping())).findFirst().orElse(null);
            if (m == null) {
                continue; // reported by the preflight check
            }
            Instant newest = null;
            for (String file : IngestJob.matchingFiles(conf, landing, m)) {
                Instant t = modified(conf, file);
                newest = t != null && (newest == null || t.isAfter(newest)) ? t : newest;
            }
            for (IngestLog.Entry e : log) {
                if (e.mappingId().equals(m.id()) && e.loadedAt() != null) {
                    Instant t = e.loadedAt().toInstant();
                    newest = newest == null || t.isAfter(newest) ? t : newest;
                }
            }
            String who = d.department() != null ? d.department() : m.department() != null ? m.department() : m.id();
            int maxAge = d.effectiveMaxAgeDays();
            if (newest == null) {
                out.add("expected delivery missing: " + who + " delivers " + m.family() + " " + d.every() + " (mapping "
                        + m.id() + ", files " + landing + "/" + m.files() + "), but no file has ever arrived");
            } else if (Duration.between(newest, now).toDays() > maxAge) {
                out.add("expected delivery late: " + who + " delivers " + m.family() + " " + d.every() + " (mapping "
                        + m.id() + "); the newest file is from " + newest + ", "
                        + Duration.between(newest, now).toDays() + " days ago (allowed: " + maxAge + ")");
            }
        }
        return out;
    }

    private static Instant modified(Configuration conf, String file) {
        try {
            Path p = new Path(file);
            return Instant.ofEpochMilli(p.getFileSystem(conf).getFileStatus(p).getModificationTime());
        } catch (IOException e) {
            return null;
        }
    }
}
