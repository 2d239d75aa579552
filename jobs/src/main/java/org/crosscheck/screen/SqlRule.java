package org.crosscheck.screen;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;

/**
 * A screening rule written as a file: Spark SQL over the cleaned tables, with parameters, evidence and an
 * explanation template. Immutable; {@link #withOverrides} gives a copy with a deployment's parameter values.
 */
public final class SqlRule implements ScreeningRule {
    private final RuleFile file;
    private final Path source;
    private final Map<String, Object> values;

    SqlRule(RuleFile file, Path source, Map<String, Object> values) {
        this.file = file;
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The rule with its parameters' defaults. */
    static SqlRule withDefaults(RuleFile file, Path source) {
        Map<String, Object> v = new LinkedHashMap<>();
        file.parameters().forEach((k, p) -> v.put(k, p.defaultValue()));
        return new SqlRule(file, source, v);
    }

    /**
     * A copy with some parameters set. Each name must be a declared parameter and each value of the default's kind
     * (number, text, true/false, list); otherwise a configuration error names the rule file and the parameter.
     */
    public SqlRule withOverrides(Map<String, Object> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, Object> v = new LinkedHashMap<>(values);
        List<String> problems = new ArrayList<>();
        overrides.forEach((name, value) -> {
            if (!file.parameters().containsKey(name)) {
                problems.add("screening.parameters." + id() + "." + name + ": rule " + source
                        + " has no parameter '" + name + "' (it has " + file.parameters().keySet() + ")");
                return;
            }
            String expected = ParameterValues.kind(file.parameters().get(name).defaultValue());
            String got = ParameterValues.kind(value);
            if (!expected.equals("null") && !expected.equals(got)) {
                problems.add("screening.parameters." + id() + "." + name + ": rule " + source + " expects a "
                        + expected + ", got a " + got + " (" + value + ")");
                return;
            }
            try {
                ParameterValues.literal(value);
            } catch (IllegalArgumentException e) {
                problems.add("screening.parameters." + id() + "." + name + ": " + e.getMessage());
                return;
            }
            v.put(name, value);
        });
        if (!problems.isEmpty()) {
            throw CrossCheckException.config(String.join("\n", problems));
        }
        return new SqlRule(file, source, v);
    }

    @Override
    public String id() {
        return file.id();
    }

    @Override
    public String version() {
        return file.versionText();
    }

    @Override
    public String title() {
        return file.title();
    }

    @Override
    public String severity() {
        return file.severity();
    }

    @Override
    public List<String> caseKey() {
        return file.caseKey();
    }

    @Override
    public Set<SourceFamily> reads() {
        Set<SourceFamily> s = EnumSet.noneOf(SourceFamily.class);
        file.reads().forEach(r -> s.add(SourceFamily.fromId(r)));
        return s;
    }

    public RuleFile file() {
        return file;
    }

    public Path source() {
        return source;
    }

    /** Effective parameter values (defaults with overrides applied). */
    public Map<String, Object> parameterValues() {
        return values;
    }

    /** The SQL with parameters substituted, as it runs. */
    public String renderedSql(LocalDate asOfDate) {
        return ParameterValues.substitute(file.sql(), values, asOfDate);
    }

    @Override
    public Dataset<Row> findings(SparkSession spark, ScreeningContext context) {
        return toFindings(spark.sql(renderedSql(context.asOfDate())));
    }

    Dataset<Row> toFindings(Dataset<Row> output) {
        StructType schema = output.schema();
        List<String> have = Arrays.asList(output.columns());
        Column evidence;
        if (have.contains("evidence")) {
            evidence = col("evidence");
        } else if (file.evidence() != null) {
            evidence = to_json(array(struct(file.evidence().stream().map(c -> col(c)).toArray(Column[]::new))));
        } else {
            evidence = lit("[]");
        }
        Column explanation = have.contains("explanation") ? col("explanation")
                : new ExplanationTemplate(file.explanation()).toColumn(schema);
        return Findings.conform(output, this, evidence, explanation);
    }

    /**
     * Checks the SQL with Spark: it must parse, and it must run against empty cleaned tables of only the families
     * in {@code reads} (so a table it reads but does not declare is caught) and yield the findings columns.
     *
     * @param checkSession a session of its own (its temp views are replaced)
     */
    void check(SparkSession checkSession) {
        String sql = renderedSql(LocalDate.now());
        try {
            checkSession.sessionState().sqlParser().parsePlan(sql);
        } catch (Exception e) {
            throw CrossCheckException.config("rule file " + source + ": the SQL does not parse: " + e.getMessage());
        }
        for (SourceFamily f : SourceFamily.values()) {
            checkSession.catalog().dropTempView(f.id());
        }
        for (SourceFamily f : reads()) {
            CleanedTables.empty(checkSession, f).createOrReplaceTempView(f.id());
        }
        Dataset<Row> out;
        try {
            out = checkSession.sql(sql);
        } catch (Exception e) {
            if (!(e instanceof AnalysisException)) {
                throw CrossCheckException.config("rule file " + source + ": the SQL cannot be analysed: "
                        + e.getMessage());
            }
            throw CrossCheckException.config("rule file " + source + ": the SQL does not run against the cleaned"
                    + " tables it reads " + file.reads() + " (a table it uses must be listed under 'reads'): "
                    + e.getMessage());
        }
        List<String> columns = Arrays.asList(out.columns());
        List<String> problems = new ArrayList<>();
        for (String required : Findings.REQUIRED) {
            if (!columns.contains(required)) {
                problems.add("the SQL must output a column '" + required + "'");
            }
        }
        if (columns.contains("evidence") && file.evidence() != null) {
            problems.add("the SQL outputs 'evidence' and the file also lists 'evidence' columns; keep one");
        }
        if (!columns.contains("evidence") && file.evidence() == null) {
            problems.add("no evidence: list 'evidence' columns or output an 'evidence' column");
        }
        if (file.evidence() != null) {
            for (String c : file.evidence()) {
                if (!columns.contains(c)) {
                    problems.add("evidence column '" + c + "' is not an output column of the SQL");
                }
            }
        }
        for (String c : file.caseKey()) {
            if (!columns.contains(c)) {
                problems.add("case_key column '" + c + "' is not an output column of the SQL");
            }
        }
        if (columns.contains("explanation") && file.explanation() != null) {
            problems.add("the SQL outputs 'explanation' and the file also has an 'explanation' template; keep one");
        }
        if (!columns.contains("explanation") && file.explanation() == null) {
            problems.add("no explanation: write an 'explanation' template or output an 'explanation' column");
        }
        if (file.explanation() != null) {
            for (String c : new ExplanationTemplate(file.explanation()).columns()) {
                if (!columns.contains(c)) {
                    problems.add("explanation placeholder {" + c + "} is not an output column of the SQL");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("rule file " + source + ":\n  - " + String.join("\n  - ", problems));
        }
        toFindings(out); // resolves the evidence and explanation columns
    }

    @Override
    public String toString() {
        return "SqlRule[" + id() + " v" + version() + " from " + source + "]";
    }
}
