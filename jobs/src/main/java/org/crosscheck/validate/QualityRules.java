package org.crosscheck.validate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.SqlSandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quality checks of one source family, read from {@code <quality_rules>/<family>.yaml}. The file is checked
 * as a whole before any Spark work: unknown kinds, criticalities, fields and missing arguments are all reported
 * together, each with the check's name and the file. A missing file means "no declared checks": parse failures,
 * malformed lines and missing business keys are still quarantined.
 *
 * @param family the family id; must match the file name
 * @param checks the checks, evaluated together in one pass
 */
public record QualityRules(String family, List<QualityCheck> checks) {
    private static final Logger LOG = LoggerFactory.getLogger(QualityRules.class);

    public QualityRules {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    public static QualityRules load(Path folder, SourceFamily family) {
        Path file = folder.resolve(family.id() + ".yaml");
        if (!Files.isRegularFile(file)) {
            LOG.warn("no quality-rule file {}; only parse and structure checks apply to {}", file, family.id());
            return new QualityRules(family.id(), List.of());
        }
        QualityRules rules;
        try {
            rules = ConfigLoader.yamlMapper().readValue(file.toFile(), QualityRules.class);
        } catch (UnrecognizedPropertyException e) {
            throw CrossCheckException.config("quality rules " + file + ": unknown key '" + ConfigLoader.dotted(e)
                    + "' (known keys here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw CrossCheckException.config("quality rules " + file + ": bad value for '" + ConfigLoader.dotted(e)
                    + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CrossCheckException.config("cannot read quality rules " + file + ": " + e.getMessage());
        }
        if (rules == null) {
            return new QualityRules(family.id(), List.of());
        }
        List<String> problems = new ArrayList<>(rules.problems(family));
        rules.checks().forEach(c -> problems.addAll(SqlSandbox.qualityCheckProblems(c.name(), c.argument("sql"), c.filter(),
                Normalisation.FUNCTION_NAMES)));
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("quality rules " + file + " are invalid:\n  - "
                    + String.join("\n  - ", problems));
        }
        return rules;
    }

    /** Everything wrong with these rules for {@code family}; empty when they can run. */
    public List<String> problems(SourceFamily family) {
        List<String> problems = new ArrayList<>();
        if (family().isBlank() || !family.id().equals(family())) {
            problems.add("family is '" + family() + "' but the file is for '" + family.id() + "'");
        }
        Set<String> known = new HashSet<>(family.fieldNames());
        known.add(org.crosscheck.core.StageSchemas.nameNormColumn(family));
        known.remove(null);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < checks.size(); i++) {
            QualityCheck c = checks.get(i);
            String at = "checks[" + i + "]" + (c.name() == null ? "" : " (" + c.name() + ")");
            if (c.name() == null || c.name().isBlank()) {
                problems.add(at + ": name is required");
            } else if (!names.add(c.name())) {
                problems.add(at + ": name is used twice");
            }
            if (!"error".equals(c.criticality()) && !"warn".equals(c.criticality())) {
                problems.add(at + ": criticality must be error or warn, got '" + c.criticality() + "'");
            }
            if (c.message() == null || c.message().isBlank()) {
                problems.add(at + ": message is required");
            }
            CheckKind kind = c.kind();
            if (kind == null) {
                problems.add(at + ": check '" + c.check() + "' is not one of " + CheckKind.ids());
                continue;
            }
            for (String f : c.fields()) {
                if (!known.contains(f)) {
                    problems.add(at + ": field '" + f + "' is not a field of " + family.id() + " " + known);
                }
            }
            kind.problems(c).forEach(p -> problems.add(at + ": " + p));
        }
        return problems;
    }
}
