package org.crosscheck.rules;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.validate.Normalisation;
import org.crosscheck.validate.QualityCheck;
import org.crosscheck.validate.QualityEvaluation;
import org.crosscheck.validate.QualityRules;

/**
 * The examples of the quality checks' fixture files ({@code rules/quality/<family>.fixtures.yaml}, format in
 * docs/validation.md): for each check, rows as delivered that pass it and rows that fail it. All rows of one file
 * are one batch (so rows of a {@code unique} example meet each other, and only rows with its key meet them), read
 * with a mapping that has no formats or code lists of its own, and checked by the family's shipped checks. All
 * families are evaluated in one Spark job.
 */
final class QualityCases {
    static final String SUFFIX = ".fixtures.yaml";

    /**
     * A fixture file: raw values for fields an example leaves out, the values the referenced cleaned tables hold
     * (table, then column, then values; a table not listed does not exist), and per check its examples.
     */
    record CasesFile(Map<String, Object> defaults, Map<String, Map<String, List<Object>>> references,
                     Map<String, Examples> checks) {
        CasesFile {
            defaults = defaults == null ? Map.of() : defaults;
            references = references == null ? Map.of() : references;
            checks = checks == null ? Map.of() : checks;
        }
    }

    record Examples(List<Map<String, Object>> pass, List<Map<String, Object>> fail) {
        Examples {
            pass = pass == null ? List.of() : pass;
            fail = fail == null ? List.of() : fail;
        }
    }

    /** One example row: its check, whether it must fail, and the outcome ({@code failure} null when as expected). */
    record Outcome(String family, String check, boolean mustFail, String row, String failure) {
        String name() {
            return check + (mustFail ? " fails on " : " passes on ") + row;
        }
    }

    /** What one family's fixture gives: its examples' outcomes and the problems of the file as a whole. */
    record FamilyResult(SourceFamily family, Path file, List<Outcome> outcomes, List<String> problems) {
    }

    private record Example(String check, boolean mustFail, Map<String, Object> row, long record) {
    }

    private QualityCases() {
    }

    static List<FamilyResult> run(SparkSession spark, Path qualityFolder) {
        Normalisation.registerFunctions(spark);
        List<FamilyResult> results = new ArrayList<>();
        Map<SourceFamily, List<Example>> examples = new LinkedHashMap<>();
        Dataset<Row> all = null;
        for (SourceFamily family : SourceFamily.values()) {
            Path file = qualityFolder.resolve(family.id() + SUFFIX);
            List<String> problems = new ArrayList<>();
            QualityRules rules = QualityRules.load(qualityFolder, family);
            CasesFile cf = null;
            if (!Files.isRegularFile(file)) {
                if (!rules.checks().isEmpty()) {
                    problems.add("no fixture file " + file + " for the checks of " + family.id());
                }
            } else {
                try {
                    cf = ConfigLoader.yamlMapper().readValue(Files.readString(file), CasesFile.class);
                } catch (IOException e) {
                    problems.add("fixture file " + file + " cannot be read: " + e.getMessage());
                }
            }
            if (cf == null) {
                results.add(new FamilyResult(family, file, List.of(), problems));
                continue;
            }
            Set<String> names = new java.util.TreeSet<>();
            rules.checks().forEach(c -> names.add(c.name()));
            for (String c : cf.checks().keySet()) {
                if (!names.contains(c)) {
                    problems.add(file + ": '" + c + "' is not a check of " + qualityFolder.resolve(family.id() + ".yaml")
                            + " " + names);
                }
            }
            for (QualityCheck c : rules.checks()) {
                Examples e = cf.checks().get(c.name());
                if (e == null || e.pass().isEmpty() || e.fail().isEmpty()) {
                    problems.add(file + ": check '" + c.name() + "' needs at least one passing and one failing example");
                }
            }
            List<Example> list = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (var entry : cf.checks().entrySet()) {
                for (boolean fail : new boolean[] {false, true}) {
                    for (Map<String, Object> r : fail ? entry.getValue().fail() : entry.getValue().pass()) {
                        list.add(new Example(entry.getKey(), fail, r, list.size() + 1));
                        rows.add(r);
                    }
                }
            }
            examples.put(family, list);
            try {
                Dataset<Row> checked = evaluate(spark, family, rules, cf, rows, file);
                all = all == null ? checked : all.unionByName(checked);
            } catch (RuntimeException e) {
                problems.add(file + ": " + e.getMessage());
                examples.remove(family);
            }
            results.add(new FamilyResult(family, file, new ArrayList<>(), problems));
        }
        Map<String, List<String>> found = new HashMap<>();
        if (all != null) {
            for (Row r : all.collectAsList()) {
                found.put(r.getString(0) + "#" + r.getLong(1), r.getList(2));
            }
        }
        for (FamilyResult fr : results) {
            for (Example e : examples.getOrDefault(fr.family(), List.of())) {
                List<String> failed = found.getOrDefault(fr.family().id() + "#" + e.record(), List.of());
                boolean didFail = failed.contains(e.check());
                String failure = didFail == e.mustFail() ? null
                        : fr.file() + ": check '" + e.check() + "' should " + (e.mustFail() ? "fail" : "pass")
                        + " on row " + e.row() + " but " + (didFail ? "failed" : "passed") + "; the row's reasons and"
                        + " warnings: " + failed;
                fr.outcomes().add(new Outcome(fr.family().id(), e.check(), e.mustFail(), String.valueOf(e.row()),
                        failure));
            }
        }
        return results;
    }

    /** The batch checked by the family's rules: family, record number, names of all reasons and warnings. */
    private static Dataset<Row> evaluate(SparkSession spark, SourceFamily family, QualityRules rules, CasesFile cf,
                                         List<Map<String, Object>> rows, Path file) {
        List<Map<String, Object>> bronze = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = new LinkedHashMap<>(rows.get(i) == null ? Map.of() : rows.get(i));
            r.put("_record_number", (long) (i + 1));
            r.put("_source_file", file.toString());
            r.put("_load_id", "fixture-" + family.id());
            r.put("_loaded_at", Timestamp.valueOf("2025-01-01 00:00:00").toString());
            r.put("_mapping_id", "fixture");
            bronze.add(r);
        }
        Dataset<Row> batch = spark.createDataFrame(
                FixtureRows.rows(StageSchemas.bronze(family), bronze, cf.defaults(), file.toString()),
                StageSchemas.bronze(family));
        Mapping mapping = new Mapping("fixture", family.id(), "fixture", "*", "csv", null, null, null, null,
                Map.of(), Map.of(), Map.of(), Map.of(), null);
        Dataset<Row> parsed = Normalisation.parse(batch, family, mapping);
        Dataset<Row> checked = QualityEvaluation.apply(parsed, family, rules, (table, column) -> {
            Map<String, List<Object>> t = cf.references().get(table.id());
            if (t == null) {
                return null;
            }
            List<String> values = t.getOrDefault(column, List.of()).stream().map(String::valueOf).toList();
            return spark.createDataset(values, Encoders.STRING()).toDF(column);
        });
        return checked.select(lit(family.id()).as("family"), col("_record_number"),
                transform(concat(col("_reasons"), col("_warnings")), x -> x.getField("check")).as("checks"));
    }
}
