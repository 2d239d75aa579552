package org.crosscheck.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.crosscheck.core.CrossCheckException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file and logins: no Spark. */
class UsersTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("users.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void aBadEntryIsNamedWithTheFileAndTheUser() throws Exception {
        String hash = Users.hash("pw");
        Path f = file("users:\n  - {name: li.wei, role: boss, password_hash: \"" + hash + "\"}\n");
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> Users.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("li.wei")
                && e.getMessage().contains("role 'boss'"), e.getMessage());
        Path plain = file("users:\n  - {name: li.wei, role: supervisor, password_hash: secret}\n");
        assertTrue(assertThrows(CrossCheckException.class, () -> Users.load(plain)).getMessage().contains("bcrypt"));
        Path noRegions = file("users:\n  - {name: li.wei, role: risk_officer, password_hash: \"" + hash + "\"}\n");
        assertTrue(assertThrows(CrossCheckException.class, () -> Users.load(noRegions)).getMessage().contains("regions"));
    }

    @Test
    void aRiskOfficerSeesTheRegionsUnderTheirPrefixesAndRepeatedFailuresLockTheName() throws Exception {
        Users users = Users.load(file("users:\n  - {name: Li.Wei, role: risk_officer, regions: [\"4401\"], password_hash: \""
                + Users.hash("right") + "\"}\n"));
        Users.User u = users.authenticate("li.wei", "right").orElseThrow();
        assertTrue(u.seesRegion("440106"));
        assertFalse(u.seesRegion("310104"));
        assertFalse(u.seesRegion(null));
        for (int i = 0; i < Users.FREE_FAILURES; i++) {
            assertTrue(users.authenticate("li.wei", "wrong").isEmpty());
        }
        assertTrue(users.locked("li.wei"));
        assertTrue(users.authenticate("li.wei", "right").isEmpty(), "locked: even the right password waits");
        assertEquals(Users.Role.RISK_OFFICER, u.role());
    }
}
