package org.crosscheck.corrections;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.IngestLog;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop back to the departments, run after the report stage: brings {@code corrections/requests} up to date
 * ({@link CorrectionRequests}), writes each department's request files ({@link RequestFiles}) and the notice drafts
 * to persons ({@link PersonNotices}), and appends the figures ({@link CorrectionMetrics}). Safe to re-run: a second
 * run on the same warehouse opens and closes nothing and rewrites the same files.
 */
public final class CorrectionsJob {
    private static final Logger LOG = LoggerFactory.getLogger(CorrectionsJob.class);

    private CorrectionsJob() {
    }

    public record Summary(List<RequestItem> items, List<CorrectionMetrics> metrics, List<Path> files,
                          List<Path> notices, Path folder) {
        /** The figures as printed in the run summary. */
        public String table() {
            StringBuilder s = new StringBuilder(String.format("%-48s %9s %6s %9s %7s %s%n", "department",
                    "requested", "open", "corrected", "overdue", "median days to correction"));
            for (CorrectionMetrics m : metrics) {
                s.append(String.format("%-48s %9d %6d %9d %7d %s%n", m.department(), m.requested(), m.open(),
                        m.correctedThisRun(), m.overdue(),
                        m.medianDaysToCorrection() == null ? "-" : String.format("%.1f", m.medianDaysToCorrection())));
            }
            return s.toString();
        }
    }

    public static Summary run(SparkSession spark, CrossCheckConfig config, String runId) {
        return run(spark, config, runId, new Timestamp(System.currentTimeMillis()));
    }

    public static Summary run(SparkSession spark, CrossCheckConfig config, String runId, Timestamp now) {
        Tables tables = new Tables(config.storage().warehouse());
        int overdueDays = config.corrections().overdueDays();
        List<RequestItem> items = CorrectionRequests.update(spark, tables, runId, now);
        Map<String, Mapping> mappings = new HashMap<>();
        for (IngestLog.Entry e : IngestLog.entries(spark, tables)) {
            Mapping m = MappingLoader.fromJson(e.mappingJson());
            mappings.put(m.id(), m); // entries come oldest first: the newest snapshot of a layout wins
        }
        Path exports = Path.of(config.storage().exports());
        List<Path> files = RequestFiles.write(exports, runId, items, mappings, now, overdueDays);
        Path folder = RequestFiles.folder(exports, runId);
        List<Path> notices = PersonNotices.write(spark, tables, folder,
                PersonNotices.template(config.corrections().noticeTemplate()), items,
                now.toLocalDateTime().toLocalDate());
        RequestFiles.publishLatest(exports, runId);
        List<CorrectionMetrics> metrics = CorrectionMetrics.of(items, runId, now, overdueDays);
        CorrectionMetrics.append(spark, tables, runId, now, metrics);
        LOG.info("Run {}: {} correction request items ({} open), {} files, {} notice drafts", runId, items.size(),
                items.stream().filter(RequestItem::isOpen).count(), files.size(), notices.size());
        return new Summary(items, metrics, files, notices, folder);
    }
}
