package org.crosscheck.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.core.Tables;
import org.crosscheck.review.CaseHistory;
import org.crosscheck.review.RulePrecision;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;
import org.crosscheck.serve.CaseStore;
import org.crosscheck.serve.ReviewServer;
import org.crosscheck.serve.Users;

/**
 * Latency of the review workspace at scale: writes N synthetic cases (with a two-run case history) into a fresh
 * warehouse, starts the server in this JVM, and lets C concurrent reviewer clients (java.net.http, each logged in
 * with its own session) fetch queue pages (random filters, sorts and pages) and case pages, and make a few actions
 * (confirm / dismiss through CaseReview.apply), spread over each client's requests; the server checks the tables
 * every 2 s and reloads after the actions, as it does in service. Prints p50 / p95 / p99 per kind of request.
 * Clients and server share the machine's cores, so the figures include the clients' own cost.
 *
 * <pre>java ... org.crosscheck.bench.ReviewServeBenchmark [cases=100000] [clients=10] [requests per client=300]
 *     [actions per client=3] [dir=/tmp/crosscheck-bench/review-serve]</pre>
 */
public final class ReviewServeBenchmark {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern REVISION = Pattern.compile("name=\"revision\" value=\"(\\d+)\"");
    private static final String[] RULES = {"deceased_recipient", "duplicate_payment", "amount_outlier",
            "benefit_while_employed", "claim_before_coverage", "shared_bank_account", "duplicate_enrollment_scheme",
            "anomaly_score"};
    private static final String PASSWORD = "benchmark password";

    private ReviewServeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int actions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Path.of(args.length > 4 ? args[4] : "/tmp/crosscheck-bench/review-serve");
        FileUtils.deleteQuietly(dir.toFile());
        Files.createDirectories(dir);
        SparkSession spark = SparkSessions.create(CaseStore.serverSettings(
                new CrossCheckConfig.SparkSettings("local[2]", "review-serve-bench", 2, null, Map.of())));
        Tables tables = new Tables(dir.resolve("warehouse").toString());
        long t0 = System.nanoTime();
        writeCases(spark, tables, n);
        System.out.printf(Locale.ROOT, "wrote %,d cases and %,d history rows in %.1f s%n", n, 2L * n, seconds(t0));

        Path usersFile = dir.resolve("users.yaml");
        Files.writeString(usersFile, "users:\n  - {name: bench.supervisor, role: supervisor, password_hash: \""
                + Users.hash(PASSWORD) + "\"}\n");
        t0 = System.nanoTime();
        List<String> ids;
        try (CaseStore store = new CaseStore(spark, tables, new CrossCheckConfig.ReviewSettings(null, null), Map.of());
             ReviewServer server = new ReviewServer(store, Users.load(usersFile), false).start("127.0.0.1", 0)) {
            System.out.printf(Locale.ROOT, "server started with %,d cases in %.1f s%n", store.snapshot().size(), seconds(t0));
            store.watch(2);
            ids = new ArrayList<>();
            for (Row r : ExceptionList.read(spark, tables).select(ExceptionList.EXCEPTION_ID).limit(20_000).collectAsList()) {
                ids.add(r.getString(0));
            }
            String base = "http://127.0.0.1:" + server.port();
            List<Long> queue = Collections.synchronizedList(new ArrayList<>());
            List<Long> casePage = Collections.synchronizedList(new ArrayList<>());
            List<Long> action = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> running = new ArrayList<>();
            long wall = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int seed = c;
                running.add(pool.submit(() -> {
                    client(base, ids, seed, requests, actions, queue, casePage, action, errors, conflicts);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
            double wallS = seconds(wall);
            System.out.printf(Locale.ROOT, "%d clients, %d requests each (+%d actions), %.1f s wall, %.0f requests/s, "
                    + "%d errors, %d conflicts%n", clients, requests, actions, wallS,
                    (queue.size() + casePage.size() + action.size()) / wallS, errors.get(), conflicts.get());
            report("queue page", queue);
            report("case page", casePage);
            report("action (POST)", action);
            t0 = System.nanoTime();
            boolean reloaded = store.reloadIfChanged();
            System.out.printf(Locale.ROOT, "full reload after the actions: %s in %.1f s (in the background; pages are "
                    + "served from the previous snapshot meanwhile)%n", reloaded ? "done" : "not needed", seconds(t0));
        }
        spark.stop();
    }

    private static void client(String base, List<String> ids, int seed, int requests, int actions, List<Long> queue,
                               List<Long> casePage, List<Long> action, AtomicInteger errors, AtomicInteger conflicts)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        String login = get(http, base + "/login").body();
        String csrf = find(CSRF, login);
        post(http, base + "/login", "csrf=" + enc(csrf) + "&name=bench.supervisor&password=" + enc(PASSWORD));
        Random rnd = new Random(seed);
        String[] sorts = {"amount", "severity", "first_seen", "rule", "region", "assignee", "period"};
        int every = actions == 0 ? Integer.MAX_VALUE : Math.max(1, requests / actions);
        for (int i = 0; i < requests; i++) {
            if (i % every == (every / 2 + seed * 7) % every) { // reviewers do not all click at once
                act(http, base, ids, rnd, action, errors, conflicts);
            }
            long t = System.nanoTime();
            HttpResponse<String> r;
            if (rnd.nextInt(10) < 7) {
                StringBuilder q = new StringBuilder("/queue?view=").append(rnd.nextBoolean() ? "awaiting" : "all");
                if (rnd.nextBoolean()) {
                    q.append("&rule=").append(RULES[rnd.nextInt(RULES.length)]);
                }
                if (rnd.nextInt(3) == 0) {
                    q.append("&severity=").append(new String[]{"high", "medium", "low"}[rnd.nextInt(3)]);
                }
                if (rnd.nextInt(3) == 0) {
                    q.append("&region=").append(String.format(Locale.ROOT, "4401%02d", 1 + rnd.nextInt(20)));
                }
                if (rnd.nextInt(4) == 0) {
                    q.append("&min_amount=").append(rnd.nextInt(5000));
                }
                q.append("&sort=").append(sorts[rnd.nextInt(sorts.length)]).append("&dir=").append(rnd.nextBoolean() ? "asc" : "desc");
                q.append("&page=").append(1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(200) : rnd.nextInt(3)));
                r = get(http, base + q);
                queue.add(System.nanoTime() - t);
            } else {
                r = get(http, base + "/case/" + ids.get(rnd.nextInt(ids.size())));
                casePage.add(System.nanoTime() - t);
            }
            if (r.statusCode() != 200) {
                errors.incrementAndGet();
            }
        }
    }

