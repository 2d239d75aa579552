package org.crosscheck.validate;

import java.util.Locale;

/**
 * What happened to one bronze row in a validation run. Every row read gets exactly one outcome, so
 * {@code read = inserted + updated + unchanged + superseded + quarantined + duplicate} (see docs/validation.md).
 */
public enum Outcome {
    /** Failed an error-level check, did not parse, or was a malformed line: written to quarantine. */
    QUARANTINED,
    /** Same business key and same content as a later row of the same batch: dropped, counted. */
    DUPLICATE,
    /**
     * Valid, but lost to a later record of the same business key: a later row in the same batch, or (civil
     * registry only) a clean record with a later {@code updated_at}. Not written.
     */
    SUPERSEDED,
    /** The winning record of a key not yet in the cleaned table: inserted. */
    INSERTED,
    /** The winning record of a key in the cleaned table, with different content: the cleaned row is replaced. */
    UPDATED,
    /** The winning record of a key in the cleaned table, with the same content ({@code _row_hash}): no write. */
    UNCHANGED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
