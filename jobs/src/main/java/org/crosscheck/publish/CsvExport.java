package org.crosscheck.publish;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.Row;

/**
 * Writes exceptions as CSV for risk officers: UTF-8 with a byte-order mark (without it Excel reads Chinese text as
 * the ANSI code page), RFC 4180 quoting, CRLF line ends. Text that Excel would run as a formula (starting with
 * {@code = + - @}) gets a leading apostrophe; the review import removes it again.
 */
public final class CsvExport implements Closeable {
    public static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Writer out;

    CsvExport(Path file) throws IOException {
        var stream = Files.newOutputStream(file);
        stream.write(BOM);
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        ExportColumn[] cols = ExportColumn.values();
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cols[i].header);
        }
        out.write("\r\n");
    }

    /** One exception; the row holds the export columns by name. */
    void write(Row row) throws IOException {
        ExportColumn[] cols = ExportColumn.values();
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            Object v = row.getAs(cols[i].header);
            if (cols[i] == ExportColumn.EVIDENCE && v != null) {
                v = EvidenceText.lines(v.toString());
            }
            if (v instanceof BigDecimal amount) {
                out.write(amount.toPlainString());
            } else if (v != null) {
                out.write(quote(defuseFormula(v.toString())));
            }
        }
        out.write("\r\n");
    }

    public static String defuseFormula(String s) {
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return s;
    }

    public static String quote(String s) {
        boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0))
                || Character.isWhitespace(s.charAt(s.length() - 1))));
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
