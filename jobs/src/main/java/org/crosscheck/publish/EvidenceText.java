package org.crosscheck.publish;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Evidence as a risk officer reads it: one line per record, the table in words, its key fields, and the file name
 * and line it came from (not the machine path), e.g.
 * {@code payment P00012: period 2025-04-01..2025-04-30, paid 2025-05-05, amount 3,120.00, region 440106 (HJ_ZF_202505.csv line 17)}.
 * The exception table keeps the evidence as JSON for machines.
 */
public final class EvidenceText {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LINEAGE = Set.of("table", "source_file", "record_number");
    private static final Map<String, String> TABLE_WORDS = Map.of(
            "benefit_payment", "payment",
            "civil_registry", "civil registry record",
            "enrollment", "enrollment",
            "contribution", "contribution");

    private EvidenceText() {
    }

    /** The evidence JSON (an array of objects) as lines; text that is not such JSON is returned as it is. */
    public static String lines(String evidenceJson) {
        if (evidenceJson == null || evidenceJson.isBlank()) {
            return "";
        }
        JsonNode root;
        try {
            root = JSON.readTree(evidenceJson);
        } catch (Exception e) {
            return evidenceJson;
        }
        if (!root.isArray()) {
            return evidenceJson;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode record : root) {
            out.add(line(record));
        }
        return String.join("\n", out);
    }

    /** Evidence records of one kind as a table: the kind in words, its columns, one row per record. */
    public record Table(String title, List<String> columns, List<List<String>> rows) {
    }

    /**
     * The evidence JSON as readable tables, one per kind of record (payment, civil registry record, ...), in the order
     * the kinds first appear: the record's fields (amounts formatted), then its source file name and line. Text that
     * is not such JSON becomes one table with one cell.
     */
    public static List<Table> tables(String evidenceJson) {
        List<Table> out = new ArrayList<>();
        if (evidenceJson == null || evidenceJson.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = JSON.readTree(evidenceJson);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isArray()) {
            out.add(new Table("detail", List.of("evidence"), List.of(List.of(evidenceJson))));
            return out;
        }
        Map<String, List<JsonNode>> byKind = new java.util.LinkedHashMap<>();
        for (JsonNode record : root) {
            String table = record.isObject() ? record.path("table").asText("detail") : "detail";
            byKind.computeIfAbsent(table, k -> new ArrayList<>()).add(record);
        }
        byKind.forEach((kind, records) -> {
            java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
            boolean source = false;
            for (JsonNode r : records) {
                if (r.isObject()) {
                    r.fieldNames().forEachRemaining(f -> {
                        if (!LINEAGE.contains(f)) {
                            cols.add(f);
                        }
                    });
                    source |= r.has("source_file");
                }
            }
            List<String> header = new ArrayList<>();
            cols.forEach(c -> header.add(c.equals("payment_date") ? "paid" : c.replace('_', ' ')));
            if (source) {
                header.add("source");
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode r : records) {
                List<String> row = new ArrayList<>();
                for (String c : cols) {
                    JsonNode v = r.get(c);
                    String text = v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
                    row.add(c.equals("amount") || c.endsWith("_amount") || c.equals("median") ? money(text) : text);
                }
                if (source) {
                    String file = text(r, "source_file");
                    String line = text(r, "record_number");
                    row.add(file == null ? "" : file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)
                            + (line == null ? "" : " line " + line));
                }
                rows.add(row);
            }
            out.add(new Table(TABLE_WORDS.getOrDefault(kind, kind.replace('_', ' ')), header, rows));
        });
        return out;
    }

    static String line(JsonNode record) {
        if (!record.isObject()) {
            return record.asText();
        }
        String table = record.path("table").asText(null);
        StringBuilder sb = new StringBuilder();
        sb.append(table == null ? "detail" : TABLE_WORDS.getOrDefault(table, table.replace('_', ' ')));
        String id = text(record, "payment_id");
        if (id != null) {
            sb.append(' ').append(id);
        }
        List<String> parts = new ArrayList<>();
        String start = text(record, "period_start");
        String end = text(record, "period_end");
        if (start != null || end != null) {
            parts.add("period " + (start == null ? "?" : start) + (end == null || end.equals(start) ? "" : ".." + end));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            String k = f.getKey();
            if (LINEAGE.contains(k) || k.equals("payment_id") || k.equals("period_start") || k.equals("period_end")
                    || f.getValue().isNull()) {
                continue;
            }
            String v = f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString();
            if (k.equals("amount") || k.endsWith("_amount") || k.equals("median")) {
                v = money(v);
            }
            parts.add((k.equals("payment_date") ? "paid" : k.replace('_', ' ')) + " " + v);
        }
        if (!parts.isEmpty()) {
            sb.append(": ").append(String.join(", ", parts));
        }
        String file = text(record, "source_file");
        if (file != null) {
            String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
            String line = text(record, "record_number");
            sb.append(" (").append(name).append(line == null ? "" : " line " + line).append(')');
        }
        return sb.toString();
    }

    private static String text(JsonNode record, String field) {
        JsonNode n = record.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String money(String v) {
        if (v == null || v.isEmpty()) {
            return v;
        }
        try {
            return String.format(java.util.Locale.ROOT, "%,.2f", new java.math.BigDecimal(v));
        } catch (NumberFormatException e) {
            return v;
        }
    }
}
