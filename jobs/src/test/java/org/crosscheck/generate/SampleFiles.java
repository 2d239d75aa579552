package org.crosscheck.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.crosscheck.ingest.Mapping;

/**
 * Reads generated extracts back through their mapping files, independently of the generator's writers: a test
 * that passes here shows the mapping really describes the file.
 */
final class SampleFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Canonical field to raw value for every well-formed row; rows with a wrong field count are counted apart. */
    record Rows(List<Map<String, String>> rows, int malformed, List<String> headers) {
    }

    private SampleFiles() {
    }

    static List<Path> files(Path landing, Mapping m) {
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + m.files());
        try (Stream<Path> s = Files.walk(landing)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> glob.matches(Path.of(landing.relativize(p).toString().replace('\\', '/'))))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rows read(Path landing, Mapping m) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        int malformed = 0;
        for (Path f : files(landing, m)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, Charset.forName(m.encoding()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (m.format().equals("json")) {
                for (String line : lines) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        Map<String, String> row = new HashMap<>();
                        m.columns().forEach((field, key) -> {
                            JsonNode v = n.get(key);
                            row.put(field, v == null || v.isNull() ? null : v.asText());
                        });
                        out.add(row);
                        n.fieldNames().forEachRemaining(k -> {
                            if (!headers.contains(k)) {
                                headers.add(k);
                            }
                        });
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                continue;
            }
            char delimiter = m.delimiter().charAt(0);
            List<String> header = split(lines.get(0), delimiter);
            headers.addAll(header);
            for (String line : lines.subList(1, lines.size())) {
                List<String> fields = split(line, delimiter);
                if (fields.size() != header.size()) {
                    malformed++;
                    continue;
                }
                Map<String, String> row = new HashMap<>();
                m.columns().forEach((field, column) -> row.put(field, fields.get(header.indexOf(column))));
                out.add(row);
            }
        }
        return new Rows(out, malformed, headers);
    }

    static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        return fields;
    }

    static String nfkc(String s) {
        return s == null ? null : Normalizer.normalize(s, Normalizer.Form.NFKC).strip().toUpperCase(java.util.Locale.ROOT);
    }

    static String code(Mapping m, String field, String raw) {
        Map<String, String> codes = m.codes().get(field);
        return codes == null || raw == null ? raw : codes.getOrDefault(raw, raw);
    }

    /** The date and its precision (day, month, year), or null when no pattern of the mapping fits. */
    record PreciseDate(LocalDate date, String precision) {
        YearMonth lastProperMonth() {
            return precision.equals("year") ? YearMonth.of(date.getYear(), 12) : YearMonth.from(date);
        }
    }

    static PreciseDate date(Mapping m, String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        for (String pattern : m.formats().getOrDefault(field, List.of())) {
            if (raw.length() != pattern.length()) {
                continue;
            }
            try {
                if (pattern.contains("d")) {
                    return new PreciseDate(LocalDate.parse(raw, DateTimeFormatter.ofPattern(pattern)), "day");
                } else if (pattern.contains("M")) {
                    return new PreciseDate(YearMonth.parse(raw, DateTimeFormatter.ofPattern(pattern)).atDay(1), "month");
                }
                return new PreciseDate(LocalDate.of(Integer.parseInt(raw), 1, 1), "year");
            } catch (RuntimeException e) {
                // try the next pattern
            }
        }
        return null;
    }

    static long cents(Mapping m, String raw) {
        String s = nfkc(raw);
        if (!m.decimal().grouping().isEmpty()) {
            s = s.replace(m.decimal().grouping(), "");
        }
        return new BigDecimal(s.replace(m.decimal().separator(), ".")).movePointRight(2).longValueExact();
    }
}
