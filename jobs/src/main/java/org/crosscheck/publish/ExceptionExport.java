package org.crosscheck.publish;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;
import org.crosscheck.review.CaseTotals;
import org.crosscheck.review.Disposition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The risk officers' copy of the exception list after a run: {@code <exports>/<runId>/exceptions-<runId>.csv} and
 * {@code .xlsx}, holding every exception that is not {@code resolved}, ordered by rule, severity (high first) and
 * amount at risk (largest first). Both files come from one pass over one snapshot of the table, streamed to the
 * driver a partition at a time ({@code toLocalIterator}); the summary figures are Spark aggregations.
 *
 * <p>Re-running the export for the same run id replaces both files. Each file is written under a temporary name and
 * renamed when complete, so a crash never leaves a half-written export that looks finished. Before the first
 * screening run both files are written with headers only.
 */
public final class ExceptionExport {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionExport.class);

    /** Where the export of one run went, and how many exceptions it holds. */
    public record ExportFiles(Path folder, Path csv, Path xlsx, long exceptions) {
    }

    private ExceptionExport() {
    }

    /** The file an export of {@code runId} is written to, with extension {@code csv} or {@code xlsx}. */
    public static Path file(Path exportsRoot, String runId, String extension) {
        return exportsRoot.resolve(runId).resolve("exceptions-" + runId + "." + extension);
    }

    public static ExportFiles write(SparkSession spark, Tables tables, Path exportsRoot, String runId) {
        if (runId == null || runId.isBlank() || runId.contains("/") || runId.contains("\\") || runId.contains("..")) {
            throw CrossCheckException.internal("run id '" + runId + "' cannot name an export folder");
        }
        Dataset<Row> current = snapshot(spark, tables)
                .filter(col(ExceptionList.STATE).equalTo(ExceptionList.ACTIVE));
        Path folder = exportsRoot.resolve(runId);
        Path csv = file(exportsRoot, runId, "csv");
        Path xlsx = file(exportsRoot, runId, "xlsx");
        Path csvPart = folder.resolve(csv.getFileName() + ".part");
        Path xlsxPart = folder.resolve(xlsx.getFileName() + ".part");
        long rows = 0;
        try {
            Files.createDirectories(folder);
            try (CsvExport csvOut = new CsvExport(csvPart); XlsxExport xlsxOut = new XlsxExport(xlsxPart)) {
                xlsxOut.summary(runId, ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        summary(current, Findings.RULE_ID), summary(current, Findings.SEVERITY),
                        summary(current, Findings.REGION), CaseTotals.of(current));
                Iterator<Row> it = ordered(current).toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    csvOut.write(r);
                    xlsxOut.write(r);
                    rows++;
                }
                xlsxOut.finish();
            }
            Files.move(csvPart, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(xlsxPart, xlsx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            publishLatest(exportsRoot, csv, xlsx);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the exception export into " + folder + ": " + e.getMessage(), e);
        }
        LOG.info("Run {}: exported {} exceptions to {} and {}", runId, rows, csv, xlsx);
        return new ExportFiles(folder, csv, xlsx, rows);
    }

    /** The latest version of the table, pinned so summary and rows describe the same snapshot. */
    private static Dataset<Row> snapshot(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.exceptions())) {
            return ExceptionList.read(spark, tables);
        }
        long version = DeltaTable.forPath(spark, tables.exceptions()).history(1).head().getAs("version");
        return spark.read().format("delta").option("versionAsOf", version).load(tables.exceptions());
    }

    /**
     * {@code <exports>/latest/exceptions.csv} and {@code .xlsx}: copies of the newest export under a name that never
     * changes, for bookmarks and shared drives (each copied under a temporary name, then renamed).
     */
    static void publishLatest(Path exportsRoot, Path csv, Path xlsx) throws IOException {
        Path latest = exportsRoot.resolve("latest");
        Files.createDirectories(latest);
        for (Path f : List.of(csv, xlsx)) {
            String ext = f.getFileName().toString().substring(f.getFileName().toString().lastIndexOf('.'));
            Path part = latest.resolve("exceptions" + ext + ".part");
            Files.copy(f, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, latest.resolve("exceptions" + ext), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * The export columns: {@code status} for reading; the disposition cell empty when there is none and for a case
     * back for review (its earlier decision is in the status and the review reason), so that an unedited re-import
     * changes nothing and settling it takes a decision.
     */
    static Dataset<Row> ordered(Dataset<Row> current) {
        Column blankDisposition = col(ExceptionList.DISPOSITION).equalTo(Disposition.NONE.code())
                .or(coalesce(col(ExceptionList.NEEDS_REVIEW), lit(false)));
        Column[] cols = Arrays.stream(ExportColumn.values()).map(c -> switch (c) {
            case STATUS -> when(coalesce(col(ExceptionList.NEEDS_REVIEW), lit(false)),
                    org.apache.spark.sql.functions.concat(lit("back for review (was "), col(ExceptionList.DISPOSITION),
                            lit(")"))).otherwise(ExceptionList.displayStatus()).as(c.header);
            case DISPOSITION -> when(blankDisposition, lit(null).cast("string"))
                    .otherwise(col(ExceptionList.DISPOSITION)).as(c.header);
            case REVISION -> coalesce(col(ExceptionList.REVISION), lit(0L)).as(c.header);
            default -> col(c.header);
        }).toArray(Column[]::new);
        return current.select(cols).orderBy(col(Findings.RULE_ID).asc_nulls_last(),
                Findings.severityRank(col(Findings.SEVERITY)).asc(),
                col(Findings.AMOUNT_AT_RISK).desc_nulls_last(),
                col(ExceptionList.EXCEPTION_ID).asc());
    }

    /** Count, count awaiting review and amount per value of {@code key}; one row per rule/severity/region. */
    private static List<XlsxExport.SummaryLine> summary(Dataset<Row> current, String keyColumn) {
        Column key = col(keyColumn);
        Column orderKey = keyColumn.equals(Findings.SEVERITY) ? Findings.severityRank(key) : key;
        List<Row> rows = current.groupBy(key.as("k"), orderKey.as("o"))
                .agg(count(lit(1)),
                        count(when(ExceptionList.awaitingReview(), 1)),
                        coalesce(sum(col(Findings.AMOUNT_AT_RISK)), lit(BigDecimal.ZERO)))
                .orderBy(col("o").asc_nulls_last(), col("k").asc_nulls_last())
                .collectAsList();
        List<XlsxExport.SummaryLine> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(new XlsxExport.SummaryLine(r.getString(0), r.getLong(2), r.getLong(3),
                    r.getDecimal(4).setScale(2)));
        }
        return lines;
    }
}
