package org.crosscheck.screen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.SqlSandbox;

/**
 * Reads screening-rule files ({@code *.yaml} / {@code *.yml}, but not {@code *.fixtures.yaml}) from a folder and checks what can be checked without
 * Spark: known keys, required keys, id = file name, version, severity, known tables in {@code reads}, and that
 * every {@code ${parameter}} in the SQL is declared and every declared parameter is used. Every error names the
 * file. The SQL itself is checked by {@link SqlRule#check} once a SparkSession exists.
 */
public final class RuleFiles {
    /**
     * Name ending of a rule's fixture file beside it ({@code <id>.fixtures.yaml}: test cases, docs/screening-rules.md);
     * such files are not rule files.
     */
    public static final String FIXTURES_SUFFIX = ".fixtures.yaml";
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}(-[0-9A-Za-z.]+)?");
    private static final Set<String> TABLES = Set.copyOf(Arrays.stream(SourceFamily.values()).map(SourceFamily::id).toList());

    private RuleFiles() {
    }

    /** All rule files of the folder, sorted by file name, with their parameters' defaults. */
    public static List<SqlRule> load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw CrossCheckException.config("screening rules folder " + folder + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.toString().endsWith(FIXTURES_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw CrossCheckException.config("cannot list screening rules folder " + folder + ": " + e.getMessage());
        }
        List<SqlRule> rules = new ArrayList<>();
        for (Path f : files) {
            SqlRule r = read(f);
            for (SqlRule other : rules) {
                if (other.id().equals(r.id())) {
                    throw CrossCheckException.config("rule file " + f + ": rule id '" + r.id() + "' is also used by "
                            + other.source());
                }
            }
            rules.add(r);
        }
        return rules;
    }

    /** Reads and checks one rule file. */
    public static SqlRule read(Path file) {
        RuleFile rf;
        try {
            rf = ConfigLoader.yamlMapper().readValue(Files.readString(file), RuleFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw CrossCheckException.config("rule file " + file + ": unknown key '" + ConfigLoader.dotted(e)
                    + "' (known keys here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw CrossCheckException.config("rule file " + file + ": bad value for '" + ConfigLoader.dotted(e) + "': "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw CrossCheckException.config("rule file " + file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CrossCheckException.config("cannot read rule file " + file + ": " + e.getMessage());
        }
        if (rf == null) {
            throw CrossCheckException.config("rule file " + file + " is empty");
        }
        List<String> problems = problems(rf, file);
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("rule file " + file + " is invalid:\n  - " + String.join("\n  - ", problems));
        }
        SqlRule rule = SqlRule.withDefaults(rf, file);
        SqlSandbox.requireSafeQuery(rule.renderedSql(java.time.LocalDate.now()), rf.reads(), ScreeningFunctions.NAMES,
                "rule file " + file);
        return rule;
    }

    static List<String> problems(RuleFile rf, Path file) {
        List<String> p = new ArrayList<>();
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (blank(rf.id())) {
            p.add("'id' is missing");
        } else if (!ID.matcher(rf.id()).matches()) {
            p.add("'id' must be lower-case letters, digits and _, got '" + rf.id() + "'");
        } else if (!rf.id().equals(stem)) {
            p.add("'id' is '" + rf.id() + "' but the file is named " + file.getFileName() + "; they must agree");
        }
        if (rf.version() == null) {
            p.add("'version' is missing");
        } else if (!(rf.version() instanceof Integer || rf.version() instanceof Long)
                && !VERSION.matcher(rf.versionText()).matches()) {
            p.add("'version' must be an integer or a semantic version like 1.2.0, got '" + rf.versionText() + "'");
        }
        for (String key : List.of("title", "rationale", "sql")) {
            String v = switch (key) {
                case "title" -> rf.title();
                case "rationale" -> rf.rationale();
                default -> rf.sql();
            };
            if (blank(v)) {
                p.add("'" + key + "' is missing");
            }
        }
        if (blank(rf.severity())) {
            p.add("'severity' is missing");
        } else if (!Findings.SEVERITIES.contains(rf.severity())) {
            p.add("'severity' must be one of " + Findings.SEVERITIES + ", got '" + rf.severity() + "'");
        }
        if (rf.reads().isEmpty()) {
            p.add("'reads' must list the tables the rule reads, from " + TABLES);
        }
        for (String t : rf.reads()) {
            if (!TABLES.contains(t)) {
                p.add("'reads' names unknown table '" + t + "'; known tables: " + List.copyOf(new java.util.TreeSet<>(TABLES)));
            }
        }
        rf.parameters().forEach((name, param) -> {
            if (param == null) {
                p.add("parameter '" + name + "' needs 'default' and 'description'");
                return;
            }
            if (ParameterValues.AS_OF_DATE.equals(name)) {
                p.add("parameter name '" + name + "' is reserved (the run's date is built in)");
            }
            if (blank(param.description())) {
                p.add("parameter '" + name + "' has no 'description'");
            }
            try {
                ParameterValues.literal(param.defaultValue());
            } catch (IllegalArgumentException e) {
                p.add("parameter '" + name + "': " + e.getMessage());
            }
        });
        if (!blank(rf.sql())) {
            Set<String> used = ParameterValues.references(rf.sql());
            for (String u : used) {
                if (!u.equals(ParameterValues.AS_OF_DATE) && !rf.parameters().containsKey(u)) {
                    p.add("the SQL uses ${" + u + "} but no parameter '" + u + "' is declared under 'parameters'");
                }
            }
            for (String declared : rf.parameters().keySet()) {
                if (!used.contains(declared)) {
                    p.add("parameter '" + declared + "' is declared but the SQL never uses ${" + declared + "}");
                }
            }
        }
        return p;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
