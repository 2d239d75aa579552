package org.crosscheck.validate;

/**
 * Row accounting of one family in one run. The books balance when
 * {@code read == inserted + updated + unchanged + superseded + quarantined + duplicates}; {@code warnings} is not
 * a category (it counts kept rows, i.e. not quarantined, that carry at least one warning).
 *
 * @param read        bronze rows of the loads validated (counted independently of the classification)
 * @param inserted    winners whose key was new to the cleaned table
 * @param updated     winners that replaced a stored row with different content
 * @param unchanged   winners identical to the stored row (no write)
 * @param superseded  valid rows that lost to a later record of the same key (same batch, or for the civil
 *                    registry a stored record with a later {@code updated_at})
 * @param quarantined rows with at least one error
 * @param duplicates  valid rows identical (key and content) to a later row of the same batch
 * @param warnings    kept rows with at least one warning
 */
public record RowCounts(long read, long inserted, long updated, long unchanged, long superseded, long quarantined,
                        long duplicates, long warnings) {

    public static final RowCounts EMPTY = new RowCounts(0, 0, 0, 0, 0, 0, 0, 0);

    /** Rows that were given an outcome. */
    public long accounted() {
        return inserted + updated + unchanged + superseded + quarantined + duplicates;
    }

    /** Rows the clean side accounts for (inserted, updated, unchanged, superseded). */
    public long clean() {
        return inserted + updated + unchanged + superseded;
    }

    public boolean balanced() {
        return read == accounted();
    }
}
