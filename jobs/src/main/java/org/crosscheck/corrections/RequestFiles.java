package org.crosscheck.corrections;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.io.FileUtils;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.publish.CsvExport;

/**
 * The correction request files: per department, one CSV (UTF-8 with BOM, as the exception export) and one XLSX per
 * layout it delivers, {@code <exports>/corrections/<run id>/<department>/requests-<mapping id>.csv|.xlsx}, and a
 * copy of the newest under {@code <exports>/corrections/latest/}. A file holds only that department's open items and
 * only the fields it delivered, under its own column names and with the values it delivered; then the request
 * columns: {@code request_id, request, reason, source_file, line, requested_run, requested_on, days_open, overdue}.
 * A department with no open item gets no file.
 */
public final class RequestFiles {
    public static final List<String> REQUEST_COLUMNS = List.of("request_id", "request", "reason", "source_file",
            "line", "requested_run", "requested_on", "days_open", "overdue");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestFiles() {
    }

    public static Path folder(Path exportsRoot, String runId) {
        return exportsRoot.resolve("corrections").resolve(runId);
    }

    /** Writes the files of {@code runId}; returns them (CSV and XLSX of each department and layout). */
    public static List<Path> write(Path exportsRoot, String runId, List<RequestItem> items,
                                   Map<String, Mapping> mappings, Timestamp now, int overdueDays) {
        Map<String, List<RequestItem>> byLayout = new TreeMap<>();
        for (RequestItem i : items) {
            if (i.isOpen() && i.mappingId() != null && mappings.containsKey(i.mappingId())) {
                byLayout.computeIfAbsent(i.mappingId(), k -> new ArrayList<>()).add(i);
            }
        }
        Path folder = folder(exportsRoot, runId);
        List<Path> written = new ArrayList<>();
        try {
            FileUtils.deleteDirectory(folder.toFile());
            for (Map.Entry<String, List<RequestItem>> e : byLayout.entrySet()) {
                DepartmentLayout layout = DepartmentLayout.of(mappings.get(e.getKey()));
                List<RequestItem> mine = e.getValue().stream()
                        .filter(i -> layout.department().equals(i.department())
                                && layout.family().id().equals(i.family()))
                        .sorted(Comparator.comparing(RequestItem::sourceFile)
                                .thenComparing(RequestItem::recordNumber)).toList();
                Path dir = folder.resolve(layout.slug());
                Files.createDirectories(dir);
                List<String> header = new ArrayList<>();
                layout.fields().forEach(f -> header.add(layout.column(f)));
                header.addAll(REQUEST_COLUMNS);
                List<List<String>> rows = new ArrayList<>();
                for (RequestItem i : mine) {
                    rows.add(cells(layout, i, now, overdueDays));
                }
                Path csv = dir.resolve("requests-" + layout.mappingId() + ".csv");
                Path xlsx = dir.resolve("requests-" + layout.mappingId() + ".xlsx");
                writeCsv(csv, header, rows);
                writeXlsx(xlsx, layout.department(), header, rows);
                written.add(csv);
                written.add(xlsx);
            }
            Files.createDirectories(folder);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the correction requests into " + folder + ": "
                    + ex.getMessage(), ex);
        }
        return written;
    }

    /** Copies the run's folder (request files and notices) to {@code <exports>/corrections/latest/}. */
    public static void publishLatest(Path exportsRoot, String runId) {
        Path folder = folder(exportsRoot, runId);
        Path latest = exportsRoot.resolve("corrections").resolve("latest");
        Path part = exportsRoot.resolve("corrections").resolve("latest.part");
        try {
            FileUtils.deleteDirectory(part.toFile());
            FileUtils.copyDirectory(folder.toFile(), part.toFile());
            FileUtils.deleteDirectory(latest.toFile());
            Files.move(part, latest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot copy " + folder + " to " + latest + ": " + ex.getMessage(), ex);
        }
    }

    static List<String> cells(DepartmentLayout layout, RequestItem i, Timestamp now, int overdueDays) {
        Map<String, String> values;
        try {
            values = i.values() == null ? Map.of()
                    : JSON.readValue(i.values(), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            values = Map.of();
        }
        List<String> out = new ArrayList<>();
        for (String f : layout.fields()) {
            out.add(values.get(f));
        }
        long days = i.daysOpen(now);
        out.add(i.itemId());
        out.add(RequestItem.QUARANTINED_ROW.equals(i.kind()) ? "please correct and deliver this row again"
                : "please confirm this record");
        out.add(i.reason());
        out.add(i.sourceFile() == null ? null : Path.of(i.sourceFile()).getFileName().toString());
        out.add(i.recordNumber() == null ? null : Long.toString(layout.line(i.recordNumber())));
        out.add(i.requestedRun());
        out.add(i.requestedAt().toLocalDateTime().toLocalDate().toString());
        out.add(Long.toString(days));
        out.add(days >= overdueDays ? "yes" : "no");
        return out;
    }

    private static void writeCsv(Path file, List<String> header, List<List<String>> rows) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream stream = Files.newOutputStream(part)) {
            stream.write(CsvExport.BOM);
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            writeLine(out, header);
            for (List<String> r : rows) {
                writeLine(out, r);
            }
            out.flush();
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeLine(Writer out, List<String> cells) throws IOException {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                out.write(',');
            }
            if (cells.get(c) != null) {
                out.write(CsvExport.quote(CsvExport.defuseFormula(cells.get(c))));
            }
        }
        out.write("\r\n");
    }

    private static void writeXlsx(Path file, String department, List<String> header, List<List<String>> rows)
            throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (SXSSFWorkbook wb = new SXSSFWorkbook(200); OutputStream out = Files.newOutputStream(part)) {
            Sheet sheet = wb.createSheet("requests");
            Row h = sheet.createRow(0);
            for (int c = 0; c < header.size(); c++) {
                h.createCell(c).setCellValue(header.get(c));
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r + 1);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    String v = rows.get(r).get(c);
                    if (v != null) {
                        row.createCell(c).setCellValue(v);
                    }
                }
            }
            wb.getXSSFWorkbook().getProperties().getCoreProperties().setTitle("Correction requests for " + department);
            wb.write(out);
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
