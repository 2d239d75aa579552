package org.crosscheck.screen;

import static org.crosscheck.screen.FindingRows.finding;
import static org.crosscheck.screen.FindingRows.findings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.Tables;
import org.crosscheck.publish.ExceptionExport;
import org.junit.jupiter.api.Test;

class ReviewImportTest extends SparkTestSupport {
    private static final Set<String> DEATH = Set.of("deceased_recipient");
    private static final String P1 = ExceptionList.exceptionId("deceased_recipient", "person", "P1", "employee_pension", "2025-06");
    private static final String P2 = ExceptionList.exceptionId("deceased_recipient", "person", "P2", "employee_pension", "2025-06");
    private static final String P3 = ExceptionList.exceptionId("deceased_recipient", "person", "P3", "employee_pension", "2025-06");

    private static Tables listOfThree() {
        Tables tables = new Tables(tempDir("review-wh").toString());
        ExceptionList.merge(spark(), tables, threeFindings(), "run-1", DEATH);
        return tables;
    }

    private static org.apache.spark.sql.Dataset<Row> threeFindings() {
        return findings(spark(),
                finding("deceased_recipient", "P1", "2025-06", "100.00"),
                finding("deceased_recipient", "P2", "2025-06", "200.00"),
                finding("deceased_recipient", "P3", "2025-06", "300.00"));
    }

    private static Path csv(String... lines) throws IOException {
        Path f = tempDir("review").resolve("reviewed.csv");
        Files.writeString(f, "\uFEFFexception_id,rule_id,status,reviewer,review_note\r\n"
                + String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void csvImportAppliesValidRowsReportsUnknownIdsAndBadStatusesAndLogsEveryChange() throws IOException {
        Tables tables = listOfThree();
        Path file = csv(
                P1 + ",deceased_recipient, Confirmed ,,已核实死亡证明",   // row 2: applied, reviewer from argument
                "ffffffffffffffffffffffff,deceased_recipient,confirmed,,x", // row 3: unknown id
                P2 + ",deceased_recipient,maybe,,",                       // row 4: invalid status
                P3 + ",deceased_recipient,open,,first thought",           // row 5: superseded by row 6
                P3 + ",deceased_recipient,dismissed,zhang.san,twins",     // row 6: applied, reviewer column wins
                ",deceased_recipient,open,,");                            // row 7: no id

        ReviewImport.Result r = ReviewImport.apply(spark(), tables, file, "li.wei");

        assertEquals(6, r.rowsRead());
        assertEquals(2, r.applied());
        assertEquals(0, r.unchanged());
        assertEquals(List.of(3, 4, 7), r.rejected().stream().map(ReviewImport.RowProblem::row).toList());
        assertTrue(r.rejected().get(0).reason().contains("unknown exception_id"), r.rejected().toString());
        assertTrue(r.rejected().get(1).reason().contains("'maybe'"), r.rejected().toString());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("row 5") && r.warnings().get(0).contains("row 6"));

        Map<String, Row> rows = ExceptionListTest.byId(tables);
        assertEquals("confirmed", rows.get(P1).getAs("status"));
        assertEquals("li.wei", rows.get(P1).getAs("reviewer"));
        assertEquals("已核实死亡证明", rows.get(P1).getAs("review_note"));
        assertNotNull(rows.get(P1).getAs("reviewed_at"));
        assertEquals("new", rows.get(P2).getAs("status"));
        assertEquals("dismissed", rows.get(P3).getAs("status"));
        assertEquals("zhang.san", rows.get(P3).getAs("reviewer"));

        List<Row> log = ReviewLog.read(spark(), tables).orderBy("exception_id").collectAsList();
        assertEquals(2, log.size());
        Row p1Log = log.stream().filter(l -> l.getString(0).equals(P1)).findFirst().orElseThrow();
        assertEquals("li.wei", p1Log.getAs("reviewer"));
        assertEquals("new", p1Log.getAs("old_status"));
        assertEquals("confirmed", p1Log.getAs("new_status"));
        assertNull(p1Log.getAs("old_note"));
        assertEquals("已核实死亡证明", p1Log.getAs("new_note"));
        assertEquals(file.toAbsolutePath().toString(), p1Log.getAs("source_file"));

        ReviewImport.Result again = ReviewImport.apply(spark(), tables, file, "li.wei");
        assertEquals(0, again.applied());
        assertEquals(2, again.unchanged());
        assertEquals(2, ReviewLog.read(spark(), tables).count());
    }

    @Test
    void exportedCsvEditedByAReviewerRoundTripsAndItsDispositionsSurviveTheNextScreeningRun() throws IOException {
        Tables tables = listOfThree();
        Path csv = ExceptionExport.write(spark(), tables, tempDir("review-csv"), "run-1").csv();
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        // The reviewer sets P1 to dismissed with a Chinese note containing a comma, the way Excel saves it.
        String p1Line = text.lines().filter(l -> l.startsWith(P1)).findFirst().orElseThrow();
        String edited = text.replace(p1Line, p1Line.substring(0, p1Line.length() - ",new,,".length())
                + ",dismissed,,\"双胞胎，不是同一人, 已核实\"");
        Files.writeString(csv, edited, StandardCharsets.UTF_8);

        ReviewImport.Result r = ReviewImport.apply(spark(), tables, csv, "li.wei");
        assertEquals(1, r.applied());
        assertEquals(2, r.unchanged());

        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, threeFindings(), "run-2", DEATH);

        Row p1 = ExceptionListTest.byId(tables).get(P1);
        assertEquals("dismissed", p1.getAs("status"));
        assertEquals("双胞胎，不是同一人, 已核实", p1.getAs("review_note"));
        assertEquals("li.wei", p1.getAs("reviewer"));
        assertEquals("run-2", p1.getAs("last_seen_run"));
        assertEquals(2, s.awaitingReview());
    }

