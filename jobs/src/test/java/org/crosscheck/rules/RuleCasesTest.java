package org.crosscheck.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.crosscheck.SmallQueryTests;
import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.linkage.DuplicateIdentityRule;
import org.crosscheck.screen.ScreeningRule;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of every fixture file under {@code rules/}: the screening rules' cases
 * ({@code rules/screening/<id>.fixtures.yaml}) and the quality checks' examples
 * ({@code rules/quality/<family>.fixtures.yaml}). A rule file without a fixture file is a failing test. Nothing here
 * names a rule: a new rule file with its fixture file is picked up as it is.
 */
class RuleCasesTest extends SmallQueryTests {
    /** Rule files without fixtures yet: none. */
    static final Set<String> WITHOUT_FIXTURES_FOR_NOW = Set.of();

    @TestFactory
    Stream<DynamicNode> everyCaseOfEveryRuleFile() {
        Path rules = repoRoot().resolve("rules");
        Path screening = rules.resolve("screening");
        return Stream.of(DynamicContainer.dynamicContainer("screening", screening(screening,
                        javaRules(screening), WITHOUT_FIXTURES_FOR_NOW)),
                DynamicContainer.dynamicContainer("quality", quality(rules.resolve("quality"))));
    }

    /**
     * The Java rules the CLI screens beside the rule files (as ScreenCommand.javaRules). Those with a fixture file in
     * the folder run its cases; the anomaly rules are tested in Java (IsolationForestRuleTest).
     */
    static List<ScreeningRule> javaRules(Path screeningFolder) {
        List<ScreeningRule> rules = new ArrayList<>(AnomalyRules.all());
        rules.addAll(DuplicateIdentityRule.rules(screeningFolder.toString()));
        return rules;
    }

    /** One container per rule file of the folder, with one test per case and a test that the fixture file exists. */
    static Stream<DynamicNode> screening(Path folder, Set<String> exempt) {
        return screening(folder, List.of(), exempt);
    }

    static Stream<DynamicNode> screening(Path folder, List<ScreeningRule> javaRules, Set<String> exempt) {
        List<ScreeningCases.Outcome> outcomes = ScreeningCases.run(spark(), ScreeningCases.load(spark(), folder,
                javaRules));
        Map<String, List<ScreeningCases.Outcome>> byRule = new LinkedHashMap<>();
        ScreeningCases.ruleIds(folder).forEach(id -> byRule.put(id, new ArrayList<>()));
        javaRules.stream().filter(r -> Files.isRegularFile(ScreeningCases.fixtureFile(folder, r.id())))
                .forEach(r -> byRule.put(r.id(), new ArrayList<>()));
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
                assertEquals(List.of(), ScreeningCases.orphanFixtures(folder, javaRules))));
        return nodes.stream();
    }

    /**
     * docs/screening-rules.md adds a rule with a rule file and a fixture file only: its two YAML blocks, written into
     * an empty folder as they stand, are loaded and their cases run and pass; a wrong expectation in the same fixture
     * fails its case and says why.
     */
    @Test
    void aRuleAndItsFixtureFileFromTheDocsRunWithNoJavaChange() throws IOException {
        Path folder = tempDir("new-rule");
        Matcher m = Pattern.compile("```yaml\n# rules/screening/([a-z_.]+)\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(repoRoot().resolve("docs/screening-rules.md")));
        List<String> written = new ArrayList<>();
        while (m.find()) {
            Files.writeString(folder.resolve(m.group(1)), m.group(2));
            written.add(m.group(1));
        }
        assertEquals(List.of("large_single_payment.yaml", "large_single_payment.fixtures.yaml"), written);

        List<ScreeningCases.Outcome> outcomes = ScreeningCases.run(spark(), ScreeningCases.load(spark(), folder));
        assertEquals(List.of("paymentAboveTheLimitIsFlagged", "paymentAtTheLimitIsNotFlagged",
                "aDeploymentMayRaiseTheLimit"), outcomes.stream().map(ScreeningCases.Outcome::name).toList());
        outcomes.forEach(o -> assertNull(o.failure(), o.failure()));
        List<DynamicNode> nodes = screening(folder, Set.of()).toList();
        assertEquals("large_single_payment", nodes.get(0).getDisplayName());

        Path fixture = folder.resolve("large_single_payment.fixtures.yaml");
        Files.writeString(fixture, Files.readString(fixture).replace("amount: 25000.00,\n", "amount: 2500.00,\n"));
        ScreeningCases.Outcome wrong = ScreeningCases.run(spark(), ScreeningCases.load(spark(), folder)).get(0);
        assertNotNull(wrong.failure());
        assertTrue(wrong.failure().contains("amount expected 2500") && wrong.failure().contains("got 25000.00"), wrong.failure());
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
