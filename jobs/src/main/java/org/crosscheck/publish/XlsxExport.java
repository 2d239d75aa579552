package org.crosscheck.publish;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataValidation;
import org.apache.poi.ss.usermodel.DataValidationHelper;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellRangeAddressList;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.streaming.SXSSFRow;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.spark.sql.Row;
import org.crosscheck.review.CaseTotals;
import org.crosscheck.review.Disposition;

/**
 * Writes exceptions as an Excel workbook with {@link SXSSFWorkbook}, which keeps only a window of rows in memory:
 * a {@value #SUMMARY_SHEET} sheet first, then one sheet per rule (rows must arrive grouped by rule). A rule with more
 * rows than a sheet holds continues on "name (2)". Evidence longer than a cell holds is cut, with a marker; the CSV
 * export has it in full.
 */
final class XlsxExport implements Closeable {
    static final String SUMMARY_SHEET = "Summary";
    static final String AMOUNT_FORMAT = "#,##0.00";
    private static final int MAX_CELL = SpreadsheetVersion.EXCEL2007.getMaxTextLength();
    private static final int MAX_DATA_ROWS = SpreadsheetVersion.EXCEL2007.getLastRowIndex();
    private static final String CUT = " …[cut: see the CSV export]";

    /** One line of a summary table. */
    record SummaryLine(String key, long exceptions, long awaitingReview, BigDecimal amount) {
    }

    private final SXSSFWorkbook workbook = new SXSSFWorkbook(200);
    private final Path file;
    private final CellStyle bold;
    private final CellStyle amount;
    private final CellStyle wrapped;
    private final Set<String> sheetNames = new HashSet<>();
    private SXSSFSheet sheet;
    private String sheetRule;
    private int sheetPart;
    private int rowIndex;

    XlsxExport(Path file) {
        this.file = file;
        workbook.setCompressTempFiles(true);
        Font font = workbook.createFont();
        font.setBold(true);
        bold = workbook.createCellStyle();
        bold.setFont(font);
        amount = workbook.createCellStyle();
        amount.setDataFormat(workbook.createDataFormat().getFormat(AMOUNT_FORMAT));
        wrapped = workbook.createCellStyle();
        wrapped.setWrapText(true);
        wrapped.setVerticalAlignment(org.apache.poi.ss.usermodel.VerticalAlignment.TOP);
        sheetNames.add(SUMMARY_SHEET.toLowerCase(Locale.ROOT));
    }

    /** Must be called before the first {@link #write}, so the summary is the first sheet. */
    void summary(String runId, String exportedAt, List<SummaryLine> byRule, List<SummaryLine> bySeverity,
                 List<SummaryLine> byRegion, CaseTotals.Totals once) {
        SXSSFSheet s = workbook.createSheet(SUMMARY_SHEET);
        s.setColumnWidth(0, 30 * 256);
        for (int c = 1; c <= 3; c++) {
            s.setColumnWidth(c, 18 * 256);
        }
        long total = 0;
        BigDecimal totalAmount = BigDecimal.ZERO;
        for (SummaryLine l : byRule) {
            total += l.exceptions();
            totalAmount = totalAmount.add(l.amount() == null ? BigDecimal.ZERO : l.amount());
        }
        int r = 0;
        textRow(s, r++, bold, "CrossCheck exception list");
        textRow(s, r++, null, "run", runId);
        textRow(s, r++, null, "exported at", exportedAt);
        SXSSFRow totals = s.createRow(r++);
        totals.createCell(0).setCellValue("active cases");
        totals.createCell(1).setCellValue(total);
        SXSSFRow amountRow = s.createRow(r++);
        amountRow.createCell(0).setCellValue("amount at risk, each payment counted once");
        amountCell(amountRow, 1, once.total());
        SXSSFRow sumRow = s.createRow(r++);
        sumRow.createCell(0).setCellValue("sum of the cases' amounts (a payment flagged by several rules counts in each)");
        amountCell(sumRow, 1, totalAmount);
        r = table(s, r + 1, "rule_id", byRule);
        r = table(s, r + 1, "severity", bySeverity);
        r = table(s, r + 1, "region", byRegion);
        textRow(s, ++r, bold, "amount at risk by region, each payment counted once");
        r++;
        for (var e : once.byRegion().entrySet()) {
            SXSSFRow row = s.createRow(r++);
            row.createCell(0).setCellValue(e.getKey() == null ? "" : e.getKey());
            amountCell(row, 1, e.getValue());
        }
    }

