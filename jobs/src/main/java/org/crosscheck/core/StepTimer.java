package org.crosscheck.core;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times one step of a stage and logs one INFO line when it ends, e.g.
 * {@code validate benefit_payment: 18,929 rows in 12.3 s (14 Spark jobs)}. The Spark job count comes from a
 * listener registered once per SparkContext; it counts every job of the context, so steps running concurrently
 * would share counts (CrossCheck runs its steps one after the other).
 *
 * <pre>{@code
 * try (StepTimer step = StepTimer.start(spark, "validate " + family.id())) {
 *     ...
 *     step.rows(n);
 * }
 * }</pre>
 */
public final class StepTimer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepTimer.class);
    private static final AtomicLong JOBS = new AtomicLong();
    private static SparkContext registeredOn;

    private final String name;
    private final long startNanos = System.nanoTime();
    private final long startJobs;
    private long rows = -1;
    private String detail;

    private StepTimer(String name) {
        this.name = name;
        this.startJobs = JOBS.get();
    }

    /** Starts timing a step; registers the job counter on the session's context if not done yet. */
    public static StepTimer start(SparkSession spark, String name) {
        register(spark);
        return new StepTimer(name);
    }

    /** Spark jobs started in this JVM since the counter was registered. */
    public static long jobsSoFar() {
        return JOBS.get();
    }

    /** Registers the job counter on the session's SparkContext once. */
    public static synchronized void register(SparkSession spark) {
        SparkContext sc = spark.sparkContext();
        if (registeredOn != sc) {
            sc.addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart jobStart) {
                    JOBS.incrementAndGet();
                }
            });
            registeredOn = sc;
        }
    }

    /** The rows the step handled, shown in the log line. */
    public StepTimer rows(long n) {
        this.rows = n;
        return this;
    }

    /** Extra words for the log line (e.g. "nothing pending"). */
    public StepTimer detail(String text) {
        this.detail = text;
        return this;
    }

    /** Seconds since the step started. */
    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() {
        long jobs = JOBS.get() - startJobs;
        StringBuilder sb = new StringBuilder(name).append(": ");
        if (rows >= 0) {
            sb.append(String.format(Locale.ROOT, "%,d rows in ", rows));
        }
        sb.append(String.format(Locale.ROOT, "%.1f s (%d Spark job%s)", seconds(), jobs, jobs == 1 ? "" : "s"));
        if (detail != null) {
            sb.append(", ").append(detail);
        }
        LOG.info("{}", sb);
    }
}
