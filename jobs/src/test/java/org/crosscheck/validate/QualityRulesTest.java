package org.crosscheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityRulesTest {
    @TempDir
    static Path scratch;


    @Test
    void everyFamilysRuleFileInTheRepositoryLoads() {
        Path folder = RepoRoot.path().resolve("rules/quality");
        Set<String> kinds = new java.util.HashSet<>();
        for (SourceFamily f : SourceFamily.values()) {
            QualityRules rules = QualityRules.load(folder, f);
            assertFalse(rules.checks().isEmpty(), f.id());
            rules.checks().forEach(c -> kinds.add(c.check()));
        }
        Set<String> all = CheckKind.ids().stream()
                .collect(Collectors.toSet());
        assertEquals(all, kinds, "the shipped rules use every check kind");
    }

    @Test
    void problemsAreReportedTogetherWithCheckNames() throws Exception {
        Path dir = Files.createTempDirectory(scratch, "rules");
        Files.writeString(dir.resolve("contribution.yaml"), """
                family: contribution
                checks:
                  - name: a
                    criticality: fatal
                    check: not_blank
                    fields: [no_such_field]
                    message: m
                  - name: b
                    criticality: error
                    check: sounds_good
                    fields: [scheme]
                    message: m
                  - name: c
                    criticality: warn
                    check: pattern
                    fields: [scheme]
                    message: m
                """);
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> QualityRules.load(dir, SourceFamily.CONTRIBUTION));
        String msg = e.getMessage();
        assertTrue(msg.contains("contribution.yaml"), msg);
        assertTrue(msg.contains("(a): criticality must be error or warn"), msg);
        assertTrue(msg.contains("(a): field 'no_such_field'"), msg);
        assertTrue(msg.contains("(b): check 'sounds_good'"), msg);
        assertTrue(msg.contains("(c): arguments.pattern is required"), msg);
    }

    @Test
    void unknownKeyInARuleFileIsNamed() throws Exception {
        Path dir = Files.createTempDirectory(scratch, "rules");
        Files.writeString(dir.resolve("enrollment.yaml"), "family: enrollment\nchecks:\n  - name: a\n    severity: error\n");
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> QualityRules.load(dir, SourceFamily.ENROLLMENT));
        assertTrue(e.getMessage().contains("severity"), e.getMessage());
    }

    @Test
    void missingFileMeansNoDeclaredChecks() throws Exception {
        Path dir = Files.createTempDirectory(scratch, "rules");
        assertTrue(QualityRules.load(dir, SourceFamily.ENROLLMENT).checks().isEmpty());
    }

    /** Repository root without starting Spark. */
    static final class RepoRoot extends SparkTestSupport {
        static Path path() {
            return repoRoot();
        }
    }
}
