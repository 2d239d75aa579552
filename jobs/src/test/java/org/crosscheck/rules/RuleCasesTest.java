package org.crosscheck.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of every fixture file under {@code rules/}: the screening rules' cases
 * ({@code rules/screening/<id>.fixtures.yaml}) and the quality checks' examples
 * ({@code rules/quality/<family>.fixtures.yaml}). A rule file without a fixture file is a failing test. Nothing here
 * names a rule: a new rule file with its fixture file is picked up as it is.
 */
class RuleCasesTest extends SparkTestSupport {
    /**
     * Rules whose cases live elsewhere for now. duplicate_identity is being rewritten together with its Java test
     * (DuplicateIdentityRuleTest, owned by the linkage work); its fixture file comes with that rewrite.
     */
    static final Set<String> WITHOUT_FIXTURES_FOR_NOW = Set.of("duplicate_identity");

    @BeforeAll
    static void smallQueries() {
        useSmallQuerySettings();
    }

    @AfterAll
    static void restoreSettings() {
        restoreQuerySettings();
    }

    @TestFactory
    Stream<DynamicNode> everyCaseOfEveryRuleFile() {
        Path rules = repoRoot().resolve("rules");
        return Stream.of(DynamicContainer.dynamicContainer("screening", screening(rules.resolve("screening"),
                        WITHOUT_FIXTURES_FOR_NOW)),
                DynamicContainer.dynamicContainer("quality", quality(rules.resolve("quality"))));
    }

    /** One container per rule file of the folder, with one test per case and a test that the fixture file exists. */
    static Stream<DynamicNode> screening(Path folder, Set<String> exempt) {
        long t0 = System.nanoTime();
        var loaded = ScreeningCases.load(spark(), folder);
        System.err.printf("fixture timing: loaded in %d ms%n", (System.nanoTime() - t0) / 1000000);
        List<ScreeningCases.Outcome> outcomes = ScreeningCases.run(spark(), loaded);
        Map<String, List<ScreeningCases.Outcome>> byRule = new LinkedHashMap<>();
        ScreeningCases.ruleIds(folder).forEach(id -> byRule.put(id, new ArrayList<>()));
        outcomes.forEach(o -> byRule.get(o.ruleId()).add(o));
        List<DynamicNode> nodes = new ArrayList<>();
        byRule.forEach((id, cases) -> {
            List<DynamicNode> tests = new ArrayList<>();
            Path file = ScreeningCases.fixtureFile(folder, id);
            if (!exempt.contains(id)) {
                tests.add(DynamicTest.dynamicTest("has a fixture file", file.toUri(), () -> {
                    if (!Files.isRegularFile(file)) {
                        fail("rule " + id + " has no fixture file " + file + " (docs/screening-rules.md, \"Fixtures\")");
                    }
                }));
            }
            for (ScreeningCases.Outcome o : cases) {
                tests.add(DynamicTest.dynamicTest(o.name(), file.toUri(), () -> {
                    if (o.failure() != null) {
                        fail(o.failure());
                    }
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(id, tests));
        });
        nodes.add(DynamicTest.dynamicTest("every fixture file belongs to a rule file", () ->
                assertEquals(List.of(), ScreeningCases.orphanFixtures(folder))));
        return nodes.stream();
    }

    /** One container per family: a test per example row, and one for the file as a whole. */
    static Stream<DynamicNode> quality(Path folder) {
        List<DynamicNode> nodes = new ArrayList<>();
        for (QualityCases.FamilyResult fr : QualityCases.run(spark(), folder)) {
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("every check has a passing and a failing example", fr.file().toUri(),
                    () -> assertEquals(List.of(), fr.problems())));
            for (QualityCases.Outcome o : fr.outcomes()) {
                tests.add(DynamicTest.dynamicTest(o.name(), fr.file().toUri(), () -> {
                    if (o.failure() != null) {
                        fail(o.failure());
                    }
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(fr.family().id(), tests));
        }
        return nodes.stream();
    }
}
