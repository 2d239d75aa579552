package org.crosscheck.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.crosscheck.core.SourceFamily;

/** Collects the truth rows (a small set: planted cases and bad rows only) and writes {@code truth.csv}. */
final class TruthLog {
    private final List<TruthCase> screening = new ArrayList<>();
    private final List<TruthCase> quality = new ArrayList<>();

    void flag(String ruleId, SourceFamily family, String subjectType, String subjectId, String period, Long cents,
              String description) {
        screening(ruleId, "flag", family, subjectType, subjectId, period, cents, description);
    }

    void noFlag(String ruleId, SourceFamily family, String subjectType, String subjectId, String period,
                String description) {
        screening(ruleId, "no_flag", family, subjectType, subjectId, period, null, description);
    }

    private void screening(String ruleId, String expected, SourceFamily family, String subjectType, String subjectId,
                           String period, Long cents, String description) {
        screening.add(new TruthCase(String.format("S%05d", screening.size() + 1), "screening", ruleId, expected,
                family.id(), subjectType, subjectId, period, cents == null ? "" : FieldText.amount(cents, false),
                description));
    }

    void quality(Defect defect, String subjectId, String period) {
        quality.add(new TruthCase(String.format("Q%05d", quality.size() + 1), "quality", defect.check, defect.expected,
                defect.family.id(), defect.family == SourceFamily.BENEFIT_PAYMENT ? "payment" : "person", subjectId,
                period, "", defect.description));
    }

    List<TruthCase> all() {
        List<TruthCase> all = new ArrayList<>(screening);
        all.addAll(quality);
        return all;
    }

    /** Count of rows per {@code rule_id/expected}, in first-seen order. */
    Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (TruthCase c : all()) {
            m.merge(c.kind() + " " + c.ruleId() + " " + c.expected(), 1, Integer::sum);
        }
        return m;
    }

    void write(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(csv(TruthCase.HEADER));
            for (TruthCase c : all()) {
                w.write(csv(c.fields()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String csv(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = fields.get(i);
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || (!v.isEmpty() && v.isBlank())) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }
}
