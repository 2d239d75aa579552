package org.crosscheck.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.Tables;

/**
 * Writes the HTML run report: {@code <reports>/<run id>/index.html} and a copy at {@code <reports>/latest/index.html}.
 * A re-run of the report for the same run id replaces its page; earlier runs' pages stay as they were written.
 */
public final class RunReport {
    private RunReport() {
    }

    public record Written(Path page, Path latest, ReportFigures figures) {
    }

    /** @param runId the run the report is about; null for the latest run found in the tables */
    public static Written write(SparkSession spark, Tables tables, Path reportsDir, String runId) {
        ReportFigures figures = ReportFigures.read(spark, tables, runId);
        String html = ReportPage.render(figures, tables.warehouse());
        try {
            Path dir = reportsDir.resolve(safe(figures.runId()));
            Files.createDirectories(dir);
            Path page = dir.resolve("index.html");
            Path tmp = dir.resolve("index.html.tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path latestDir = reportsDir.resolve("latest");
            Files.createDirectories(latestDir);
            Path latest = latestDir.resolve("index.html");
            Files.copy(page, latest, StandardCopyOption.REPLACE_EXISTING);
            return new Written(page, latest, figures);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run report under " + reportsDir + ": " + e.getMessage(), e);
        }
    }

    private static String safe(String runId) {
        return runId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
