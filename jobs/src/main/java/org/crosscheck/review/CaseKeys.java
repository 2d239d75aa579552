package org.crosscheck.review;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.screen.RuleFiles;
import org.crosscheck.screen.ScreeningRule;

/** Rule id to the rule's case-key columns ({@link ScreeningRule#caseKey()}), for migrating an old exception list. */
public final class CaseKeys {
    private CaseKeys() {
    }

    public static Map<String, List<String>> of(List<? extends ScreeningRule> rules) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        rules.forEach(r -> keys.put(r.id(), r.caseKey()));
        return keys;
    }

    /** The shipped Java rules and every rule file of the configuration (read, not run: no Spark needed). */
    public static Map<String, List<String>> fromConfig(CrossCheckConfig.ScreeningSettings settings) {
        List<ScreeningRule> rules = new ArrayList<>(AnomalyRules.all());
        rules.addAll(RuleFiles.load(Path.of(settings.screeningRules())));
        return of(rules);
    }
}
