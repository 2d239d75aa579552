package org.crosscheck.ingest;

import java.util.regex.Pattern;

import org.crosscheck.core.CrossCheckException;

/**
 * Keeps a mapping's {@code files} glob inside the landing folder. A mapping is data anyone delivering a layout may
 * write, so it must not be able to read {@code ../../etc/passwd}, another department's folder outside the landing
 * zone, or the warehouse: a glob with an absolute path, a scheme or drive ({@code hdfs://}, {@code file:},
 * {@code C:}) or a {@code ..} segment (also inside {@code {a,b}} alternatives) is refused as a configuration
 * error (exit code 2) before anything is listed.
 */
final class LandingPaths {
    private static final Pattern PARENT = Pattern.compile("(^|[/\\\\{,])\\.\\.($|[/\\\\},])");
    private static final Pattern SCHEME_OR_DRIVE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private LandingPaths() {
    }

    static void requireInsideLanding(String landing, Mapping mapping) {
        String glob = mapping.files();
        String why = null;
        if (glob == null || glob.isBlank()) {
            why = "is empty";
        } else if (glob.startsWith("/") || glob.startsWith("\\") || glob.startsWith("~")) {
            why = "is an absolute path";
        } else if (SCHEME_OR_DRIVE.matcher(glob).find()) {
            why = "names a file system or drive";
        } else if (PARENT.matcher(glob).find()) {
            why = "climbs out with '..'";
        }
        if (why != null) {
            throw CrossCheckException.config("mapping " + mapping.id() + ": files '" + glob + "' " + why
                    + "; it must be a glob relative to the landing folder " + landing
                    + " and stay inside it (e.g. registry/HJ_*.csv)");
        }
    }
}
