package org.crosscheck.corrections;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.crosscheck.core.SourceFamily;
import org.crosscheck.ingest.Mapping;

/**
 * A department's own layout of one extract, read backwards from its mapping: which canonical fields it delivered
 * (only those listed under {@code columns}; constants were never in its files) and the column name it uses for
 * each. Correction requests are written in this layout, with the values exactly as the department delivered them
 * (bronze keeps the raw text, so codes are already the department's own and no code list needs reversing).
 */
public record DepartmentLayout(String department, String slug, String mappingId, SourceFamily family,
                               List<String> fields, Map<String, String> columns,
                               boolean header, String format) {

    public static DepartmentLayout of(Mapping m) {
        SourceFamily family = m.sourceFamily();
        List<String> fields = new ArrayList<>();
        for (String f : family.fieldNames()) {
            if (m.columns().containsKey(f)) {
                fields.add(f);
            }
        }
        String department = m.department() == null || m.department().isBlank() ? m.id() : m.department().strip();
        return new DepartmentLayout(department, slug(department), m.id(), family, List.copyOf(fields), m.columns(),
                Boolean.TRUE.equals(m.header()), m.format());
    }

    /** Folder name of a department: lower-case letters and digits joined by hyphens; other scripts kept as they are. */
    public static String slug(String department) {
        String s = Normalizer.normalize(department, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String out = s.replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("^-+|-+$", "");
        return out.isEmpty() ? "department" : out;
    }

    /** The department's column name for a canonical field. */
    public String column(String field) {
        return columns.get(field);
    }

    /** The line of the file a record number (1-based, header not counted) is on. */
    public long line(long recordNumber) {
        return "csv".equals(format) && header ? recordNumber + 1 : recordNumber;
    }
}
