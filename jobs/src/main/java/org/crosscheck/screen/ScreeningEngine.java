package org.crosscheck.screen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected screening rules over the cleaned tables and returns their findings as one table.
 *
 * <p>{@link #load} reads every rule file of the configured folder and checks them all before any work starts
 * (file format, parameters, overrides, rule selection, and the SQL against empty tables): a bad file stops the
 * run with a configuration error naming it, even when that rule is disabled. A run re-evaluates all historical
 * data: each rule is a pure function of the tables, so re-running over the same tables gives the same findings.
 */
public final class ScreeningEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ScreeningEngine.class);

    private final SparkSession spark;
    private final List<ScreeningRule> rules;

    private ScreeningEngine(SparkSession spark, List<ScreeningRule> rules) {
        this.spark = spark;
        this.rules = List.copyOf(rules);
    }

    /** Loads the rules of {@code settings.screeningRules()} with the deployment's selection and parameter overrides. */
    public static ScreeningEngine load(SparkSession spark, CrossCheckConfig.ScreeningSettings settings) {
        return load(spark, settings, List.of());
    }

    /**
     * As {@link #load(SparkSession, CrossCheckConfig.ScreeningSettings)}, plus rules written in Java; they take
     * part in the enabled/disabled selection like rule files; a Java rule that implements {@link ConfigurableRule}
     * also takes the parameter overrides under its id.
     */
    public static ScreeningEngine load(SparkSession spark, CrossCheckConfig.ScreeningSettings settings,
                                       List<ScreeningRule> javaRules) {
        List<SqlRule> files = RuleFiles.load(Path.of(settings.screeningRules()));
        Map<String, ScreeningRule> all = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> overrides = settings.parameters();
        for (SqlRule r : files) {
            all.put(r.id(), r);
        }
        for (ScreeningRule r : javaRules) {
            if (all.containsKey(r.id())) {
                problems.add("Java rule " + r.getClass().getName() + " has the id '" + r.id() + "' of a rule file");
            }
            all.put(r.id(), r);
        }
        for (String id : overrides.keySet()) {
            ScreeningRule target = all.get(id);
            if (!(target instanceof SqlRule) && !(target instanceof ConfigurableRule)) {
                problems.add("screening.parameters." + id + ": no rule with parameters has the id '" + id + "' in "
                        + settings.screeningRules() + " or the Java rules (rules: " + all.keySet() + ")");
            }
        }
        for (String id : settings.enabled()) {
            if (!all.containsKey(id)) {
                problems.add("screening.enabled names unknown rule '" + id + "' (rules: " + all.keySet() + ")");
            }
        }
        for (String id : settings.disabled()) {
            if (!all.containsKey(id)) {
                problems.add("screening.disabled names unknown rule '" + id + "' (rules: " + all.keySet() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw CrossCheckException.config(String.join("\n", problems));
        }
        SparkSession checkSession = spark.newSession();
        ScreeningFunctions.register(checkSession);
        List<ScreeningRule> selected = new ArrayList<>();
        for (ScreeningRule r : all.values()) {
            ScreeningRule effective = r;
            if (r instanceof SqlRule sql) {
                SqlRule withValues = sql.withOverrides(overrides.get(r.id()));
                withValues.check(checkSession);
                effective = withValues;
            } else if (r instanceof ConfigurableRule configurable) {
                effective = configurable.withOverrides(overrides.get(r.id()));
            }
            boolean on = (settings.enabled().isEmpty() || settings.enabled().contains(r.id()))
                    && !settings.disabled().contains(r.id());
            if (on) {
                selected.add(effective);
            }
        }
        LOG.info("screening rules: {} loaded from {}, {} selected: {}", all.size(), settings.screeningRules(),
                selected.size(), selected.stream().map(ScreeningRule::id).toList());
        return new ScreeningEngine(spark, selected);
    }

    /** An engine over the given rules as they are (no files, no selection); for Java rules and tests. */
    public static ScreeningEngine of(SparkSession spark, List<ScreeningRule> rules) {
        return new ScreeningEngine(spark, rules);
    }

    /** The selected rules, in run order. */
    public List<ScreeningRule> rules() {
        return rules;
    }

    /** Screens the cleaned Delta tables under {@code tables} (a missing table counts as empty). */
    public ScreeningRun run(Tables tables, LocalDate asOfDate) {
        return run(CleanedTables.readDelta(spark, tables), asOfDate);
    }

    /**
     * Screens the given tables (e.g. in-memory fixtures): each is brought into the cleaned schema (missing lineage
     * columns become null) and registered as a temp view named after its family, replacing any view of that name.
     * A family not in the map is an empty table.
     */
    public ScreeningRun run(Map<SourceFamily, Dataset<Row>> tables, LocalDate asOfDate) {
        CleanedTables.register(spark, tables);
        return runOnRegisteredViews(asOfDate);
    }

    /** Screens the temp views {@code civil_registry}, {@code enrollment}, ... already registered in the session. */
    public ScreeningRun runOnRegisteredViews(LocalDate asOfDate) {
        ScreeningContext context = new ScreeningContext(asOfDate);
        ScreeningFunctions.register(spark);
        Map<String, Dataset<Row>> byRule = new LinkedHashMap<>();
        for (ScreeningRule r : rules) {
            Dataset<Row> f = r.findings(spark, context);
            if (!(r instanceof SqlRule)) {
                f = Findings.conform(f, r);
            }
            byRule.put(r.id(), f);
        }
        return new ScreeningRun(spark, byRule);
    }
}
