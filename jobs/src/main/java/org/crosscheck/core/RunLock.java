package org.crosscheck.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per warehouse. The lock is a small file, {@code <warehouse>/meta/run.lock}, created
 * exclusively (an atomic create-if-absent: {@code O_EXCL} on a local disk, the NameNode's create on HDFS) and
 * holding run id, command, host, process id, start time and a heartbeat the holder rewrites every quarter of the
 * stale time. Edges:
 * <ul>
 *   <li>a second run finds the file and is refused with {@link ExitCode#WAREHOUSE_BUSY}, naming the holder and
 *       since when;</li>
 *   <li>a lock whose holder is dead (same host and its process is gone, or no heartbeat for
 *       {@code run.lock_stale_after_seconds}) is taken over: the stale file is first renamed to a name only this
 *       run uses (an atomic rename that only one contender can win) and checked to still be the dead run's
 *       before it is deleted, so two runs taking over at once cannot both win;</li>
 *   <li>a holder that finds its lock taken over (it was paused longer than the stale time) stops its heartbeat
 *       and logs an error; it does not overwrite the new holder's lock.</li>
 * </ul>
 * On object stores without an atomic create-if-absent (plain S3) the lock narrows the window but cannot close it.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    public static final String FILE = "meta/run.lock";

    private final Store store;
    private final Holder mine;
    private final Thread heartbeat;
    private volatile boolean held = true;

    /** Who holds a lock. */
    public record Holder(String runId, String command, String host, long pid, Instant started, Instant heartbeat) {
        String text() {
            return "run_id=" + runId + "\ncommand=" + command + "\nhost=" + host + "\npid=" + pid + "\nstarted=" + started
                    + "\nheartbeat=" + heartbeat + "\n";
        }

        Holder beat() {
            return new Holder(runId, command, host, pid, started, Instant.now());
        }

        static Holder parse(String text) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
                return new Holder(p.getProperty("run_id"), p.getProperty("command"), p.getProperty("host"),
                        Long.parseLong(p.getProperty("pid")), Instant.parse(p.getProperty("started")),
                        Instant.parse(p.getProperty("heartbeat")));
            } catch (IOException | RuntimeException e) {
                return null; // half-written by a run killed while creating it: judged by the file's age
            }
        }

        String describe() {
            return "run " + runId + " (" + command + ", host " + host + ", pid " + pid + ") since " + started
                    + ", last heartbeat " + heartbeat;
        }
    }

    private RunLock(Store store, Holder mine, Duration stale) {
        this.store = store;
        this.mine = mine;
        long every = Math.max(1000, stale.toMillis() / 4);
        this.heartbeat = new Thread(() -> {
            while (held) {
                try {
                    Thread.sleep(every);
                    String now = store.read();
                    Holder h = now == null ? null : Holder.parse(now);
                    if (h == null || !mine.runId().equals(h.runId())) {
                        LOG.error("run lock {} was taken over by {}; this run no longer holds the warehouse",
                                store.describe(), h == null ? "nobody" : h.describe());
                        held = false;
                        return;
                    }
                    store.overwrite(mine.beat().text());
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("run lock heartbeat failed: {}", e.toString());
                }
            }
        }, "run-lock-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /**
     * Takes the warehouse's run lock or throws {@link ExitCode#WAREHOUSE_BUSY} naming the holder.
     *
     * @param staleAfterSeconds a lock without heartbeat for this long belongs to a dead run
     */
    public static RunLock acquire(Configuration conf, String warehouse, String runId, String command,
                                  int staleAfterSeconds) {
        Store store = Store.of(conf, warehouse + "/" + FILE);
        Duration stale = Duration.ofSeconds(staleAfterSeconds);
        Holder mine = new Holder(runId, command, host(), ProcessHandle.current().pid(), Instant.now(), Instant.now());
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                if (store.createExclusive(mine.text())) {
                    LOG.info("run lock {} taken by run {}", store.describe(), runId);
                    return new RunLock(store, mine, stale);
                }
                String text = store.read();
                if (text == null) {
                    continue; // released meanwhile
                }
                Holder h = Holder.parse(text);
                String why = deadReason(h, store.modified(), stale);
                if (why == null) {
                    throw new CrossCheckException(ExitCode.WAREHOUSE_BUSY, "warehouse " + warehouse
                            + " is in use by " + (h == null ? "a run whose lock is being written" : h.describe())
                            + "; nothing was done. Wait for that run to end. A lock"
                            + " left by a killed run is taken over automatically once its process is gone (same host)"
                            + " or after " + staleAfterSeconds + " s without heartbeat (" + store.describe() + ")");
                }
                if (store.takeOver(text, runId)) {
                    LOG.warn("run lock {}: taking over from {}: {}", store.describe(),
                            h == null ? "an unreadable lock" : h.describe(), why);
                }
            }
        } catch (IOException e) {
            throw CrossCheckException.internal("cannot take the run lock " + store.describe() + ": " + e.getMessage());
        }
        throw new CrossCheckException(ExitCode.WAREHOUSE_BUSY, "warehouse " + warehouse
                + ": another run took the run lock " + store.describe() + " at the same moment; nothing was done");
    }

    /** Why the holder is dead, or null when it may be alive. */
    static String deadReason(Holder h, Instant modified, Duration stale) {
        Instant now = Instant.now();
        if (h == null) {
            return modified != null && Duration.between(modified, now).compareTo(stale) > 0
                    ? "unreadable lock file older than " + stale.toSeconds() + " s" : null;
        }
        if (h.host().equals(host()) && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true)) {
            return "its process " + h.pid() + " on this host is gone";
        }
        if (Duration.between(h.heartbeat(), now).compareTo(stale) > 0) {
            return "no heartbeat since " + h.heartbeat() + " (more than " + stale.toSeconds() + " s)";
        }
        return null;
    }

    /** Whether this run still holds the lock (false after another run took it over). */
    public boolean held() {
        return held;
    }

    @Override
    public void close() {
        held = false;
        heartbeat.interrupt();
        try {
            String now = store.read();
            Holder h = now == null ? null : Holder.parse(now);
            if (h != null && mine.runId().equals(h.runId())) {
                store.delete();
                LOG.info("run lock {} released by run {}", store.describe(), mine.runId());
            }
        } catch (IOException e) {
            LOG.warn("could not release the run lock {}: {}", store.describe(), e.toString());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** The lock file on a local disk (java.nio) or a Hadoop file system. */
    abstract static class Store {
        static Store of(Configuration conf, String path) {
            return ConfigLoader.hasScheme(path) ? new HadoopStore(conf, new Path(path))
                    : new LocalStore(java.nio.file.Path.of(path.startsWith("file:") ? java.net.URI.create(path).getPath() : path));
        }

        abstract boolean createExclusive(String text) throws IOException;

        abstract String read() throws IOException;

        abstract Instant modified() throws IOException;

        abstract void overwrite(String text) throws IOException;

        abstract void delete() throws IOException;

        /** Moves the lock aside if it still holds {@code expected}, then deletes it; false if another run won. */
        abstract boolean takeOver(String expected, String runId) throws IOException;

        abstract String describe();
    }

    static final class LocalStore extends Store {
        private final java.nio.file.Path file;

        LocalStore(java.nio.file.Path file) {
            this.file = file;
        }

        @Override
        boolean createExclusive(String text) throws IOException {
            Files.createDirectories(file.getParent());
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override
        String read() throws IOException {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override
        Instant modified() throws IOException {
            try {
                return Files.getLastModifiedTime(file).toInstant();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override
        void overwrite(String text) throws IOException {
            java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        void delete() throws IOException {
            Files.deleteIfExists(file);
        }

        @Override
        boolean takeOver(String expected, String runId) throws IOException {
            java.nio.file.Path aside = file.resolveSibling(file.getFileName() + ".stale-" + runId);
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return false;
            }
            String moved = Files.readString(aside, StandardCharsets.UTF_8);
            if (!moved.equals(expected)) {
                // a live run's lock: put it back (it re-creates it on its next heartbeat otherwise)
                try {
                    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    LOG.warn("run lock: could not restore {}: {}", file, e.toString());
                }
                return false;
            }
            Files.delete(aside);
            return true;
        }

        @Override
        String describe() {
            return file.toString();
        }
    }

    static final class HadoopStore extends Store {
        private final FileSystem fs;
        private final Path file;

        HadoopStore(Configuration conf, Path file) {
            this.file = file;
            try {
                this.fs = file.getFileSystem(conf);
            } catch (IOException e) {
                throw CrossCheckException.config("run lock: cannot reach " + file + ": " + e.getMessage());
            }
        }

        @Override
        boolean createExclusive(String text) throws IOException {
            fs.mkdirs(file.getParent());
            try (OutputStream out = fs.create(file, false)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                return true;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                if (fs.exists(file)) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        String read() throws IOException {
            try (InputStream in = fs.open(file)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (java.io.FileNotFoundException e) {
                return null;
            }
        }

        @Override
        Instant modified() throws IOException {
            try {
                return Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
            } catch (java.io.FileNotFoundException e) {
                return null;
            }
        }

        @Override
        void overwrite(String text) throws IOException {
            try (OutputStream out = fs.create(file, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        void delete() throws IOException {
            fs.delete(file, false);
        }

        @Override
        boolean takeOver(String expected, String runId) throws IOException {
            Path aside = new Path(file.getParent(), file.getName() + ".stale-" + runId);
            if (!fs.rename(file, aside)) {
                return false;
            }
            String moved;
            try (InputStream in = fs.open(aside)) {
                moved = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!moved.equals(expected)) {
                fs.rename(aside, file);
                return false;
            }
            fs.delete(aside, false);
            return true;
        }

        @Override
        String describe() {
            return file.toString();
        }
    }
}
