package org.crosscheck.review;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Row;
import org.crosscheck.CsvText;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.Tables;
import org.crosscheck.publish.ExceptionExport;
import org.crosscheck.screen.ExceptionList;
import org.junit.jupiter.api.Test;

class ReviewImportTest extends SparkTestSupport {
    private static final Set<String> DEATH = Set.of("deceased_recipient");
    private static final String P1 = ExceptionList.exceptionId("deceased_recipient", "person", "P1", "employee_pension", null);
    private static final String P2 = ExceptionList.exceptionId("deceased_recipient", "person", "P2", "employee_pension", null);
    private static final String P3 = ExceptionList.exceptionId("deceased_recipient", "person", "P3", "employee_pension", null);
    private static final String HEADER = "\uFEFFexception_id,revision,rule_id,disposition,disposition_reason,reviewer,review_note\r\n";

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

    private static Path csv(String name, String... lines) throws IOException {
        Path f = tempDir("review").resolve(name);
        Files.writeString(f, HEADER + String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
        return f;
    }

    static Map<String, Row> byId(Tables tables) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : ExceptionList.read(spark(), tables).collectAsList()) {
            m.put(r.getAs(ExceptionList.EXCEPTION_ID), r);
        }
        return m;
    }

    @Test
    void csvImportAppliesValidRowsRejectsBadOnesWithTheirRowAndLogsEveryChange() throws IOException {
        Tables tables = listOfThree();
        Path file = csv("reviewed.csv",
                P1 + ",0,deceased_recipient, Confirmed ,,,已核实死亡证明",                 // row 2: applied
                "ffffffffffffffffffffffff,0,deceased_recipient,confirmed,,,x",             // row 3: unknown id
                P2 + ",0,deceased_recipient,maybe,,,",                                    // row 4: invalid
                P3 + ",0,deceased_recipient,dismissed,,,first thought",                   // row 5: superseded
                P3 + ",0,deceased_recipient,dismissed,False positive: the records are correct,zhang.san,twins", // 6
                ",0,deceased_recipient,confirmed,,,",                                     // row 7: no id
                P2 + ",x,deceased_recipient,confirmed,,,");                               // row 8: bad revision

        ReviewImport.Result r = ReviewImport.apply(spark(), tables, file, "li.wei");

        assertEquals(7, r.rowsRead());
        assertEquals(2, r.applied());
        assertEquals(List.of(3, 7, 8), r.rejected().stream().map(ReviewImport.RowProblem::row).toList(),
                r.rejected().toString());
        assertTrue(r.rejected().get(0).reason().contains("unknown exception_id"), r.rejected().toString());
        assertTrue(r.rejected().get(2).reason().contains("revision 'x'"), r.rejected().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("row 5") && w.contains("row 6")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("row 4") && w.contains("row 8")), r.warnings().toString());

        Map<String, Row> rows = byId(tables);
        assertEquals("confirmed", rows.get(P1).getAs("disposition"));
        assertEquals("li.wei", rows.get(P1).getAs("reviewer"));
        assertEquals("已核实死亡证明", rows.get(P1).getAs("review_note"));
        assertEquals(1L, rows.get(P1).<Long>getAs("revision"));
        assertEquals(new java.math.BigDecimal("100.00"), rows.get(P1).getAs("reviewed_amount"));
        assertNotNull(rows.get(P1).getAs("reviewed_at"));
        assertEquals("none", rows.get(P2).getAs("disposition"));
        assertEquals("dismissed", rows.get(P3).getAs("disposition"));
        assertEquals("False positive: the records are correct", rows.get(P3).getAs("disposition_reason"));
        assertEquals("zhang.san", rows.get(P3).getAs("reviewer"));

        List<Row> log = ReviewLog.read(spark(), tables).orderBy("exception_id").collectAsList();
        assertEquals(2, log.size());
        Row p1Log = log.stream().filter(l -> l.getString(0).equals(P1)).findFirst().orElseThrow();
        assertEquals("li.wei", p1Log.getAs("reviewer"));
        assertEquals("none", p1Log.getAs("old_status"));
        assertEquals("confirmed", p1Log.getAs("new_status"));
        assertNull(p1Log.getAs("old_note"));
        assertEquals("已核实死亡证明", p1Log.getAs("new_note"));
        assertEquals(1L, p1Log.<Long>getAs("revision"));
        assertEquals(file.toAbsolutePath() + " row 2", p1Log.getAs("source_file"));

        // the same file again: every row is equal to what its revision showed
        ReviewImport.Result again = ReviewImport.apply(spark(), tables, file, "li.wei");
        assertEquals(0, again.applied());
        assertEquals(0, again.conflicts().size());
        assertEquals(2, ReviewLog.read(spark(), tables).count());
    }

    @Test
    void aDismissalNeedsAReasonFromTheConfiguredList() throws IOException {
        Tables tables = listOfThree();
        Path file = csv("reasons.csv",
                P1 + ",0,deceased_recipient,dismissed,,,no reason given",
                P2 + ",0,deceased_recipient,dismissed,because I say so,,");
        ReviewImport.Result r = ReviewImport.apply(spark(), tables, file, "li.wei");
        assertEquals(0, r.applied());
        assertEquals(List.of(2, 3), r.rejected().stream().map(ReviewImport.RowProblem::row).toList());
        assertTrue(r.rejected().get(0).reason().contains("needs a reason"), r.rejected().toString());
        assertTrue(r.rejected().get(1).reason().contains("'because I say so' is not one of"), r.rejected().toString());
    }

    @Test
    void twoReviewersEditingCopiesOfTheSameExportTheSecondGetsConflictsAndChangesNothingTheFirstSet()
            throws IOException {
        Tables tables = listOfThree();
        Path csv = ExceptionExport.write(spark(), tables, tempDir("review-two"), "run-1").csv();
        List<String> exported = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(exported.get(0).replace("\uFEFF", "").split(",", -1));
        int disposition = header.indexOf("disposition");
        int reason = header.indexOf("disposition_reason");
        int note = header.indexOf("review_note");
        Path alice = tempDir("alice").resolve("alice.csv");
        Path bob = tempDir("bob").resolve("bob.csv");
        // Alice confirms P1 and P2; Bob, on his copy of the same export, dismisses P1 and confirms P3
        Files.writeString(alice, edit(exported, Map.of(P1, "confirmed", P2, "confirmed"), disposition, reason, note),
                StandardCharsets.UTF_8);
        Files.writeString(bob, edit(exported, Map.of(P1, "dismissed", P3, "confirmed"), disposition, reason, note),
                StandardCharsets.UTF_8);

        ReviewImport.Result first = ReviewImport.apply(spark(), tables, alice, "alice");
        assertEquals(2, first.applied());
        ReviewImport.Result second = ReviewImport.apply(spark(), tables, bob, "bob");

        assertEquals(1, second.applied(), "P3 was untouched since the export: applied");
        assertEquals(1, second.conflicts().size());
        ReviewImport.RowProblem conflict = second.conflicts().get(0);
        assertEquals(P1, conflict.exceptionId());
        assertTrue(conflict.reason().contains("by alice") && conflict.reason().contains("now confirmed"),
                conflict.reason());
        assertTrue(second.hasRejections());
        Map<String, Row> rows = byId(tables);
        assertEquals("confirmed", rows.get(P1).getAs("disposition"), "Alice's decision stands");
        assertEquals("alice", rows.get(P1).getAs("reviewer"));
        assertEquals("confirmed", rows.get(P2).getAs("disposition"), "Bob's copy showed P2 undecided and he left it");
        assertEquals("confirmed", rows.get(P3).getAs("disposition"));
        assertEquals(3, ReviewLog.read(spark(), tables).count());

        // importing the older export again (unedited) sets nobody's decision back
        ReviewImport.Result old = ReviewImport.apply(spark(), tables, csv, "carol");
        assertEquals(0, old.applied());
        assertEquals(0, old.conflicts().size());
        assertEquals("confirmed", byId(tables).get(P1).getAs("disposition"));
    }

    private static String edit(List<String> lines, Map<String, String> dispositions, int dispositionCol, int reasonCol,
                               int noteCol) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String id = line.split(",", 2)[0].replace("\uFEFF", "");
            if (dispositions.containsKey(id)) {
                List<String> fields = CsvText.records(line).get(0);
                fields.set(dispositionCol, dispositions.get(id));
                if (dispositions.get(id).equals("dismissed")) {
                    fields.set(reasonCol, "already known and handled");
                }
                fields.set(noteCol, "checked");
                line = CsvText.line(fields);
            }
            sb.append(line).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * Replaces a cell as Excel does when it saves. (POI's setCellValue on an inline-string cell, as SXSSF writes them,
     * keeps the old inline text beside the new value; Excel and WPS never write such cells.)
     */
    private static void retype(org.apache.poi.ss.usermodel.Row row, int col, String value) {
        if (row.getCell(col) != null) {
            row.removeCell(row.getCell(col));
        }
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
            Map<String, Integer> col = new HashMap<>();
            sheet.getRow(0).forEach(c -> col.put(c.getStringCellValue(), c.getColumnIndex()));
            // rows are ordered by amount, largest first: row 2 is P3
            assertEquals(P3, sheet.getRow(1).getCell(0).getStringCellValue());
            retype(sheet.getRow(1), col.get("disposition"), "CONFIRMED");
            retype(sheet.getRow(1), col.get("review_note"), "追回中");
            retype(sheet.getRow(2), col.get("disposition"), "closed");
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
        Row p3 = byId(tables).get(P3);
        assertEquals("confirmed", p3.getAs("disposition"));
        assertEquals("追回中", p3.getAs("review_note"));
        assertEquals("wang.fang", p3.getAs("reviewer"));
    }
}
