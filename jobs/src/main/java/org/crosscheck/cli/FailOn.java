package org.crosscheck.cli;

import java.util.Locale;

/** The values of {@code --fail-on} (and of {@code run.fail_on}): which screening outcome exits 5. */
enum FailOn {
    FINDINGS, NEW_FINDINGS, NEW_HIGH_SEVERITY, NEVER;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
