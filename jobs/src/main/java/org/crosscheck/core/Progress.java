package org.crosscheck.core;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long command, one stage at a time: "stage 2 of 7 validate". On a terminal
 * ({@code System.console() != null}) a status line counts the elapsed seconds and Spark jobs while the stage runs
 * and is replaced by the stage's result (rows, seconds) when it ends; otherwise (a scheduler, a pipe, a log file)
 * it writes plain log lines, one when the stage starts and one when it ends, and nothing in between.
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final int n;
    private final int of;
    private final String name;
    private final long startNanos = System.nanoTime();
    private final PrintWriter terminal;
    private final ScheduledExecutorService ticker;
    private final long startJobs;
    private long rows = -1;

    private Progress(SparkSession spark, int n, int of, String name, PrintWriter terminal) {
        this.n = n;
        this.of = of;
        this.name = name;
        StepTimer.register(spark);
        this.terminal = terminal;
        this.startJobs = StepTimer.jobsSoFar();
        if (terminal != null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "crosscheck-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
            LOG.info("stage {} of {}: {} started", n, of, name);
        }
    }

    /** Starts stage {@code n} of {@code of}. */
    public static Progress stage(SparkSession spark, int n, int of, String name) {
        Console console = System.console();
        return new Progress(spark, n, of, name, console == null ? null : console.writer());
    }

    /** The rows the stage handled, shown when it ends. */
    public Progress rows(long count) {
        this.rows = count;
        return this;
    }

    private synchronized void tick() {
        terminal.printf(Locale.ROOT, "\r[%d/%d] %s ... %.0f s, %d Spark jobs ", n, of, name, seconds(),
                StepTimer.jobsSoFar() - startJobs);
        terminal.flush();
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The line shown when the stage ends. */
    String doneLine() {
        long jobs = StepTimer.jobsSoFar() - startJobs;
        return String.format(Locale.ROOT, "stage %d of %d: %s done%s in %.1f s (%d Spark job%s)", n, of, name,
                rows >= 0 ? String.format(Locale.ROOT, ", %,d rows", rows) : "", seconds(), jobs, jobs == 1 ? "" : "s");
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            synchronized (this) {
                terminal.printf("\r%s%n", doneLine() + " ".repeat(20));
                terminal.flush();
            }
        } else {
            LOG.info("{}", doneLine());
        }
    }
}