    /** One confirm or dismiss on a random case, as a reviewer does it: open the page, post the form. */
    private static void act(HttpClient http, String base, List<String> ids, Random rnd, List<Long> action,
                            AtomicInteger errors, AtomicInteger conflicts) throws Exception {
        {
            String id = ids.get(rnd.nextInt(ids.size()));
            String page = get(http, base + "/case/" + id).body();
            String body = "csrf=" + enc(find(CSRF, page)) + "&revision=" + find(REVISION, page)
                    + (rnd.nextBoolean() ? "&action=confirm&note=bench" : "&action=dismiss&reason="
                    + enc("already known and handled") + "&note=bench");
            long t = System.nanoTime();
            HttpResponse<String> r = post(http, base + "/case/" + id + "/action", body);
            action.add(System.nanoTime() - t);
            if (r.statusCode() == 409) {
                conflicts.incrementAndGet();
            } else if (r.statusCode() != 302) {
                errors.incrementAndGet();
            }
        }
    }

    /** N cases in the exception list's schema, 8 rules, 20 regions, most awaiting review; two runs of history. */
    static void writeCases(SparkSession spark, Tables tables, int n) {
        String rules = "array(" + String.join(",", java.util.Arrays.stream(RULES).map(r -> "'" + r + "'").toList()) + ")";
        Dataset<Row> findings = spark.range(n).select(
                expr(rules + "[cast(id % 8 as int)]").as(Findings.RULE_ID),
                expr("'1'").as(Findings.RULE_VERSION),
                expr("array('high','medium','low')[cast(id % 3 as int)]").as(Findings.SEVERITY),
                expr("'person'").as(Findings.SUBJECT_TYPE),
                expr("concat('4401', lpad(cast(id % 20 + 1 as string), 2, '0'), '19', lpad(cast((id * 7919) % 1000000000 as string), 9, '0'), '1')").as(Findings.SUBJECT_ID),
                expr("array('employee_pension','resident_pension','unemployment','medical')[cast(id % 4 as int)]").as(Findings.SCHEME),
                expr("concat('4401', lpad(cast(id % 20 + 1 as string), 2, '0'))").as(Findings.REGION),
                expr("concat('2025-', lpad(cast(id % 12 + 1 as string), 2, '0'))").as(Findings.PERIOD),
                expr("cast((id * 37) % 900000 / 100.0 + 10 as decimal(18,2))").as(Findings.AMOUNT_AT_RISK),
                expr("concat('[{\"table\":\"civil_registry\",\"person_id\":\"P', id, '\",\"death_date\":\"2025-01-15\",\"source_file\":\"/landing/MZ_2025.csv\",\"record_number\":', id % 5000, '},"
                        + "{\"table\":\"benefit_payment\",\"payment_id\":\"PAY', id, '\",\"period_start\":\"2025-03-01\",\"period_end\":\"2025-03-31\",\"payment_date\":\"2025-04-05\",\"amount\":\"', cast((id * 37) % 900000 / 100.0 + 10 as decimal(18,2)), '\",\"source_file\":\"/landing/ZF_202504.csv\",\"record_number\":', id % 9000, '}]')").as(Findings.EVIDENCE),
                expr("concat('Paid after the recorded death: payment PAY', id, ' for 2025-03')").as(Findings.EXPLANATION),
                expr("cast(id as string)").as(Findings.CASE_KEY),
                col("id"));
        Dataset<Row> cases = findings.withColumn(ExceptionList.EXCEPTION_ID, ExceptionList.exceptionIdColumn())
                .withColumn(ExceptionList.SUBJECT_NAME, expr("concat('张', id % 1000)"))
                .withColumn(ExceptionList.EVIDENCE_COUNT, expr("2"))
                .withColumn(ExceptionList.FIRST_SEEN_RUN, expr("if(id % 3 = 0, 'run-2', 'run-1')"))
                .withColumn(ExceptionList.LAST_SEEN_RUN, expr("'run-2'"))
                .withColumn(ExceptionList.STATE, expr("if(id % 10 = 9, 'no_longer_found', 'active')"))
                .withColumn(ExceptionList.DISPOSITION, expr("if(id % 7 = 1, 'confirmed', if(id % 7 = 2, 'dismissed', 'none'))"))
                .withColumn(ExceptionList.DISPOSITION_REASON, expr("if(id % 7 = 2, 'already known and handled', null)"))
                .withColumn(ExceptionList.REVIEWER, expr("if(id % 7 in (1, 2), 'li.wei', null)"))
                .withColumn(ExceptionList.REVIEW_NOTE, expr("cast(null as string)"))
                .withColumn(ExceptionList.REVIEWED_AT, expr("if(id % 7 in (1, 2), current_timestamp(), null)"))
                .withColumn(ExceptionList.REVIEWED_AMOUNT, expr("if(id % 7 in (1, 2), amount_at_risk, null)"))
                .withColumn(ExceptionList.REVIEWED_EVIDENCE_COUNT, expr("if(id % 7 in (1, 2), 2, null)"))
                .withColumn(ExceptionList.ASSIGNEE, expr("if(id % 5 = 0, concat('officer.', id % 4), null)"))
                .withColumn(ExceptionList.NEEDS_REVIEW, expr("false"))
                .withColumn(ExceptionList.REVIEW_REASON, expr("cast(null as string)"))
                .withColumn(ExceptionList.REVISION, expr("if(id % 7 in (1, 2), 1L, 0L)"))
                .withColumn(ExceptionList.UPDATED_AT, expr("current_timestamp()"));
        Column[] schema = java.util.Arrays.stream(ExceptionList.SCHEMA.fieldNames())
                .map(f -> col(f).cast(ExceptionList.SCHEMA.apply(f).dataType()).as(f)).toArray(Column[]::new);
        cases.select(schema).coalesce(2).write().format("delta").save(tables.exceptions());
        Dataset<Row> table = ExceptionList.read(spark, tables);
        Column[] history = java.util.Arrays.stream(CaseHistory.SCHEMA.fieldNames())
                .map(f -> col(f).cast(CaseHistory.SCHEMA.apply(f).dataType()).as(f)).toArray(Column[]::new);
        table.select(expr("explode(array('run-1', 'run-2'))").as("run_id"), col("*"))
                .withColumn("recorded_at", expr("if(run_id = 'run-1', current_timestamp() - interval 30 days, current_timestamp())"))
                .withColumn(Findings.AMOUNT_AT_RISK, expr("if(run_id = 'run-1', amount_at_risk / 2, amount_at_risk)"))
                .select(history).coalesce(2).write().format("delta").save(tables.caseHistory());
        RulePrecision.record(spark, tables, "run-2");
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        if (s.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "%-14s n=%5d  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", what,
                s.size(), pct(s, 50), pct(s, 95), pct(s, 99), s.get(s.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String find(Pattern p, String html) {
        Matcher m = p.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("the page has no " + p.pattern());
        }
        return m.group(1);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String url, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(600))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
