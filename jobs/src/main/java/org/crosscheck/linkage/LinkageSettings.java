package org.crosscheck.linkage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.crosscheck.core.CrossCheckException;

/**
 * A linkage configuration file (e.g. {@code rules/linkage/identity.yaml}): blocking rules, comparisons, exclusions,
 * training and the match threshold. See docs/linkage.md for every key. A bad file is a configuration error naming
 * the file and the key.
 *
 * @param mode            {@code dedupe} (pairs within one set of records) or {@code link} (only pairs whose
 *                        {@code dataset} column differs)
 * @param maxBlockSize    a blocking key value shared by more records than this is skipped (and reported): no rule
 *                        may turn into a cross join of a region or a common name
 * @param threshold       match probability at or above which a pair is linked
 * @param mPriorPairs     weight of the prior m in EM, in matched pairs ({@code training.m_prior_pairs}, default 100)
 */
public record LinkageSettings(String id, String mode, int maxBlockSize, List<BlockingRule> blocking,
                              List<Comparison> comparisons, List<Exclusion> exclusions, double threshold,
                              long randomPairs, int emIterations, double mPriorPairs, long seed, Path source) {

    /** A blocking rule: candidate pairs agree on every key (Spark SQL expressions over the record columns). */
    public record BlockingRule(String name, List<String> keys) {
    }

    /** Pairs meeting the SQL condition (over {@code l.} and {@code r.} columns) are never linked. */
    public record Exclusion(String name, String words, String condition) {
    }

    private static final Set<String> KEYS = Set.of("id", "mode", "max_block_size", "blocking", "comparisons",
            "exclusions", "threshold", "training");

    public boolean linkOnly() {
        return "link".equals(mode);
    }

    /** Reads and checks a settings file. */
    public static LinkageSettings load(Path file) {
        Map<String, Object> m;
        try {
            m = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw CrossCheckException.config("linkage settings " + file + " cannot be read: " + e.getMessage());
        }
        Reader r = new Reader(file);
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                throw r.error(k, "unknown key (keys: " + KEYS + ")");
            }
        }
        String id = r.text(m, "id");
        String mode = m.containsKey("mode") ? r.text(m, "mode") : "dedupe";
        if (!mode.equals("dedupe") && !mode.equals("link")) {
            throw r.error("mode", "must be dedupe or link, got " + mode);
        }
        int maxBlock = m.containsKey("max_block_size") ? r.integer(m, "max_block_size") : 1000;
        List<BlockingRule> blocking = new ArrayList<>();
        for (Map<String, Object> b : r.list(m, "blocking")) {
            List<String> keys = r.strings(b, "keys");
            if (keys.isEmpty()) {
                throw r.error("blocking." + b.get("name"), "needs at least one key (a rule without keys is a cross join)");
            }
            blocking.add(new BlockingRule(r.text(b, "name"), keys));
        }
        if (blocking.isEmpty()) {
            throw r.error("blocking", "needs at least one rule");
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (Map<String, Object> c : r.list(m, "comparisons")) {
            comparisons.add(comparison(r, c));
        }
        List<Exclusion> exclusions = new ArrayList<>();
        if (m.containsKey("exclusions")) {
            for (Map<String, Object> e : r.list(m, "exclusions")) {
                exclusions.add(new Exclusion(r.text(e, "name"), r.text(e, "words"), r.text(e, "condition")));
            }
        }
        double threshold = m.containsKey("threshold") ? r.number(m, "threshold") : 0.99;
        if (!(threshold > 0 && threshold < 1)) {
            throw r.error("threshold", "must be a match probability in (0, 1), got " + threshold);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) m.getOrDefault("training", Map.of());
        long randomPairs = training.containsKey("random_pairs") ? r.integer(training, "random_pairs") : 1_000_000;
        int em = training.containsKey("em_iterations") ? r.integer(training, "em_iterations") : 50;
        double mPrior = training.containsKey("m_prior_pairs") ? r.number(training, "m_prior_pairs") : 100;
        if (!(mPrior >= 0)) {
            throw r.error("training.m_prior_pairs", "must be 0 or more, got " + mPrior);
        }
        long seed = training.containsKey("seed") ? r.integer(training, "seed") : 42;
        return new LinkageSettings(id, mode, maxBlock, List.copyOf(blocking), List.copyOf(comparisons),
                List.copyOf(exclusions), threshold, randomPairs, em, mPrior, seed, file);
    }

    private static Comparison comparison(Reader r, Map<String, Object> c) {
        Comparison comparison = columnComparison(r, c);
        if (c.containsKey("max_weight")) {
            double cap = r.number(c, "max_weight");
            if (!(cap >= 0) || !(comparison instanceof ColumnComparison capped)) {
                throw r.error("comparisons." + comparison.name() + ".max_weight", "must be 0 or more, on an"
                        + " identity_number, birth_date or string comparison; got " + cap);
            }
            capped.capWeight(cap);
        }
        if (c.containsKey("presume_agreement")) {
            Object v = c.get("presume_agreement");
            if (!(v instanceof Boolean presume) || !(comparison instanceof ColumnComparison column)) {
                throw r.error("comparisons." + comparison.name() + ".presume_agreement", "must be true or false, on an"
                        + " identity_number, birth_date or string comparison; got " + v);
            }
            column.presumeAgreement(presume);
        }
        return comparison;
    }

    private static Comparison columnComparison(Reader r, Map<String, Object> c) {
        String type = r.text(c, "type");
        String column = r.text(c, "column");
        return switch (type) {
            case "identity_number" -> new IdentityNumberComparison(column,
                    c.containsKey("region_digits") ? r.integer(c, "region_digits") : 0,
                    c.containsKey("birth_digits") ? r.integer(c, "birth_digits") : 0,
                    Boolean.TRUE.equals(c.get("check_character")));
            case "name" -> new NameComparison(column, column + "_pinyin", c.containsKey("surname")
                    ? r.text(c, "surname") : "surname",
                    c.containsKey("pinyin_threshold") ? r.number(c, "pinyin_threshold") : 0.9,
                    c.containsKey("character_threshold") ? r.number(c, "character_threshold") : 0.85);
            case "birth_date" -> new BirthDateComparison(column,
                    c.containsKey("within_days") ? r.integer(c, "within_days") : 31);
            case "string" -> {
                List<Double> t = new ArrayList<>();
                if (c.containsKey("thresholds")) {
                    for (Object o : (List<?>) c.get("thresholds")) {
                        t.add(((Number) o).doubleValue());
                    }
                }
                String name = c.containsKey("name") ? r.text(c, "name") : column;
                yield new StringComparison(name, column,
                        c.containsKey("label") ? r.text(c, "label") : label(name),
                        c.containsKey("words") ? r.text(c, "words") : name.replace('_', ' '),
                        Boolean.TRUE.equals(c.get("one_character")), t.stream().mapToDouble(Double::doubleValue).toArray(),
                        Boolean.TRUE.equals(c.get("term_frequency")));
            }
            default -> throw r.error("comparisons." + column + ".type",
                    "must be identity_number, name, birth_date or string, got " + type);
        };
    }

    private static String label(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }

    /** Typed access to the parsed YAML with errors naming file and key. */
    private record Reader(Path file) {
        CrossCheckException error(String key, String message) {
            return CrossCheckException.config("linkage settings " + file + ": " + key + ": " + message);
        }

        String text(Map<String, Object> m, String key) {
            Object v = m.get(key);
            if (v == null || v.toString().isBlank()) {
                throw error(key, "is required");
            }
            return v.toString();
        }

        long integerLong(Map<String, Object> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw error(key, "must be a whole number, got " + v);
            }
            return n.longValue();
        }

        int integer(Map<String, Object> m, String key) {
            return Math.toIntExact(integerLong(m, key));
        }

        double number(Map<String, Object> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof Number n)) {
                throw error(key, "must be a number, got " + v);
            }
            return n.doubleValue();
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list(Map<String, Object> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof List<?> l) || l.isEmpty() || !(l.get(0) instanceof Map)) {
                throw error(key, "must be a list of entries");
            }
            return (List<Map<String, Object>>) v;
        }

        List<String> strings(Map<String, Object> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof List<?> l)) {
                throw error(key, "must be a list");
            }
            return l.stream().map(Object::toString).toList();
        }
    }
}