    /**
     * Replaces a cell as Excel does when it saves. (POI's setCellValue on an inline-string cell, as SXSSF writes them,
     * keeps the old inline text beside the new value; Excel and WPS never write such cells.)
     */
    private static void retype(org.apache.poi.ss.usermodel.Row row, int col, String value) {
        row.removeCell(row.getCell(col));
        row.createCell(col).setCellValue(value);
    }

    @Test
    void editedXlsxExportIsImportedFromTheRuleSheetsIgnoringTheSummary() throws Exception {
        Tables tables = listOfThree();
        Path exports = tempDir("review-exports");
        ExceptionExport.ExportFiles files = ExceptionExport.write(spark(), tables, exports, "run-1");
        Path edited = exports.resolve("edited.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(files.xlsx().toFile())) {
            Sheet sheet = wb.getSheet("deceased_recipient");
            int statusCol = 12;
            int noteCol = 14;
            assertEquals("status", sheet.getRow(0).getCell(statusCol).getStringCellValue());
            // rows are ordered by amount, largest first: row 2 is P3
            assertEquals(P3, sheet.getRow(1).getCell(0).getStringCellValue());
            retype(sheet.getRow(1), statusCol, "CONFIRMED");
            sheet.getRow(1).createCell(noteCol).setCellValue("追回中");
            retype(sheet.getRow(2), statusCol, "closed");
            wb.getSheet("Summary").createRow(40).createCell(0).setCellValue("exception_id");
            try (OutputStream out = Files.newOutputStream(edited)) {
                wb.write(out);
            }
        }

        ReviewImport.Result r = ReviewImport.apply(spark(), tables, edited, "wang.fang");

        assertEquals(3, r.rowsRead());
        assertEquals(1, r.applied());
        assertEquals(1, r.unchanged());
        assertEquals(1, r.rejected().size());
        assertEquals("deceased_recipient", r.rejected().get(0).sheet());
        assertEquals(3, r.rejected().get(0).row());
        Row p3 = ExceptionListTest.byId(tables).get(P3);
        assertEquals("confirmed", p3.getAs("status"));
        assertEquals("追回中", p3.getAs("review_note"));
        assertEquals("wang.fang", p3.getAs("reviewer"));
    }
}
