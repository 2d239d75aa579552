package org.crosscheck.rules;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;
import org.crosscheck.screen.ConfigurableRule;
import org.crosscheck.screen.RuleFiles;
import org.crosscheck.screen.ScreeningEngine;
import org.crosscheck.screen.ScreeningRule;
import org.crosscheck.screen.ShippedRules;
import org.crosscheck.screen.SqlRule;

/**
 * The cases of the screening rules' fixture files ({@code rules/screening/<rule id>.fixtures.yaml}, format in
 * docs/screening-rules.md), run in as few Spark jobs as possible: each case's tables are registered and its rule
 * analysed in turn (a Dataset keeps the tables it was analysed with), then all cases' findings are collected as one
 * union. When that one job fails, the cases run one by one so the failure is pinned on its case.
 */
final class ScreeningCases {
    static final LocalDate DEFAULT_AS_OF = LocalDate.of(2025, 12, 31);
    private static final String CASE_COLUMN = "__fixture_case";

    /** A fixture file: per-table defaults for columns a row leaves out, and the cases. */
    record CasesFile(Map<String, Map<String, Object>> defaults, List<Case> cases) {
        CasesFile {
            defaults = defaults == null ? Map.of() : defaults;
            cases = cases == null ? List.of() : cases;
        }
    }

    /**
     * One case: the cleaned tables it starts from, optional parameter values and run date, and the findings it must
     * give ({@code none}, or a list).
     */
    record Case(String name, String description, String asOf, Map<String, Object> parameters,
                Map<String, List<Map<String, Object>>> given, Object expect) {
    }

    /**
     * One expected finding. {@code amount} compares as a number; {@code explanation} is text the explanation must
     * contain; {@code evidence} texts the evidence JSON must contain, {@code evidence_lacks} texts it must not.
     */
    record Expected(String subject, String subjectType, String scheme, String region, String period, String amount,
                    String severity, String explanation, List<String> evidence, List<String> evidenceLacks) {
        Expected {
            evidence = evidence == null ? List.of() : evidence;
            evidenceLacks = evidenceLacks == null ? List.of() : evidenceLacks;
        }
    }

    /** A case ready to run, or the reason it cannot be (a bad fixture file names file, case and row). */
    record Loaded(String ruleId, Path file, String name, ScreeningRule rule, LocalDate asOf,
                  Map<SourceFamily, List<Row>> tables, List<Expected> expected, String problem) {
    }

    /** The outcome of one case: {@code failure} is null when the case passed. */
    record Outcome(String ruleId, String name, String failure) {
    }

    private ScreeningCases() {
    }

    static Path fixtureFile(Path rulesFolder, String ruleId) {
        return rulesFolder.resolve(ruleId + RuleFiles.FIXTURES_SUFFIX);
    }

    /** The rule files' ids of a folder, read from the files themselves (sorted). */
    static List<String> ruleIds(Path rulesFolder) {
        return RuleFiles.load(rulesFolder).stream().map(SqlRule::id).toList();
    }

