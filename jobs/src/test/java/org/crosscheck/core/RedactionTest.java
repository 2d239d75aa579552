package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void identityAndAccountNumbersAreWithheldFileNamesDatesAndHashesAreKept() {
        assertEquals("file landing/JF_20251231.csv line 7: '<number withheld>' and '<number withheld>' (account"
                        + " <number withheld>) at 20250401120000, load R1-001-0d610ac1, hash 3fa1c0ffee",
                Redaction.identities("file landing/JF_20251231.csv line 7: '11010519491231002X' and '110105491231002'"
                        + " (account 6222020200112233445) at 20250401120000, load R1-001-0d610ac1, hash 3fa1c0ffee"));
    }
}
