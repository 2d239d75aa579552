package org.crosscheck.serve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.Tables;
import org.crosscheck.review.CaseMigration;
import org.crosscheck.review.CaseReview;
import org.crosscheck.review.Disposition;
import org.crosscheck.review.ReviewLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the workspace's {@link CaseSnapshot} and is its only writer. Pages read the current snapshot (no Spark). A
 * timer compares the Delta tables' latest commit versions with the snapshot's and reloads when any moved (a screening
 * run, a spreadsheet import, another server); the new snapshot replaces the old one when complete, so pages never
 * wait for a reload. A reviewer's action goes through {@link CaseReview#apply} (the review lock, the review log
 * first, revision conflicts), then the case is read again into the snapshot at once, so the reviewer sees the result;
 * a reload that had read the table before the action keeps the newer revision of such a case.
 */
public final class CaseStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaseStore.class);

    /** What became of an action: applied, unchanged, a conflict (who changed the case since) or a rejection. */
    public record Outcome(boolean applied, CaseReview.Conflict conflict, String rejected) {
    }

    private final SparkSession spark;
    private final Tables tables;
    private final CrossCheckConfig.ReviewSettings settings;
    private final Map<String, List<String>> caseKeys;
    private volatile CaseSnapshot snapshot;
    /** Cases read again after an action, and when: a reload that started earlier keeps their newer revision. */
    private final Map<String, Instant> patchedAt = new HashMap<>();
    private final Object swap = new Object();
    private ScheduledExecutorService timer;
    /** Reviewers' actions waiting for the writer ({@link #act}); the writer's monitor. */
    private final List<Pending> queue = new ArrayList<>();
    private final Object writer = new Object();
    private static final int MAX_BATCH = 200;

    public CaseStore(SparkSession spark, Tables tables, CrossCheckConfig.ReviewSettings settings,
                     Map<String, List<String>> caseKeys) {
        this.spark = spark;
        this.tables = tables;
        this.settings = settings;
        this.caseKeys = caseKeys;
        if (CaseSnapshot.hasCases(spark, tables)) {
            // an exception list of an earlier version is migrated, and a writer that died mid-action rolled forward
            try (ReviewLock lock = ReviewLock.acquire(tables, "review workspace start")) {
                CaseMigration.migrateIfNeeded(spark, tables, caseKeys);
                CaseReview.recover(spark, tables);
            }
        }
        long t0 = System.nanoTime();
        this.snapshot = CaseSnapshot.load(spark, tables);
        LOG.info("Review workspace: {} cases loaded in {} ms", snapshot.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The server's Spark settings: the configuration's master and time zone, tuned for what the server runs - one
     * reviewer's action (a few rows merged into the exception list) and a reload now and then: one shuffle
     * partition, no adaptive re-planning, interpreted expressions (no code generation per query), no Spark UI.
     */
    public static CrossCheckConfig.SparkSettings serverSettings(CrossCheckConfig.SparkSettings configured) {
        Map<String, String> conf = new HashMap<>(configured.conf());
        conf.put("spark.sql.adaptive.enabled", "false");
        conf.put("spark.sql.codegen.wholeStage", "false");
        conf.put("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        conf.put("spark.databricks.delta.snapshotPartitions", "1");
        conf.put("spark.ui.enabled", "false");
        conf.putIfAbsent("spark.driver.host", "127.0.0.1");
        return new CrossCheckConfig.SparkSettings(configured.master(), "crosscheck-serve", 1, configured.timeZone(), conf);
    }

    public CaseSnapshot snapshot() {
        return snapshot;
    }

    public List<String> dismissReasons() {
        return settings.dismissReasons();
    }

    /** Checks the table versions every {@code seconds} and reloads when they moved. */
    public void watch(double seconds) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "review-workspace-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, (long) (seconds * 1000));
        timer.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Reloads when a table's version differs from the snapshot's; returns whether it did. */
    public boolean reloadIfChanged() {
        try {
            if (CaseSnapshot.versions(spark, tables).equals(snapshot.versions)) {
                return false;
            }
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            CaseSnapshot loaded = CaseSnapshot.load(spark, tables);
            synchronized (swap) {
                List<CaseSnapshot.Case> keep = new ArrayList<>();
                Map<String, List<CaseSnapshot.LogEntry>> keepLog = new HashMap<>();
                CaseSnapshot current = snapshot;
                patchedAt.entrySet().removeIf(e -> e.getValue().isBefore(started));
                for (String id : patchedAt.keySet()) {
                    CaseSnapshot.Case mine = current.get(id);
                    CaseSnapshot.Case read = loaded.get(id);
                    if (mine != null && read != null && mine.revision() > read.revision()) {
                        keep.add(mine);
                        keepLog.put(id, current.log(id));
                    }
                }
                CaseSnapshot next = keep.isEmpty() ? loaded : loaded.patched(keep, keepLog);
                // an action during the load moved the exception list and the review log past what the load read,
                // and read its case again (kept above): only this server's actions wrote in between (see act), so
                // the snapshot is current for the later versions and needs no further reload for them
                CaseSnapshot.Versions v = loaded.versions;
                snapshot = next.at(new CaseSnapshot.Versions(Math.max(v.exceptions(), current.versions.exceptions()),
                        v.caseHistory(), Math.max(v.reviewLog(), current.versions.reviewLog()), v.rulePrecision(),
                        v.runs()));
            }
            LOG.info("Review workspace: tables changed, {} cases reloaded in {} ms", loaded.size(),
                    (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Review workspace: reload failed, the pages show the previous snapshot: {}", e.toString());
            return false;
        }
    }

    /**
     * One reviewer action on one case, made on the page that showed {@code revision}.
     *
     * @param kind confirm, dismiss, assign or reopen
     */
    public Outcome act(Users.User user, String caseId, long revision, String kind, String reason, String note,
                       String assignee) {
        Disposition disposition;
        String keepNote = note == null || note.isBlank() ? null : note;
        String newAssignee = null;
        String newReason = null;
        switch (kind) {
            case "confirm" -> disposition = Disposition.CONFIRMED;
            case "dismiss" -> {
                disposition = Disposition.DISMISSED;
                if (reason == null || reason.isBlank()) {
                    return new Outcome(false, null, "a dismissal needs a reason: choose one of the list");
                }
                newReason = reason;
            }
            case "reopen" -> disposition = Disposition.NONE;
            case "assign" -> {
                disposition = null;
                newAssignee = assignee == null ? "" : assignee;
            }
            default -> {
                return new Outcome(false, null, "unknown action '" + kind + "'");
            }
        }
        CaseReview.ReviewAction action = new CaseReview.ReviewAction(caseId, revision, disposition, newReason,
                keepNote, newAssignee, user.name(), "web");
        Pending mine = new Pending(action, new CompletableFuture<>());
        synchronized (queue) {
            queue.add(mine);
        }
        // group commit: one writer at a time applies everything queued so far in one CaseReview.apply, so reviewers
        // acting at the same moment share one review-log append and one merge instead of waiting for each other's
        while (!mine.result.isDone()) {
            synchronized (writer) {
                if (!mine.result.isDone()) {
                    applyBatch(nextBatch());
                }
            }
        }
        try {
            return mine.result.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** An action waiting for the writer, and its outcome once applied. */
    private record Pending(CaseReview.ReviewAction action, CompletableFuture<Outcome> result) {
    }

    /** The queued actions in arrival order, at most one per case (a later one on the same case waits for the next). */
    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>();
        java.util.Set<String> cases = new java.util.HashSet<>();
        synchronized (queue) {
            for (java.util.Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
                Pending p = it.next();
                if (cases.add(p.action.exceptionId())) {
                    batch.add(p);
                    it.remove();
                }
            }
        }
        return batch;
    }

    /** Applies {@code batch} in one {@link CaseReview#apply} and completes each action's outcome. */
    private void applyBatch(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<String> ids = batch.stream().map(p -> p.action.exceptionId()).toList();
        try {
            CaseReview.ApplyResult r;
            // under the review lock (CaseReview.apply takes it again, re-entrantly) nobody else writes the exception
            // list or the review log: when the snapshot was current before the batch, it is current after it with its
            // cases read again, and the batch costs no full reload (the next one re-sorts by status and assignee)
            try (ReviewLock lock = ReviewLock.acquire(tables, "review workspace action")) {
                CaseSnapshot.Versions before = CaseSnapshot.versions(spark, tables);
                r = CaseReview.apply(spark, tables, batch.stream().map(Pending::action).toList(),
                        settings.dismissReasons(), true, caseKeys);
                synchronized (swap) {
                    CaseSnapshot current = snapshot;
                    CaseSnapshot patched = CaseSnapshot.reloadCases(spark, tables, current, ids);
                    if (before.exceptions() == current.versions.exceptions()
                            && before.reviewLog() == current.versions.reviewLog()) {
                        CaseSnapshot.Versions after = CaseSnapshot.versions(spark, tables);
                        patched = patched.at(new CaseSnapshot.Versions(after.exceptions(), current.versions.caseHistory(),
                                after.reviewLog(), current.versions.rulePrecision(), current.versions.runs()));
                    }
                    snapshot = patched;
                    Instant now = Instant.now();
                    ids.forEach(id -> patchedAt.put(id, now));
                }
            }
            if (batch.size() > 1) {
                LOG.info("Review workspace: {} actions applied together", batch.size());
            }
            for (Pending p : batch) {
                CaseReview.Conflict conflict = r.conflicts().stream().filter(c -> c.action() == p.action)
                        .findFirst().orElse(null);
                String rejected = r.rejected().stream().filter(x -> x.action() == p.action)
                        .map(CaseReview.Rejection::reason).findFirst().orElse(null);
                CaseSnapshot.Case now = snapshot.get(p.action.exceptionId());
                boolean applied = conflict == null && rejected == null && now != null
                        && now.revision() > p.action.expectedRevision();
                p.result.complete(new Outcome(applied, conflict, rejected));
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
