package org.crosscheck.review;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises the writers of the exception list and the review log of one warehouse: a screening run's merge, review
 * imports, the review workspace. An operating-system file lock on {@code <warehouse>/screening/.review.lock}: another
 * process waits until it is free; a process that dies releases it with its file handles, so no stale lock survives a
 * crash. Holders are short (one merge or one import). Within one JVM a {@link java.util.concurrent.locks.ReentrantLock}
 * serialises threads (a file lock is per process).
 *
 * <p>Only a local (or NFS with working locks) warehouse can be locked this way; for a warehouse with a scheme
 * ({@code hdfs://}, {@code s3a://}) writers rely on Delta's optimistic concurrency alone and a warning says so.
 */
public final class ReviewLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewLock.class);
    private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();

    private final FileChannel channel;
    private final FileLock lock;

    private ReviewLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for the lock; {@code holder} is written into the lock file for whoever looks. */
    public static ReviewLock acquire(Tables tables, String holder) {
        IN_PROCESS.lock();
        if (IN_PROCESS.getHoldCount() > 1) {
            return new ReviewLock(null, null); // this thread holds it already
        }
        if (ConfigLoader.hasScheme(tables.warehouse()) && !tables.warehouse().startsWith("file:")) {
            LOG.warn("Warehouse {} is not on a local file system: review writers are not serialised by a lock",
                    tables.warehouse());
            return new ReviewLock(null, null);
        }
        Path file = Path.of(tables.warehouse().replaceFirst("^file:", "")).resolve("screening").resolve(".review.lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                LOG.info("Waiting for the review lock {} (held by another process)", file);
                l = ch.lock();
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((holder + " since " + Instant.now() + " (pid "
                    + ProcessHandle.current().pid() + ")\n").getBytes(StandardCharsets.UTF_8)));
            return new ReviewLock(ch, l);
        } catch (IOException e) {
            IN_PROCESS.unlock();
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // the lock is released with the channel
            }
            throw new UncheckedIOException("cannot take the review lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("Releasing the review lock: {}", e.getMessage());
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
