package org.crosscheck.review;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.screen.ExceptionList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Reads the reviewer columns of an edited exception export: a CSV (UTF-8 with or without BOM; a file Excel re-saved
 * as "CSV" on a Chinese Windows, which is GB18030, is recognised too; comma, semicolon or tab separated) or an XLSX
 * (every sheet except {@code Summary}; streamed, so large workbooks fit in memory). Columns are found by header
 * name, case-insensitive; only exception_id, revision, disposition (or the {@code status} of exports from before
 * cases had dispositions), disposition_reason, review_note, reviewer and assignee are read.
 */
final class ReviewFile {
    static final String SUMMARY_SHEET = "Summary";

    /** One data row; {@code sheet} is null for a CSV; {@code row} is the 1-based row number a spreadsheet shows. */
    record Line(String sheet, int row, String exceptionId, String revision, String disposition, String reason,
                String note, String reviewer, String assignee, Columns columns) {
        boolean blank() {
            return isBlank(exceptionId) && isBlank(disposition) && isBlank(note) && isBlank(reviewer)
                    && isBlank(reason) && isBlank(assignee);
        }
    }

    /** The lines, and warnings about sheets that were skipped. */
    record Contents(List<Line> lines, List<String> warnings) {
    }

    private ReviewFile() {
    }

