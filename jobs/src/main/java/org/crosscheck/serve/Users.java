package org.crosscheck.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.crosscheck.core.CrossCheckException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The workspace's users, from a YAML file (see docs/review-workspace.md):
 * <pre>
 * users:
 *   - name: li.wei
 *     role: risk_officer        # risk_officer | supervisor | analyst
 *     regions: ["4401"]         # risk officers: region code prefixes they may see
 *     password_hash: "$2a$12$..." # bcrypt; make one with: crosscheck serve --hash-password
 * </pre>
 * Passwords are checked against bcrypt hashes; after {@link #FREE_FAILURES} failed logins a name is locked for a
 * time that doubles with each further failure (at most 15 minutes), and an unknown name costs the same time as a
 * known one.
 */
public final class Users {
    static final int FREE_FAILURES = 5;
    private static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder();
    /** Compared against when the name is unknown, so a wrong name takes as long as a wrong password. */
    private static final String DUMMY_HASH = BCRYPT.encode("not a password of anybody");

    /** What a user may see and do. */
    public enum Role {
        /** Cases of their regions, with identity numbers and names; may act on them. */
        RISK_OFFICER,
        /** Every region, with identities; may act. */
        SUPERVISOR,
        /** Every region, never an identity (no case page); may not act. */
        ANALYST;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Role> parse(String s) {
            for (Role r : values()) {
                if (r.code().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    public record User(String name, Role role, List<String> regions, String passwordHash) {
        public boolean seesIdentities() {
            return role != Role.ANALYST;
        }

        public boolean mayAct() {
            return role != Role.ANALYST;
        }

        /** Risk officers see the regions whose code starts with one of theirs; the others see all. */
        public boolean seesRegion(String region) {
            if (role != Role.RISK_OFFICER) {
                return true;
            }
            return region != null && regions.stream().anyMatch(region::startsWith);
        }
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Map<String, User> byName;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public Users(List<User> users) {
        Map<String, User> m = new LinkedHashMap<>();
        users.forEach(u -> m.put(u.name().toLowerCase(Locale.ROOT), u));
        this.byName = Map.copyOf(m);
    }

    /** A bcrypt hash of the password, for the users file. */
    public static String hash(String password) {
        return BCRYPT.encode(password);
    }

    /**
     * @throws CrossCheckException (configuration) naming the file and the entry when the file cannot be used
     */
    public static Users load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw CrossCheckException.config("users file " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("users");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw CrossCheckException.config("users file " + file + " has no 'users:' list");
        }
        List<User> users = new ArrayList<>();
        int i = 0;
        for (JsonNode n : list) {
            i++;
            String where = "users file " + file + ", user " + i;
            String name = n.path("name").asText("").trim();
            if (name.isEmpty()) {
                throw CrossCheckException.config(where + ": 'name' is missing");
            }
            where += " (" + name + ")";
            String roleText = n.path("role").asText("");
            Role role = Role.parse(roleText).orElseThrow(() -> CrossCheckException.config(
                    "users file " + file + ", user " + name + ": role '" + roleText
                            + "' is not one of risk_officer, supervisor, analyst"));
            String hash = n.path("password_hash").asText("").trim();
            if (!hash.matches("\\$2[aby]?\\$\\d\\d\\$.{53}")) {
                throw CrossCheckException.config(where + ": 'password_hash' is not a bcrypt hash (make one with "
                        + "'crosscheck serve --hash-password')");
            }
            List<String> regions = new ArrayList<>();
            n.path("regions").forEach(r -> regions.add(r.asText().trim()));
            if (role == Role.RISK_OFFICER && regions.isEmpty()) {
                throw CrossCheckException.config(where + ": a risk_officer needs 'regions' (region code prefixes)");
            }
            users.add(new User(name, role, List.copyOf(regions), hash));
        }
        return new Users(users);
    }

    /** The user, when the name and password match and the name is not locked by failed attempts. */
    public Optional<User> authenticate(String name, String password) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        Failures f = failures.get(key);
        if (f != null && f.lockedUntil() != null && Instant.now().isBefore(f.lockedUntil())) {
            return Optional.empty();
        }
        User u = byName.get(key);
        boolean ok = BCRYPT.matches(password == null ? "" : password, u == null ? DUMMY_HASH : u.passwordHash());
        if (ok && u != null) {
            failures.remove(key);
            return Optional.of(u);
        }
        failures.compute(key, (k, old) -> {
            int count = old == null ? 1 : old.count() + 1;
            Instant until = null;
            if (count >= FREE_FAILURES) {
                long seconds = Math.min(MAX_LOCK.toSeconds(), 30L << Math.min(20, count - FREE_FAILURES));
                until = Instant.now().plusSeconds(seconds);
            }
            return new Failures(count, until);
        });
        return Optional.empty();
    }

    /** Whether the name is locked now by failed attempts (the login page says so, without saying if it exists). */
    public boolean locked(String name) {
        Failures f = failures.get(name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
        return f != null && f.lockedUntil() != null && Instant.now().isBefore(f.lockedUntil());
    }
}