    /**
     * Fixture files of the folder that belong neither to a rule file nor to one of the Java rules (a fixture for
     * nothing is a mistake).
     */
    static List<Path> orphanFixtures(Path rulesFolder, List<? extends ScreeningRule> javaRules) {
        List<String> ids = new ArrayList<>(ruleIds(rulesFolder));
        javaRules.forEach(r -> ids.add(r.id()));
        try (Stream<Path> s = Files.list(rulesFolder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(RuleFiles.FIXTURES_SUFFIX))
                    .filter(p -> !ids.contains(p.getFileName().toString().replace(RuleFiles.FIXTURES_SUFFIX, "")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads every case of every fixture file of the folder, against the rules of the folder (loaded and checked). */
    static List<Loaded> load(SparkSession spark, Path rulesFolder) {
        return load(spark, rulesFolder, List.of());
    }

    /**
     * As {@link #load(SparkSession, Path)}, and the cases of the Java rules (e.g. linkage) whose fixture file,
     * {@code <rule id>.fixtures.yaml}, is in the folder too.
     */
    static List<Loaded> load(SparkSession spark, Path rulesFolder, List<? extends ScreeningRule> javaRules) {
        Map<String, ScreeningRule> rules = new LinkedHashMap<>();
        ShippedRules.load(spark, rulesFolder).forEach(r -> rules.put(r.id(), r));
        javaRules.forEach(r -> rules.put(r.id(), r));
        List<Loaded> out = new ArrayList<>();
        for (ScreeningRule rule : rules.values()) {
            Path file = fixtureFile(rulesFolder, rule.id());
            if (Files.isRegularFile(file)) {
                out.addAll(load(file, rule));
            }
        }
        return out;
    }

    private static ScreeningRule withOverrides(ScreeningRule rule, Map<String, Object> overrides) {
        if (rule instanceof SqlRule sql) {
            return sql.withOverrides(overrides);
        }
        if (rule instanceof ConfigurableRule configurable) {
            return configurable.withOverrides(overrides);
        }
        if (overrides != null && !overrides.isEmpty()) {
            throw new IllegalArgumentException("rule " + rule.id() + " takes no parameters");
        }
        return rule;
    }

    static List<Loaded> load(Path file, ScreeningRule rule) {
        ObjectMapper yaml = ConfigLoader.yamlMapper();
        CasesFile cf;
        try {
            cf = yaml.readValue(Files.readString(file), CasesFile.class);
        } catch (IOException e) {
            return List.of(new Loaded(rule.id(), file, "(file)", rule, null, null, null,
                    "fixture file " + file + " cannot be read: " + e.getMessage()));
        }
        if (cf == null || cf.cases().isEmpty()) {
            return List.of(new Loaded(rule.id(), file, "(file)", rule, null, null, null,
                    "fixture file " + file + " has no cases"));
        }
        List<Loaded> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cf.cases().size(); i++) {
            Case c = cf.cases().get(i);
            String name = c.name() == null || c.name().isBlank() ? "case " + (i + 1) : c.name();
            String where = "fixture file " + file + ", case '" + name + "'";
            try {
                if (names.contains(name)) {
                    throw new IllegalArgumentException("the name is used twice");
                }
                names.add(name);
                ScreeningRule withValues = withOverrides(rule, c.parameters());
                LocalDate asOf = c.asOf() == null ? DEFAULT_AS_OF : LocalDate.parse(c.asOf());
                Map<SourceFamily, List<Row>> tables = new EnumMap<>(SourceFamily.class);
                for (SourceFamily f : SourceFamily.values()) {
                    tables.put(f, List.of());
                }
                Map<String, List<Map<String, Object>>> given = c.given() == null ? Map.of() : c.given();
                for (String table : cf.defaults().keySet()) {
                    SourceFamily.fromId(table);
                }
                given.forEach((table, rows) -> {
                    SourceFamily f = SourceFamily.fromId(table);
                    tables.put(f, FixtureRows.rows(StageSchemas.clean(f), rows == null ? List.of() : rows,
                            cf.defaults().get(table), "given." + table));
                });
                out.add(new Loaded(rule.id(), file, name, withValues, asOf, tables, expected(yaml, c.expect()), null));
            } catch (RuntimeException e) {
                out.add(new Loaded(rule.id(), file, name, rule, null, null, null, where + ": " + e.getMessage()));
            }
        }
        return out;
    }

    private static List<Expected> expected(ObjectMapper yaml, Object expect) {
        if ("none".equals(expect)) {
            return List.of();
        }
        if (!(expect instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("'expect' must be 'none' or a list of findings");
        }
        List<Expected> out = new ArrayList<>();
        for (Object o : list) {
            Expected e = yaml.convertValue(o, Expected.class);
            for (String required : new String[] {"subject", "period", "amount", "severity"}) {
                Object v = switch (required) {
                    case "subject" -> e.subject();
                    case "period" -> e.period();
                    case "amount" -> e.amount();
                    default -> e.severity();
                };
                if (v == null) {
                    throw new IllegalArgumentException("an expected finding needs '" + required
                            + "' (subject, scheme, period, amount, severity; write ~ for an empty scheme)");
                }
            }
            out.add(e);
        }
        return out;
    }

    /** Runs the cases that loaded; those that did not fail with their problem. */
    static List<Outcome> run(SparkSession spark, List<Loaded> cases) {
        List<Loaded> runnable = cases.stream().filter(c -> c.problem() == null).toList();
        Map<Integer, List<Row>> byCase = new LinkedHashMap<>();
        String batchFailure = null;
        try {
            // Each case's findings become a view (a Dataset keeps the tables it was analysed with), and one
            // UNION ALL over the views is analysed once: chaining Dataset.union would re-analyse the growing plan.
            List<String> selects = new ArrayList<>();
            for (int i = 0; i < runnable.size(); i++) {
                String view = CASE_COLUMN + "_" + i;
                findings(spark, runnable.get(i)).withColumn(CASE_COLUMN, lit(i)).createOrReplaceTempView(view);
                selects.add("SELECT * FROM " + view);
            }
            if (!selects.isEmpty()) {
                try {
                    for (Row r : spark.sql(String.join("\nUNION ALL\n", selects)).collectAsList()) {
                        byCase.computeIfAbsent(r.getInt(r.fieldIndex(CASE_COLUMN)), k -> new ArrayList<>()).add(r);
                    }
                } finally {
                    for (int i = 0; i < runnable.size(); i++) {
                        spark.catalog().dropTempView(CASE_COLUMN + "_" + i);
                    }
                }
            }
        } catch (RuntimeException e) {
            batchFailure = e.toString();
        }
        List<Outcome> out = new ArrayList<>();
        for (Loaded c : cases) {
            if (c.problem() != null) {
                out.add(new Outcome(c.ruleId(), c.name(), c.problem()));
                continue;
            }
            List<Row> rows;
            if (batchFailure == null) {
                rows = byCase.getOrDefault(runnable.indexOf(c), List.of());
            } else {
                try {
                    rows = findings(spark, c).collectAsList();
                } catch (RuntimeException e) {
                    out.add(new Outcome(c.ruleId(), c.name(), "the rule failed on this case: " + e));
                    continue;
                }
            }
            out.add(new Outcome(c.ruleId(), c.name(), compare(c, rows)));
        }
        return out;
    }

    private static Dataset<Row> findings(SparkSession spark, Loaded c) {
        Map<SourceFamily, Dataset<Row>> tables = new EnumMap<>(SourceFamily.class);
        c.tables().forEach((f, rows) -> tables.put(f, spark.createDataFrame(rows, StageSchemas.clean(f))));
        return ScreeningEngine.of(spark, List.of(c.rule())).run(tables, c.asOf()).findings();
    }

    private static String text(Row r, String column) {
        Object v = r.get(r.fieldIndex(column));
        return v == null ? null : String.valueOf(v);
    }

    private static String key(String subject, String period, String scheme) {
        return subject + "|" + period + "|" + scheme;
    }

    /** Null when the findings are the expected ones; else what differs, with all findings in plain text. */
    static String compare(Loaded c, List<Row> actual) {
        List<Row> rows = new ArrayList<>(actual);
        rows.sort(Comparator.comparing(r -> key(text(r, "subject_id"), text(r, "period"), text(r, "scheme"))));
        List<Expected> expected = new ArrayList<>(c.expected());
        expected.sort(Comparator.comparing(e -> key(e.subject(), e.period(), e.scheme())));
        List<String> problems = new ArrayList<>();
        if (rows.size() != expected.size()) {
            problems.add("expected " + (expected.isEmpty() ? "no findings" : expected.size() + " finding(s)")
                    + ", got " + rows.size());
        } else {
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                Expected e = expected.get(i);
                String at = "finding " + (i + 1) + " (" + key(e.subject(), e.period(), e.scheme()) + ")";
                same(problems, at, "subject", e.subject(), text(r, "subject_id"));
                same(problems, at, "scheme", e.scheme(), text(r, "scheme"));
                same(problems, at, "period", e.period(), text(r, "period"));
                same(problems, at, "severity", e.severity(), text(r, "severity"));
                if (e.subjectType() != null) {
                    same(problems, at, "subject_type", e.subjectType(), text(r, "subject_type"));
                }
                if (e.region() != null) {
                    same(problems, at, "region", e.region(), text(r, "region"));
                }
                BigDecimal amount = r.getDecimal(r.fieldIndex("amount_at_risk"));
                if (amount == null || amount.compareTo(new BigDecimal(e.amount())) != 0) {
                    problems.add(at + ": amount expected " + e.amount() + ", got " + amount);
                }
                String explanation = String.valueOf(text(r, "explanation"));
                if (e.explanation() != null && !explanation.contains(e.explanation().strip())) {
                    problems.add(at + ": explanation should contain \"" + e.explanation().strip() + "\"");
                }
                String evidence = String.valueOf(text(r, "evidence"));
                e.evidence().stream().filter(t -> !evidence.contains(t))
                        .forEach(t -> problems.add(at + ": evidence should contain " + t));
                e.evidenceLacks().stream().filter(evidence::contains)
                        .forEach(t -> problems.add(at + ": evidence should not contain " + t));
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("rule " + c.ruleId() + ", case '" + c.name() + "' (" + c.file() + "):\n  - "
                + String.join("\n  - ", problems) + "\nfindings:");
        for (Row r : rows) {
            sb.append("\n  subject=").append(text(r, "subject_id")).append(" scheme=").append(text(r, "scheme"))
                    .append(" period=").append(text(r, "period")).append(" amount=").append(text(r, "amount_at_risk"))
                    .append(" severity=").append(text(r, "severity")).append("\n    explanation: ")
                    .append(text(r, "explanation")).append("\n    evidence: ").append(text(r, "evidence"));
        }
        return sb.toString();
    }

    private static void same(List<String> problems, String at, String what, String expected, String actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            problems.add(at + ": " + what + " expected " + expected + ", got " + actual);
        }
    }
}
