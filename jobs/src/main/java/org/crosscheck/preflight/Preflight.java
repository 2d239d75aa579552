package org.crosscheck.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.crosscheck.screen.RuleFiles;
import org.crosscheck.screen.ScreeningEngine;
import org.crosscheck.screen.ScreeningRule;
import org.crosscheck.validate.QualityRules;

/**
 * Checks everything a run will read before it does any work, and reports every problem at once: each mapping
 * file, each quality-rule file, each screening-rule file, the rule selection and parameter overrides (their SQL is
 * analysed against empty tables, which plans but runs no Spark job), and, for the commands that read
 * them, the landing folder, every mapping file and the expected deliveries. The configuration file itself was checked by {@link ConfigLoader} already.
 *
 * <p>Each loader's own checks are used, so this reports exactly what the stage would fail on later; a loader
 * stops at the first bad file, so files are loaded one by one here to collect all of them.
 */
public final class Preflight {
    private Preflight() {
    }

    /**
     * @param spark        a session for analysing rule SQL (no job is started)
     * @param readsLanding whether the command reads the landing folder and the mapping files (ingest, run, check)
     * @param javaRules    rules written in Java that take part in selection and overrides
     * @return every problem found, each naming its file or key; empty when all is well
     */
    public static List<String> problems(SparkSession spark, CrossCheckConfig config, boolean readsLanding,
                                        List<ScreeningRule> javaRules) {
        List<String> problems = new ArrayList<>();
        if (readsLanding) {
            problems.addAll(ConfigLoader.ingestProblems(config));
            List<Mapping> mappings = mappings(config.ingest().mappings(), problems);
            expectedDeliveries(config, mappings, problems);
        }
        for (SourceFamily f : SourceFamily.values()) {
            collect(problems, () -> QualityRules.load(Path.of(config.screening().qualityRules()), f));
        }
        int before = problems.size();
        for (Path file : yamlFiles(Path.of(config.screening().screeningRules()), problems)) {
            collect(problems, () -> RuleFiles.read(file));
        }
        if (problems.size() == before) {
            // selection, overrides and SQL analysis need every rule file to be readable
            collect(problems, () -> ScreeningEngine.load(spark, config.screening(), javaRules));
        }
        return problems;
    }

    /** Throws a configuration error listing every problem, when there is one. */
    public static void require(SparkSession spark, CrossCheckConfig config, boolean readsLanding,
                               List<ScreeningRule> javaRules) {
        List<String> problems = problems(spark, config, readsLanding, javaRules);
        if (!problems.isEmpty()) {
            throw CrossCheckException.config(problems.size() + " problem(s) found before any work was done:\n  - "
                    + String.join("\n  - ", problems.stream().map(p -> p.replace("\n", "\n    ")).toList()));
        }
    }

    private static List<Mapping> mappings(List<String> locations, List<String> problems) {
        List<Mapping> out = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (String loc : locations) {
            Path p = Path.of(loc);
            List<Path> files = Files.isDirectory(p) ? yamlFiles(p, problems) : List.of(p);
            for (Path f : files) {
                try {
                    Mapping m = MappingLoader.load(f);
                    Path other = ids.putIfAbsent(m.id(), f);
                    if (other != null) {
                        problems.add("mapping " + f + ": the id '" + m.id() + "' is also used by " + other);
                    }
                    out.add(m);
                } catch (CrossCheckException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        return out;
    }

    private static void expectedDeliveries(CrossCheckConfig config, List<Mapping> mappings, List<String> problems) {
        List<String> ids = mappings.stream().map(Mapping::id).toList();
        for (int i = 0; i < config.ingest().expected().size(); i++) {
            String id = config.ingest().expected().get(i).mapping();
            if (id != null && !ids.contains(id)) {
                problems.add("ingest.expected[" + i + "].mapping: no mapping has the id '" + id + "' (mappings: "
                        + ids + ")");
            }
        }
    }

    private static List<Path> yamlFiles(Path folder, List<String> problems) {
        if (!Files.isDirectory(folder)) {
            return List.of(); // the configuration check reports a missing folder
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().endsWith(org.crosscheck.screen.RuleFiles.FIXTURES_SUFFIX))
                    .sorted().toList();
        } catch (IOException e) {
            problems.add("cannot list " + folder + ": " + e.getMessage());
            return List.of();
        }
    }

    private static void collect(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (CrossCheckException e) {
            problems.add(e.getMessage());
        }
    }
}
