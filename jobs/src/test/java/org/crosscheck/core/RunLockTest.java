package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @TempDir
    Path warehouse;

    private RunLock acquire(String runId) {
        return RunLock.acquire(new Configuration(), warehouse.toString(), runId, "run", 60);
    }

    @Test
    void aSecondRunIsRefusedWithTheHolderAndSinceWhen() {
        try (RunLock first = acquire("R1")) {
            CrossCheckException e = assertThrows(CrossCheckException.class, () -> acquire("R2"));
            assertEquals(ExitCode.WAREHOUSE_BUSY, e.exitCode());
            assertTrue(e.getMessage().contains("run R1 (run, host "), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(" since 20"), e.getMessage());
            assertTrue(first.held());
        }
        try (RunLock again = acquire("R3")) {
            assertTrue(again.held(), "released at the end of the first run");
        }
        assertFalse(Files.exists(warehouse.resolve(RunLock.FILE)));
    }

    @Test
    void aLockLeftByAKilledProcessOnThisHostIsTakenOver() throws IOException {
        writeLock("DEAD", InetAddress.getLocalHost().getHostName(), deadPid(), Instant.now());
        try (RunLock lock = acquire("R2")) {
            assertTrue(lock.held());
            assertTrue(Files.readString(warehouse.resolve(RunLock.FILE)).contains("run_id=R2"));
        }
    }

    @Test
    void aLockWithoutHeartbeatFromAnotherHostIsTakenOverOnlyWhenStale() throws IOException {
        writeLock("OTHER", "some-other-host", 1, Instant.now());
        assertThrows(CrossCheckException.class, () -> acquire("R2"), "a live run elsewhere keeps the lock");
        writeLock("OTHER", "some-other-host", 1, Instant.now().minusSeconds(600));
        try (RunLock lock = acquire("R3")) {
            assertTrue(lock.held());
        }
    }

    @Test
    void aHalfWrittenLockIsJudgedByItsAge() throws IOException {
        Path file = warehouse.resolve(RunLock.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "run_id=R0\nhost=");
        assertThrows(CrossCheckException.class, () -> acquire("R1"), "could be being written right now");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(600)));
        try (RunLock lock = acquire("R2")) {
            assertTrue(lock.held());
        }
    }

    private void writeLock(String runId, String host, long pid, Instant heartbeat) throws IOException {
        Path file = warehouse.resolve(RunLock.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, new RunLock.Holder(runId, "run", host, pid, heartbeat, heartbeat).text());
    }

    private static long deadPid() throws IOException {
        Process p = new ProcessBuilder("true").start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return p.pid();
    }
}
