package org.crosscheck.publish;

import static org.crosscheck.screen.FindingRows.finding;
import static org.crosscheck.screen.FindingRows.findings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One warehouse and one export shared by all tests: two rules, one exception resolved by the second run. */
class ExceptionExportTest extends SparkTestSupport {
    static final String CHINESE = "死亡后仍发放养老金，见\"证据\", 共3个月";

    private static ExceptionExport.ExportFiles files;

    @BeforeAll
    static void exportTwoRules() {
        Tables tables = new Tables(tempDir("export-wh").toString());
        Set<String> rules = Set.of("deceased_recipient", "duplicate_enrollment");
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "1", "low", "P1", "2025-06", "50.50", CHINESE),
                finding("deceased_recipient", "1", "high", "P2", "2025-06", "1200.00", "paid after death"),
                finding("deceased_recipient", "1", "high", "P3", "2025-06", "300.25", "paid after death"),
                finding("duplicate_enrollment", "1", "medium", "P4", "2025-05", "99.99", "enrolled twice"),
                finding("duplicate_enrollment", "1", "medium", "P5", "2025-05", "7.00", "enrolled twice")),
                "run-1", rules);
        ExceptionList.merge(spark(), tables, findings(spark(),
                finding("deceased_recipient", "1", "low", "P1", "2025-06", "50.50", CHINESE),
                finding("deceased_recipient", "1", "high", "P2", "2025-06", "1200.00", "paid after death"),
                finding("deceased_recipient", "1", "high", "P3", "2025-06", "300.25", "paid after death"),
                finding("duplicate_enrollment", "1", "medium", "P4", "2025-05", "99.99", "enrolled twice")),
                "run-2", rules);
        files = ExceptionExport.write(spark(), tables, tempDir("exports"), "run-2");
    }

    @Test
    void exportGoesToTheRunFolderAndLeavesOutResolvedExceptions() {
        assertEquals("run-2", files.folder().getFileName().toString());
        assertEquals("exceptions-run-2.csv", files.csv().getFileName().toString());
        assertEquals(4, files.exceptions());
        assertTrue(Files.exists(files.xlsx()));
        try (var list = Files.list(files.folder())) {
            assertEquals(2, list.count(), "no temporary files left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Path latest = files.folder().getParent().resolve("latest");
        assertTrue(Files.exists(latest.resolve("exceptions.csv")) && Files.exists(latest.resolve("exceptions.xlsx")),
                "a stable path to the latest export");
    }

    @Test
    void csvStartsWithTheByteOrderMarkAndRoundTripsChineseText() throws IOException {
        byte[] bytes = Files.readAllBytes(files.csv());
        assertArrayEquals(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3));
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n");
        assertEquals("exception_id,revision,rule_id,rule_version,severity,status,subject_type,subject_id,subject_name,"
                + "scheme,region,period,amount_at_risk,reviewed_amount,first_seen_run,review_reason,explanation,evidence,"
                + "disposition,disposition_reason,reviewer,review_note,assignee", lines[0]);
        assertEquals(5, lines.length);
        // deceased_recipient first, high before low, larger amount first
        assertTrue(lines[1].contains(",P2,") && lines[2].contains(",P3,") && lines[3].contains(",P1,"), text);
        assertTrue(lines[3].contains(",50.50,,run-1,,\"死亡后仍发放养老金，见\"\"证据\"\", 共3个月\","), lines[3]);
        assertTrue(lines[4].contains(",duplicate_enrollment,") && lines[4].contains(",awaiting review,")
                && lines[4].endsWith(",detail: person id P4,,,,,"), lines[4]);
        assertFalse(text.contains(",P5,"));
    }

    @Test
    void workbookHasASummaryAndOneSheetPerRuleWithCountsAndAmounts() throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(files.xlsx().toFile())) {
            List<String> names = new ArrayList<>();
            wb.forEach(s -> names.add(s.getSheetName()));
            assertEquals(List.of("Summary", "deceased_recipient", "duplicate_enrollment"), names);

            Sheet death = wb.getSheet("deceased_recipient");
            assertEquals(3, death.getLastRowNum());
            Row header = death.getRow(0);
            assertEquals("exception_id", header.getCell(0).getStringCellValue());
            assertTrue(wb.getFontAt(header.getCell(0).getCellStyle().getFontIndex()).getBold());
            assertNotNull(death.getPaneInformation());
            assertEquals(1, death.getPaneInformation().getHorizontalSplitPosition());
            var amount = death.getRow(1).getCell(ExportColumn.AMOUNT_AT_RISK.ordinal());
            assertEquals(CellType.NUMERIC, amount.getCellType());
            assertEquals(1200.00, amount.getNumericCellValue(), 0.001);
            assertEquals("#,##0.00", amount.getCellStyle().getDataFormatString());
            assertEquals(CHINESE, death.getRow(3).getCell(ExportColumn.EXPLANATION.ordinal()).getStringCellValue());
            assertEquals(1, wb.getSheet("duplicate_enrollment").getLastRowNum());

            Sheet summary = wb.getSheet("Summary");
            assertEquals(4, (int) numberBeside(summary, "active cases"));
            assertEquals(1650.74, numberBeside(summary, "amount at risk, each payment counted once"), 0.001);
            Row byRuleDeath = rowStartingWith(summary, "deceased_recipient");
            assertEquals(3, (int) byRuleDeath.getCell(1).getNumericCellValue());
            assertEquals(1550.75, byRuleDeath.getCell(3).getNumericCellValue(), 0.001);
            Row high = rowStartingWith(summary, "high");
            assertEquals(2, (int) high.getCell(1).getNumericCellValue());
            assertEquals(1500.25, high.getCell(3).getNumericCellValue(), 0.001);
            Row region = rowStartingWith(summary, "110101");
            assertEquals(4, (int) region.getCell(2).getNumericCellValue());
        }
    }

    private static double numberBeside(Sheet sheet, String label) {
        return rowStartingWith(sheet, label).getCell(1).getNumericCellValue();
    }

    private static Row rowStartingWith(Sheet sheet, String first) {
        for (Row r : sheet) {
            if (r.getCell(0) != null && r.getCell(0).getCellType() == CellType.STRING
                    && first.equals(r.getCell(0).getStringCellValue())) {
                return r;
            }
        }
        throw new AssertionError("no row starting with " + first + " in " + sheet.getSheetName());
    }
}
