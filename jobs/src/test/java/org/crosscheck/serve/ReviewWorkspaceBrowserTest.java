package org.crosscheck.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.Tables;
import org.crosscheck.review.ReviewImport;
import org.crosscheck.review.ReviewLog;
import org.crosscheck.review.RulePrecision;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review workspace in headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them, so under
 * CI=true a missing browser fails the test instead of skipping it). The warehouse is a handful of cases merged by
 * {@link ExceptionList#merge}; the server runs in this JVM on a free port.
 */
@Tag("browser")
class ReviewWorkspaceBrowserTest extends SparkTestSupport {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String PASSWORD = "correct horse battery staple";
    private static final String ID_1 = "110101195001011234";
    private static final String ID_2 = "110101195002021238";
    private static final String ID_3 = "440106196003031236";
    private static final String ID_4 = "110101197004041232";
    private static final Set<String> RULES = Set.of("deceased_recipient", "duplicate_payment");
    private static final String C1 = ExceptionList.exceptionId("deceased_recipient", "person", ID_1, "employee_pension", null);
    private static final String C2 = ExceptionList.exceptionId("deceased_recipient", "person", ID_2, "employee_pension", null);
    private static final String C3 = ExceptionList.exceptionId("deceased_recipient", "person", ID_3, "employee_pension", null);
    private static final String C4 = ExceptionList.exceptionId("duplicate_payment", "person", ID_1, "employee_pension", null);
    private static final String C5 = ExceptionList.exceptionId("duplicate_payment", "person", ID_4, "employee_pension", null);

    private static Tables tables;
    private static CaseStore store;
    private static ReviewServer server;
    private static String base;
    private static Path shots;

    @BeforeAll
    static void startServer() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("chromium and chromium-driver are missing; .ci/run installs them");
        }
        Assumptions.assumeTrue(present, "chromium / chromium-driver not installed: browser test skipped");
        tables = new Tables(tempDir("workspace-wh").toString());
        ExceptionList.merge(spark(), tables, spark().createDataFrame(List.of(
                finding("deceased_recipient", "high", ID_1, "110101", "3120.00"),
                finding("deceased_recipient", "high", ID_2, "110101", "1500.00"),
                finding("deceased_recipient", "medium", ID_3, "440106", "999.00"),
                finding("duplicate_payment", "low", ID_1, "110101", "200.00"),
                finding("duplicate_payment", "low", ID_4, "110101", "80.00")), Findings.SCHEMA), "run-1", RULES);
        RulePrecision.record(spark(), tables, "run-1");
        // a writer that died after logging a confirmation of C5 and before applying it: the server's start repairs it
        ReviewLog.append(spark(), tables, List.of(ReviewLog.entry(C5, "wang.fang", Timestamp.from(Instant.now()),
                "disposition", "none", "confirmed", null, null, null, "checked", null, null, null, 1, "web")));

        String hash = Users.hash(PASSWORD);
        Path usersFile = tempDir("workspace-users").resolve("users.yaml");
        Files.writeString(usersFile, """
                users:
                  - {name: li.wei, role: risk_officer, regions: ["1101"], password_hash: "%1$s"}
                  - {name: zhang.min, role: supervisor, password_hash: "%1$s"}
                  - {name: chen.jing, role: analyst, password_hash: "%1$s"}
                """.formatted(hash));
        store = new CaseStore(spark(), tables, new CrossCheckConfig.ReviewSettings(null, null), Map.of());
        server = new ReviewServer(store, Users.load(usersFile), false).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        shots = Path.of(System.getProperty("crosscheck.repo.root", ".."), "jobs", "target", "review-workspace");
        Files.createDirectories(shots);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            store.close();
        }
    }

    private static Row finding(String rule, String severity, String subject, String region, String amount) {
        String evidence = "[{\"table\":\"civil_registry\",\"person_id\":\"" + subject + "\",\"death_date\":\"2025-03-10\","
                + "\"source_file\":\"/landing/MZ_2025.csv\",\"record_number\":4},"
                + "{\"table\":\"benefit_payment\",\"payment_id\":\"P0001\",\"period_start\":\"2025-04-01\","
                + "\"amount\":\"" + amount + "\",\"source_file\":\"/landing/ZF_202505.csv\",\"record_number\":17}]";
        return RowFactory.create(rule, "1", severity, "person", subject, "employee_pension", region, "2025-04",
                new BigDecimal(amount), evidence, "Paid " + amount + " for 2025-04 after the recorded death", null);
    }

    private static WebDriver browser() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return d;
    }

    private static void logIn(WebDriver d, String name) {
        d.get(base + "/login");
        d.findElement(By.id("name")).sendKeys(name);
        d.findElement(By.id("password")).sendKeys(PASSWORD);
        clickAndWait(d, By.id("login"), "precision");
        assertTrue(d.getPageSource().contains("Review overview"), d.getPageSource());
    }

    /**
     * Clicks and waits for the next page (the old one gone, an element of the new one there). The old page is marked
     * on its window object, which a new document does not have: asking an element of the old page whether it is stale
     * can fail with a driver error of its own ("Node with given id does not belong to the document") while the new
     * page loads.
     */
    private static void clickAndWait(WebDriver d, By what, String nextId) {
        JavascriptExecutor js = (JavascriptExecutor) d;
        js.executeScript("window.__crosscheckOldPage = true;");
        d.findElement(what).click();
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(120));
        wait.ignoring(WebDriverException.class).until(x -> Boolean.TRUE.equals(js.executeScript(
                "return window.__crosscheckOldPage !== true && document.readyState === 'complete';")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id(nextId)));
    }

    private static void shot(WebDriver d, String name) throws Exception {
        Files.write(shots.resolve(name), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
    }

    private static List<String> queueIds(WebDriver d) {
        return d.findElements(By.cssSelector("tr.case-row td:first-child")).stream().map(e -> e.getText().trim()).toList();
    }

    @Test
    void aRiskOfficerFiltersOpensAndDismissesACaseWhichLeavesTheQueue() throws Exception {
        WebDriver d = browser();
        try {
            logIn(d, "li.wei");
            assertTrue(d.findElement(By.id("precision")).getText().contains("deceased_recipient"));
            clickAndWait(d, By.id("nav-queue"), "totals");
            List<String> all = queueIds(d);
            assertTrue(all.contains(C1) && all.contains(C4), all.toString());
            assertFalse(all.contains(C3), "a case of another region is not shown to a risk officer: " + all);
            assertTrue(d.getPageSource().contains(ID_1), "a risk officer sees identity numbers");

            new Select(d.findElement(By.id("f-rule"))).selectByValue("deceased_recipient");
            clickAndWait(d, By.id("apply"), "totals");
            List<String> filtered = queueIds(d);
            assertTrue(filtered.contains(C1) && !filtered.contains(C4), filtered.toString());
            assertTrue(d.findElement(By.id("totals")).getText().startsWith(filtered.size() + " cases"),
                    d.findElement(By.id("totals")).getText());
            shot(d, "queue.png");

            clickAndWait(d, By.cssSelector("a.case-link[href^='/case/" + C1 + "']"), "explanation");
            assertTrue(d.findElement(By.id("explanation")).getText().contains("after the recorded death"));
            String evidence = d.findElement(By.cssSelector("table.evidence")).getText();
            assertTrue(evidence.contains("death date") || d.getPageSource().contains("3,120.00"), evidence);
            assertTrue(d.getPageSource().contains("ZF_202505.csv line 17"), "evidence names file and line");
            assertTrue(d.findElement(By.id("others")).getText().contains(C4), "the subject's other case is linked");
            assertTrue(d.findElement(By.id("timeline")).getText().contains("run-1"));
            shot(d, "case.png");

            new Select(d.findElement(By.id("reason"))).selectByIndex(1);
            d.findElement(By.id("dismiss-note")).sendKeys("death record withdrawn by the registry");
            clickAndWait(d, By.id("dismiss"), "flash");
            assertTrue(d.findElement(By.id("flash")).getText().contains("dismissed"), d.getPageSource());
            assertFalse(queueIds(d).contains(C1), "a dismissed case leaves the queue of cases awaiting review");
            assertTrue(d.getCurrentUrl().contains("rule=deceased_recipient"), "back to the filtered queue");
        } finally {
            d.quit();
        }
        Row c1 = ExceptionList.read(spark(), tables).where("exception_id = '" + C1 + "'").first();
        assertEquals("dismissed", c1.getAs("disposition"));
        assertEquals("li.wei", c1.getAs("reviewer"));
        assertEquals(1L, c1.<Long>getAs("revision"));
        Row log = ReviewLog.read(spark(), tables).where("exception_id = '" + C1 + "'").first();
        assertEquals("web", log.getAs("source_file"));
        assertEquals("death record withdrawn by the registry", log.getAs("new_note"));
        // the spreadsheet import sees the same disposition: an export taken before it (revision 0) is a conflict
        Path sheet = tempDir("workspace-import").resolve("exceptions.csv");
        Files.writeString(sheet, "exception_id,revision,rule_id,disposition,disposition_reason,reviewer,review_note\n"
                + C1 + ",0,deceased_recipient,confirmed,,,from the spreadsheet\n");
        ReviewImport.Result imported = ReviewImport.apply(spark(), tables, sheet, "wang.fang");
        assertEquals(1, imported.conflicts().size(), imported.toString());
        assertTrue(imported.conflicts().get(0).reason().contains("li.wei"), imported.conflicts().toString());
    }

    @Test
    void aSecondReviewerOnAStalePageGetsAConflictNamingWhoChangedWhat() throws Exception {
        WebDriver first = browser();
        WebDriver second = browser();
        try {
            logIn(first, "li.wei");
            logIn(second, "zhang.min");
            first.get(base + "/case/" + C2);
            second.get(base + "/case/" + C2);
            clickAndWait(first, By.id("confirm"), "flash");
            new Select(second.findElement(By.id("reason"))).selectByIndex(1);
            clickAndWait(second, By.id("dismiss"), "message");
            String message = second.findElement(By.id("message")).getText();
            assertTrue(message.contains("changed after you opened it") && message.contains("li.wei")
                    && message.contains("confirmed"), message);
            assertEquals("confirmed", second.findElement(By.id("disposition")).getText().trim());
        } finally {
            first.quit();
            second.quit();
        }
        assertEquals("confirmed", ExceptionList.read(spark(), tables).where("exception_id = '" + C2 + "'").first()
                .getAs("disposition"));
    }

    @Test
    void anAnalystSeesNoIdentityAndCannotOpenACasePage() throws Exception {
        WebDriver d = browser();
        try {
            logIn(d, "chen.jing");
            String start = d.getPageSource();
            clickAndWait(d, By.id("nav-queue"), "totals");
            new Select(d.findElement(By.id("f-view"))).selectByValue("all");
            clickAndWait(d, By.id("apply"), "totals");
            String queue = d.getPageSource();
            assertTrue(queueIds(d).contains(C3), "an analyst sees every region's cases (counts, no identities)");
            d.get(base + "/case/" + C1);
            String casePage = d.getPageSource();
            assertTrue(casePage.contains("Not allowed (403)"), casePage);
            for (String page : List.of(start, queue, casePage)) {
                for (String id : List.of(ID_1, ID_2, ID_3, ID_4)) {
                    assertFalse(page.contains(id), "an analyst's page shows identity number " + id);
                }
            }
            String cookie = d.manage().getCookieNamed(ReviewServer.COOKIE).getValue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/case/" + C1))
                    .header("Cookie", ReviewServer.COOKIE + "=" + cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode());
        } finally {
            d.quit();
        }
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        WebDriver d = browser();
        String cookie;
        try {
            logIn(d, "zhang.min");
            cookie = d.manage().getCookieNamed(ReviewServer.COOKIE).getValue();
            assertTrue(d.manage().getCookieNamed(ReviewServer.COOKIE).isHttpOnly());
            assertEquals("Strict", d.manage().getCookieNamed(ReviewServer.COOKIE).getSameSite());
        } finally {
            d.quit();
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/case/" + C3 + "/action"))
                .header("Cookie", ReviewServer.COOKIE + "=" + cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=confirm&revision=0")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertEquals("none", store.snapshot().get(C3).disposition());
    }

    @Test
    void aCrashedWriterIsRolledForwardAndAScreeningRunWhileServingLosesNothing() {
        // the half-applied confirmation logged before the server started was rolled forward by its start
        assertEquals("confirmed", store.snapshot().get(C5).disposition());
        assertEquals(1L, store.snapshot().get(C5).revision());
        // a screening run merges while the server runs (both take the review lock); the server reloads
        String id5 = "110101198005051236";
        ExceptionList.merge(spark(), tables, spark().createDataFrame(List.of(
                finding("duplicate_payment", "low", ID_4, "110101", "95.00"),
                finding("duplicate_payment", "medium", id5, "110101", "400.00")), Findings.SCHEMA), "run-2",
                Set.of("duplicate_payment"));
        assertTrue(store.reloadIfChanged());
        String c6 = ExceptionList.exceptionId("duplicate_payment", "person", id5, "employee_pension", null);
        assertEquals("active", store.snapshot().get(c6).state());
        assertEquals("confirmed", store.snapshot().get(C5).disposition(), "the run keeps the reviewer's disposition");
        assertEquals(new BigDecimal("95.00"), store.snapshot().get(C5).amount());
        assertEquals(2, store.snapshot().history(C5).size());
    }
}
