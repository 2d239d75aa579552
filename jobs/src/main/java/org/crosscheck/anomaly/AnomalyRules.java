package org.crosscheck.anomaly;

import java.util.List;

import org.crosscheck.screen.ScreeningRule;

/**
 * The screening rules written in Java, for the CLI:
 * {@code ScreeningEngine.load(spark, config.screening(), AnomalyRules.all())}. Each takes part in the
 * enabled/disabled selection and takes its parameter overrides from {@code screening.parameters.<id>}.
 */
public final class AnomalyRules {
    private AnomalyRules() {
    }

    /** Every Java screening rule with its default parameters. */
    public static List<ScreeningRule> all() {
        return List.of(new IsolationForestRule());
    }
}
