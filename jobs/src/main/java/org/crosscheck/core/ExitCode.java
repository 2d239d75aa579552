package org.crosscheck.core;

/**
 * Process exit codes, documented for schedulers. The JVM's own failure code 1 is never produced on purpose,
 * so a scheduler can tell a crash of the JVM from an outcome CrossCheck chose.
 */
public enum ExitCode {
    /** The stage finished and found nothing that needs review. */
    SUCCESS(0),
    /** Bad command line or configuration (unknown key, missing path, bad value); no Spark work was done. */
    USAGE(2),
    /** An input file cannot be read as its mapping says (missing mapped column, undecodable bytes, missing file). */
    BAD_INPUT(3),
    /** Something went wrong inside CrossCheck (including row accounting that does not balance). */
    INTERNAL_FAILURE(4),
    /** The stage finished and the exception list holds findings awaiting review (new or open). */
    FINDINGS_PRESENT(5),
    /** The stage ran, but a delivery listed in {@code ingest.expected} is missing or older than allowed. */
    DELIVERY_MISSING(6),
    /** Another run holds this warehouse's run lock; nothing was done. */
    WAREHOUSE_BUSY(7);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