    private int table(SXSSFSheet s, int r, String keyHeader, List<SummaryLine> lines) {
        textRow(s, r++, bold, "by " + keyHeader.replace("_id", ""));
        textRow(s, r++, bold, keyHeader, "exceptions", "awaiting review", "amount_at_risk");
        for (SummaryLine l : lines) {
            SXSSFRow row = s.createRow(r++);
            row.createCell(0).setCellValue(l.key() == null ? "" : l.key());
            row.createCell(1).setCellValue(l.exceptions());
            row.createCell(2).setCellValue(l.awaitingReview());
            amountCell(row, 3, l.amount());
        }
        return r;
    }

    /** One exception; rows must arrive grouped by rule id. */
    void write(Row row) {
        String rule = row.getAs(ExportColumn.RULE_ID.header);
        if (sheet == null || !rule.equals(sheetRule) || rowIndex > MAX_DATA_ROWS) {
            sheetPart = rule.equals(sheetRule) ? sheetPart + 1 : 1;
            sheetRule = rule;
            startRuleSheet(sheetPart == 1 ? rule : rule + " (" + sheetPart + ")");
        }
        SXSSFRow out = sheet.createRow(rowIndex++);
        ExportColumn[] cols = ExportColumn.values();
        for (int i = 0; i < cols.length; i++) {
            Object v = row.getAs(cols[i].header);
            if (v instanceof BigDecimal a) {
                amountCell(out, i, a);
            } else if (v != null) {
                String s = cols[i] == ExportColumn.EVIDENCE ? EvidenceText.lines(v.toString()) : v.toString();
                if (s.length() > MAX_CELL) {
                    s = s.substring(0, MAX_CELL - CUT.length()) + CUT;
                }
                Cell cell = out.createCell(i);
                cell.setCellValue(s);
                if (cols[i] == ExportColumn.EXPLANATION || cols[i] == ExportColumn.EVIDENCE
                        || cols[i] == ExportColumn.REVIEW_REASON) {
                    cell.setCellStyle(wrapped);
                }
            }
        }
    }

    private void startRuleSheet(String wanted) {
        finishRuleSheet();
        sheet = workbook.createSheet(uniqueSheetName(wanted));
        ExportColumn[] cols = ExportColumn.values();
        SXSSFRow header = sheet.createRow(0);
        for (int i = 0; i < cols.length; i++) {
            Cell c = header.createCell(i);
            c.setCellValue(cols[i].header);
            c.setCellStyle(bold);
            sheet.setColumnWidth(i, cols[i].widthChars * 256);
        }
        sheet.createFreezePane(0, 1);
        // A drop-down of the valid dispositions, so reviewers cannot type one the import would reject.
        DataValidationHelper helper = sheet.getDataValidationHelper();
        String[] codes = java.util.Arrays.stream(Disposition.values()).map(Disposition::code)
                .toArray(String[]::new);
        int statusCol = ExportColumn.DISPOSITION.ordinal();
        DataValidation dv = helper.createValidation(helper.createExplicitListConstraint(codes),
                new CellRangeAddressList(1, MAX_DATA_ROWS, statusCol, statusCol));
        dv.setShowErrorBox(true);
        sheet.addValidationData(dv);
        rowIndex = 1;
    }

    private void finishRuleSheet() {
        if (sheet != null && rowIndex > 1) {
            sheet.setAutoFilter(new CellRangeAddress(0, rowIndex - 1, 0, ExportColumn.values().length - 1));
        }
    }

    /** Excel sheet names: at most 31 characters, none of []:*?/\, unique ignoring case. */
    private String uniqueSheetName(String wanted) {
        String base = WorkbookUtil.createSafeSheetName(wanted == null || wanted.isBlank() ? "rule" : wanted, '_');
        String name = base;
        for (int n = 2; sheetNames.contains(name.toLowerCase(Locale.ROOT)); n++) {
            String suffix = "~" + n;
            name = base.substring(0, Math.min(base.length(), 31 - suffix.length())) + suffix;
        }
        sheetNames.add(name.toLowerCase(Locale.ROOT));
        return name;
    }

    private void amountCell(SXSSFRow row, int col, BigDecimal value) {
        Cell c = row.createCell(col);
        if (value != null) {
            // Excel keeps numbers as doubles: every cent survives below 10^13 (15 significant digits).
            c.setCellValue(value.doubleValue());
            c.setCellStyle(amount);
        }
    }

    private void textRow(SXSSFSheet s, int r, CellStyle style, String... values) {
        SXSSFRow row = s.createRow(r);
        for (int i = 0; i < values.length; i++) {
            Cell c = row.createCell(i);
            c.setCellValue(values[i]);
            if (style != null) {
                c.setCellStyle(style);
            }
        }
    }

    /** Writes the workbook to the file and removes the streaming temp files. */
    void finish() throws IOException {
        finishRuleSheet();
        try (OutputStream out = Files.newOutputStream(file)) {
            workbook.write(out);
        }
    }

    @Override
    public void close() throws IOException {
        workbook.close();
    }
}
