package org.crosscheck.screen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.crosscheck.core.CrossCheckException;

/**
 * A Java screening rule with parameters a deployment may override, like a rule file's: under
 * {@code screening.parameters.<rule id>} in the configuration. {@link ScreeningEngine#load} applies the overrides
 * with {@link #withOverrides} and reports unknown names or values of the wrong kind before any work starts.
 */
public interface ConfigurableRule extends ScreeningRule {
    /** Every parameter with its current value (the default unless overridden), in a stable order. */
    Map<String, Object> parameters();

    /** One line per parameter for a risk officer or an operator. */
    Map<String, String> parameterDescriptions();

    /**
     * The rule with these values (every parameter present). Throws {@link CrossCheckException} (configuration)
     * when a value is out of its range.
     */
    ConfigurableRule withParameters(Map<String, Object> values);

    /**
     * A copy with some parameters set; null or empty returns this rule. Each name must be a parameter and each value
     * of its default's kind (number, text, true/false, list); otherwise a configuration error names the parameter.
     */
    default ConfigurableRule withOverrides(Map<String, Object> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, Object> values = new LinkedHashMap<>(parameters());
        List<String> problems = new ArrayList<>();
        overrides.forEach((name, value) -> {
            if (!values.containsKey(name)) {
                problems.add("screening.parameters." + id() + "." + name + ": Java rule " + id()
                        + " has no parameter '" + name + "' (it has " + values.keySet() + ")");
                return;
            }
            String expected = ParameterValues.kind(values.get(name));
            String got = ParameterValues.kind(value);
            if (!expected.equals(got)) {
                problems.add("screening.parameters." + id() + "." + name + ": Java rule " + id() + " expects a "
                        + expected + ", got a " + got + " (" + value + ")");
                return;
            }
            values.put(name, value);
        });
        if (!problems.isEmpty()) {
            throw CrossCheckException.config(String.join("\n", problems));
        }
        return withParameters(values);
    }
}