    static Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CrossCheckException.badInput("review file " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".csv")) {
                return readCsv(file);
            }
            if (name.endsWith(".xlsx")) {
                return readXlsx(file);
            }
        } catch (IOException | SAXException | OpenXML4JException e) {
            throw CrossCheckException.badInput("cannot read review file " + file + ": " + e.getMessage(), e);
        }
        throw CrossCheckException.badInput("review file " + file + " is neither .csv nor .xlsx");
    }

    // ---- CSV ----

    private static Contents readCsv(Path file) throws IOException {
        Charset charset = detectCharset(file);
        try (Reader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), charset), 1 << 16)) {
            CsvRecords records = new CsvRecords(in);
            List<String> header = records.next();
            if (header == null) {
                throw CrossCheckException.badInput("review file " + file + " is empty");
            }
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            Columns cols = Columns.of(header, file, null);
            List<Line> lines = new ArrayList<>();
            List<String> fields;
            while ((fields = records.next()) != null) {
                lines.add(cols.line(null, records.recordNumber, fields, true));
            }
            return new Contents(lines, List.of());
        }
    }

    /** UTF-8 when there is a BOM or the bytes decode as UTF-8; otherwise GB18030 (superset of GBK). */
    private static Charset detectCharset(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            byte[] buf = new byte[1 << 16];
            ByteBuffer pending = ByteBuffer.allocate(0);
            int n;
            while ((n = in.read(buf)) > 0) {
                ByteBuffer bytes = ByteBuffer.allocate(pending.remaining() + n);
                bytes.put(pending).put(buf, 0, n).flip();
                var chars = java.nio.CharBuffer.allocate(bytes.remaining());
                var result = utf8.decode(bytes, chars, false);
                if (result.isError()) {
                    return Charset.forName("GB18030");
                }
                pending = bytes.slice();
            }
            var result = utf8.decode(pending, java.nio.CharBuffer.allocate(8), true);
            return result.isError() || pending.hasRemaining() ? Charset.forName("GB18030") : StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return Charset.forName("GB18030");
        }
    }

    /** The export puts an apostrophe before text Excel would run as a formula; take it off again. */
    static String undoFormulaGuard(String s) {
        if (s != null && s.length() > 1 && s.charAt(0) == '\'' && "=+-@".indexOf(s.charAt(1)) >= 0) {
            return s.substring(1);
        }
        return s;
    }

    /** RFC 4180 records; the separator is the first of comma, semicolon, tab found in the header line. */
    private static final class CsvRecords {
        private final Reader in;
        private char separator;
        private int recordNumber;
        private int peeked = -2;

        CsvRecords(Reader in) {
            this.in = in;
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return in.read();
        }

        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            recordNumber++;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean sawQuote = false;
            while (true) {
                if (c == -1) {
                    break;
                }
                if (quoted) {
                    if (c == '"') {
                        int d = read();
                        if (d == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            c = d;
                            continue;
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == '"' && field.isEmpty() && !sawQuote) {
                    quoted = true;
                    sawQuote = true;
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r') {
                        int d = read();
                        if (d != '\n') {
                            peeked = d;
                        }
                    }
                    break;
                } else if (isSeparator((char) c)) {
                    fields.add(field.toString());
                    field.setLength(0);
                    sawQuote = false;
                } else {
                    field.append((char) c);
                }
                c = read();
            }
            fields.add(field.toString());
            return fields;
        }

        private boolean isSeparator(char c) {
            if (separator == 0 && (c == ',' || c == ';' || c == '\t')) {
                separator = c;
            }
            return c == separator;
        }
    }

    // ---- XLSX ----

    private static Contents readXlsx(Path file) throws IOException, SAXException, OpenXML4JException {
        List<Line> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean anySheet = false;
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream in = sheets.next()) {
                    String sheetName = sheets.getSheetName();
                    if (sheetName.equalsIgnoreCase(SUMMARY_SHEET)) {
                        continue;
                    }
                    SheetRows handler = new SheetRows(file, sheetName, lines);
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, handler,
                            new DataFormatter(), false));
                    parser.parse(new InputSource(in));
                    if (handler.columns == null) {
                        warnings.add("sheet '" + sheetName + "' has no exception_id column and was skipped");
                    } else {
                        anySheet = true;
                    }
                } catch (javax.xml.parsers.ParserConfigurationException e) {
                    throw new IOException(e);
                }
            }
        }
        if (!anySheet) {
            throw CrossCheckException.badInput("review file " + file
                    + " has no sheet with an exception_id column (the Summary sheet is not read)");
        }
        return new Contents(lines, warnings);
    }

    /** Collects one sheet's rows; the first non-empty row is the header. */
    private static final class SheetRows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Path file;
        private final String sheet;
        private final List<Line> out;
        private final Map<Integer, String> cells = new HashMap<>();
        private Columns columns;
        private boolean headerSeen;
        private int nextCol;

        SheetRows(Path file, String sheet, List<Line> out) {
            this.file = file;
            this.sheet = sheet;
            this.out = out;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
            nextCol = 0;
        }

        @Override
        public void cell(String ref, String value, XSSFComment comment) {
            int c = ref == null ? nextCol : new CellReference(ref).getCol();
            nextCol = c + 1;
            cells.put(c, value);
        }

        @Override
        public void endRow(int rowNum) {
            int width = cells.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            List<String> fields = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                fields.add(cells.get(i));
            }
            if (!headerSeen) {
                if (width == 0) {
                    return;
                }
                headerSeen = true;
                if (fields.stream().anyMatch(f -> f != null && f.trim().equalsIgnoreCase(ExceptionList.EXCEPTION_ID))) {
                    columns = Columns.of(fields, file, sheet);
                }
                return;
            }
            if (columns != null) {
                out.add(columns.line(sheet, rowNum + 1, fields, false));
            }
        }
    }

    // ---- shared ----

    /** Positions of the reviewer columns in a header; -1 when an optional one is absent. */
    record Columns(int id, int revision, int disposition, int reason, int note, int reviewer, int assignee,
                   boolean legacyStatus) {
        static Columns of(List<String> header, Path file, String sheet) {
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i) == null ? "" : header.get(i).trim().toLowerCase(Locale.ROOT);
                at.putIfAbsent(h, i);
            }
            int id = at.getOrDefault(ExceptionList.EXCEPTION_ID, -1);
            int disposition = at.getOrDefault(ExceptionList.DISPOSITION, -1);
            boolean legacy = disposition < 0 && at.containsKey("status");
            if (legacy) {
                disposition = at.get("status");
            }
            if (id < 0 || disposition < 0) {
                throw CrossCheckException.badInput("review file " + file + (sheet == null ? "" : " sheet '" + sheet + "'")
                        + ": the header row needs the columns exception_id and disposition (found " + header + ")");
            }
            return new Columns(id, at.getOrDefault(ExceptionList.REVISION, -1), disposition,
                    at.getOrDefault(ExceptionList.DISPOSITION_REASON, -1), at.getOrDefault(ExceptionList.REVIEW_NOTE, -1),
                    at.getOrDefault(ExceptionList.REVIEWER, -1), at.getOrDefault(ExceptionList.ASSIGNEE, -1), legacy);
        }

        boolean hasRevision() {
            return revision >= 0;
        }

        boolean hasReason() {
            return reason >= 0;
        }

        boolean hasNote() {
            return note >= 0;
        }

        boolean hasAssignee() {
            return assignee >= 0;
        }

        /** A line of the file; CSV text fields had Excel's formula guard, which is removed. */
        Line line(String sheet, int row, List<String> fields, boolean csv) {
            java.util.function.UnaryOperator<String> text = csv ? ReviewFile::undoFormulaGuard : v -> v;
            return new Line(sheet, row, get(fields, id), get(fields, revision), get(fields, disposition),
                    text.apply(get(fields, reason)), text.apply(get(fields, note)), text.apply(get(fields, reviewer)),
                    text.apply(get(fields, assignee)), this);
        }

        String get(List<String> fields, int index) {
            return index >= 0 && index < fields.size() ? fields.get(index) : null;
        }
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
