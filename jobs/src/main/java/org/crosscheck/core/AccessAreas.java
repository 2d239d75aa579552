package org.crosscheck.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Separates who may read what on a local (POSIX) warehouse, applied after every command:
 * <table>
 *   <tr><th>area</th><th>who</th><th>folders / files</th></tr>
 *   <tr><td>{@code bronze/}, {@code clean/}, {@code quarantine/}, {@code meta/}</td><td>engineers (the service
 *       account that runs CrossCheck)</td><td>0700 / 0600</td></tr>
 *   <tr><td>{@code screening/} and the exports folder</td><td>risk officers (group, assigned once with chgrp)</td>
 *       <td>0750 / 0640</td></tr>
 *   <tr><td>{@code analyst/}</td><td>analysts (group, assigned once)</td><td>0750 / 0640</td></tr>
 *   <tr><td>the warehouse root</td><td>everyone may pass through, nobody may list</td><td>0711</td></tr>
 * </table>
 * Nothing is world-readable. The group of a folder is the administrator's choice (for example {@code chgrp -R
 * cc-analysts warehouse/analyst}); the permissions here only make sure a rewrite by Delta does not widen them.
 * On HDFS and object stores the same split is made with ACLs and bucket policies (see docs/design.md); there this
 * does nothing.
 */
public final class AccessAreas {
    private static final Logger LOG = LoggerFactory.getLogger(AccessAreas.class);
    static final String PRIVATE_DIR = "rwx------";
    static final String PRIVATE_FILE = "rw-------";
    static final String GROUP_DIR = "rwxr-x---";
    static final String GROUP_FILE = "rw-r-----";
    private static final List<String> ENGINEER_AREAS = List.of("bronze", "clean", "quarantine", "meta");
    private static final List<String> GROUP_AREAS = List.of("screening", "analyst");

    private AccessAreas() {
    }

    /** Applies the permissions; a local path that is not POSIX (or a remote one) is left alone. Never throws. */
    public static void apply(CrossCheckConfig config) {
        try {
            String warehouse = config.storage().warehouse();
            if (!ConfigLoader.hasScheme(warehouse) && posix(Path.of(warehouse))) {
                Path root = Path.of(warehouse);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
                for (String a : ENGINEER_AREAS) {
                    restrict(root.resolve(a), PRIVATE_DIR, PRIVATE_FILE);
                }
                for (String a : GROUP_AREAS) {
                    restrict(root.resolve(a), GROUP_DIR, GROUP_FILE);
                }
            }
            String exports = config.storage().exports();
            if (!ConfigLoader.hasScheme(exports) && posix(Path.of(exports))) {
                restrict(Path.of(exports), GROUP_DIR, GROUP_FILE);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not restrict permissions of the warehouse areas: {}", e.toString());
        }
    }

    /** The permissions of each area, for the docs and the run log. */
    public static Map<String, String> policy() {
        return Map.of("bronze, clean, quarantine, meta", PRIVATE_DIR + " / " + PRIVATE_FILE,
                "screening, exports", GROUP_DIR + " / " + GROUP_FILE, "analyst", GROUP_DIR + " / " + GROUP_FILE);
    }

    private static boolean posix(Path p) {
        return Files.exists(p) && Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null;
    }

    private static void restrict(Path area, String dir, String file) throws IOException {
        if (!Files.isDirectory(area)) {
            return;
        }
        Set<PosixFilePermission> d = PosixFilePermissions.fromString(dir);
        Set<PosixFilePermission> f = PosixFilePermissions.fromString(file);
        try (Stream<Path> s = Files.walk(area)) {
            for (Path p : s.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? d : f);
            }
        }
    }
}
