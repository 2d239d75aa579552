package org.crosscheck.core;

/** A failure with a message meant for the person running the job, and the exit code it maps to. */
public class CrossCheckException extends RuntimeException {
    private final ExitCode exitCode;

    public CrossCheckException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CrossCheckException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static CrossCheckException config(String message) {
        return new CrossCheckException(ExitCode.USAGE, message);
    }

    public static CrossCheckException badInput(String message) {
        return new CrossCheckException(ExitCode.BAD_INPUT, message);
    }

    public static CrossCheckException badInput(String message, Throwable cause) {
        return new CrossCheckException(ExitCode.BAD_INPUT, message, cause);
    }

    public static CrossCheckException internal(String message) {
        return new CrossCheckException(ExitCode.INTERNAL_FAILURE, message);
    }
}
