package org.crosscheck.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.Tables;
import org.crosscheck.generate.SampleDataGenerator;
import org.crosscheck.report.ReportCells;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What people look at after a run, checked as they would: one pipeline run in its own JVM (as {@code ./crosscheck run}
 * starts it, with the embedded metastore), then new JVMs that query the tables by name with the README's commands
 * and every query of notebooks/analyst-queries.sql, the HTML run report against the tables and in headless
 * Chromium, and every notebook executed by Jupyter. Chromium and Jupyter come from Debian's packages, which
 * .ci/run installs; without them (a developer's machine) those two tests are skipped with a message, under CI
 * ({@code CI=true}) they fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutputsAcceptanceTest extends SparkTestSupport {
    private static final String KEY = "outputs-test-key-0123456789";
    private static Path root;
    private static Path config;
    private static Tables tables;
    private static Path reports;
    private static String runOutput;

    @BeforeAll
    static void oneRun() throws Exception {
        root = tempDir("outputs");
        SampleDataGenerator.generate(root.resolve("data"), 200, 42);
        config = root.resolve("crosscheck.yaml");
        RunConfig.write(config, repoRoot(), "warehouse", "exports",
                "  master: local[2]\n  conf: {spark.driver.host: 127.0.0.1, spark.default.parallelism: \"2\"}\n",
                "  reports: reports\n");
        tables = new Tables(root.resolve("warehouse").toString());
        reports = root.resolve("reports");
        Result run = crosscheck("run", "--config", config.toString(), "--as-of", "2026-01-31");
        runOutput = run.output;
        assertEquals(ExitCode.FINDINGS_PRESENT.code, run.exit, run.output);
    }

    @Test
    @Order(1)
    void runEndsWithTheReportPathAndProgressLines() {
        List<String> lines = runOutput.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("run report: " + reports.resolve("")) && l.endsWith("index.html")),
                runOutput);
        // the last thing the run prints (log lines may follow on the same stream)
        List<String> printed = lines.stream().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d.*")).toList();
        assertTrue(printed.get(printed.size() - 1).contains("latest: " + reports.resolve("latest/index.html")), runOutput);
        // not on a terminal: plain log lines, stage n of m with rows and seconds
        assertTrue(runOutput.contains("stage 2 of 8: validate done,"), runOutput);
        assertTrue(runOutput.contains("catalog: "), runOutput);
    }

    @Test
    @Order(2)
    void aNewSessionQueriesTheTablesByNameWithTheReadmesCommands() throws Exception {
        List<String> commands = readmeSqlCommands();
        assertTrue(commands.size() >= 2, "the README shows the query by name and the .sql file: " + commands);
        for (String command : commands) {
            List<String> args = shellWords(command.substring("./crosscheck ".length()));
            args.replaceAll(a -> a.equals("sample-data/crosscheck.yaml") ? config.toString()
                    : a.equals("notebooks/analyst-queries.sql") ? repoRoot().resolve(a).toString() : a);
            Result r = crosscheck(args.toArray(String[]::new));
            assertEquals(0, r.exit, command + "\n" + r.output);
            assertFalse(r.output.contains("(0 rows)"), r.output);
        }
        long statements = org.crosscheck.catalog.SqlScript.statements(
                Files.readString(repoRoot().resolve("notebooks/analyst-queries.sql"))).size();
        assertEquals(6, statements);

        Result r = crosscheck("sql", "--config", config.toString(), "-e",
                "SHOW TABLES IN crosscheck_analyst; DESCRIBE crosscheck_analyst.benefit_payment; "
                        + "SELECT count(*) AS n FROM crosscheck.clean_benefit_payment; "
                        + "SELECT count(*) AS joined FROM crosscheck_analyst.person_cluster c"
                        + " JOIN crosscheck_analyst.civil_registry r ON r.person_token = c.person_token");
        assertEquals(0, r.exit, r.output);
        String analystTables = r.output.substring(r.output.indexOf("-- statement 1"), r.output.indexOf("-- statement 2"));
        for (String t : List.of("benefit_payment", "civil_registry", "contribution", "enrollment", "person_cluster")) {
            assertTrue(analystTables.contains(t), analystTables);
        }
        assertFalse(analystTables.matches("(?s).*(clean_|quarantine_|exceptions|bronze_).*"), "analyst database: "
                + analystTables);
        // every registry identity is in person_cluster: analysts join the two on person_token
        long registry = spark().read().format("delta").load(tables.clean(org.crosscheck.core.SourceFamily.CIVIL_REGISTRY))
                .select("national_id").distinct().count();
        String joined = r.output.substring(r.output.indexOf("-- statement 4"));
        assertTrue(joined.matches("(?s).*\\b" + registry + "\\b.*"), "joined rows " + registry + "\n" + joined);
        String described = r.output.substring(r.output.indexOf("-- statement 2"), r.output.indexOf("-- statement 3"));
        assertTrue(described.contains("person_token"), described);
        assertFalse(described.contains("national_id") || described.contains("full_name"), described);
        long clean = spark().read().format("delta").load(tables.clean(org.crosscheck.core.SourceFamily.BENEFIT_PAYMENT)).count();
        assertTrue(r.output.matches("(?s).*\\b" + clean + "\\b.*"), "count by name equals the table's: " + clean + "\n"
                + r.output);
    }

    @Test
    @Order(3)
    void reportFiguresEqualTheTables() throws IOException {
        Map<String, String> cells = ReportCells.of(Files.readString(reports.resolve("latest/index.html")));
        String runId = cells.get("run_id");
        List<Row> metrics = spark().read().format("delta").load(tables.metrics()).where("run_id = '" + runId + "'")
                .collectAsList();
        assertEquals(4, metrics.size(), "the report is about the run: " + runId);
        for (Row m : metrics) {
            String family = m.getAs("family");
            for (String c : List.of("rows_read", "inserted", "quarantined", "duplicates")) {
                assertEquals(String.format("%,d", m.<Long>getAs(c)), cells.get("families." + family + "." + c), family + " " + c);
            }
            Map<String, Long> checks = scala.jdk.javaapi.CollectionConverters.asJava(m.<scala.collection.Map<String, Long>>getAs("check_violations"));
            checks.forEach((check, n) -> {
                if (n > 0) {
                    assertEquals(String.format("%,d", n), cells.get("checks." + family + "." + check), check);
                }
            });
        }
        spark().read().format("delta").load(tables.exceptions()).createOrReplaceTempView("outputs_exceptions");
        for (Row r : spark().sql("SELECT rule_id, count(*), sum(amount_at_risk), count_if(severity = 'high') "
                + "FROM outputs_exceptions GROUP BY rule_id").collectAsList()) {
            String rule = r.getString(0);
            assertEquals(String.format("%,d", r.getLong(1)), cells.get("rules." + rule + ".cases"), rule);
            assertEquals(String.format("%,.2f", r.isNullAt(2) ? BigDecimal.ZERO : r.getDecimal(2)),
                    cells.get("rules." + rule + ".amount"), rule);
            assertEquals(String.format("%,d", r.getLong(3)), cells.get("rules." + rule + ".high"), rule);
        }
        long cases = spark().table("outputs_exceptions").count();
        assertEquals(String.format("%,d", cases), cells.get("summary.active_cases"));
        assertEquals(String.format("%,d", cases), cells.get("changes.new"), "first run: every case is new");
    }

    @Test
    @Order(4)
    void reportRendersEveryChartInHeadlessChromium() throws Exception {
        Path chromium = tool("chromium", "/usr/bin/chromium");
        Path page = reports.resolve("latest/index.html");
        Path profile = Files.createDirectories(root.resolve("chromium-profile"));
        List<String> flags = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000");
        List<String> dump = new ArrayList<>(List.of(chromium.toString()));
        dump.addAll(flags);
        dump.addAll(List.of("--dump-dom", page.toUri().toString()));
        Result dom = exec(dump, Map.of(), 180);
        assertEquals(0, dom.exit, dom.output);
        assertTrue(dom.output.contains("data-charts=\"done\""), "the page's script ran");
        Matcher charts = Pattern.compile("<div class=\"chart\"[^>]*>").matcher(dom.output);
        int n = 0;
        while (charts.find()) {
            n++;
            String tag = charts.group();
            assertEquals("rendered", attribute(tag, "data-state"), tag);
            String drawn = attribute(tag, "data-rendered-total");
            assertTrue(drawn != null, "chart drew: " + tag);
            assertEquals(0, new BigDecimal(attribute(tag, "data-expected-total")).compareTo(new BigDecimal(drawn)),
                    "the chart drew the tables' numbers: " + tag);
        }
        assertEquals(8, n, "every chart of the report");
        assertTrue(dom.output.contains("<svg"), "ECharts drew SVG");
        Map<String, String> inBrowser = ReportCells.of(dom.output);
        Map<String, String> inFile = ReportCells.of(Files.readString(page));
        assertEquals(inFile, inBrowser, "every table cell as written");

        Path screenshot = repoRoot().resolve("jobs/target/run-report.png");
        Files.createDirectories(screenshot.getParent());
        List<String> shot = new ArrayList<>(List.of(chromium.toString()));
        shot.addAll(flags);
        shot.addAll(List.of("--window-size=1280,3000", "--screenshot=" + screenshot, page.toUri().toString()));
        Result s = exec(shot, Map.of(), 180);
        assertEquals(0, s.exit, s.output);
        assertTrue(Files.size(screenshot) > 10_000, "screenshot kept at " + screenshot);
    }

    @Test
    @Order(5)
    void everyNotebookRunsAgainstTheRun() throws Exception {
        tool("jupyter", "/usr/bin/jupyter");
        Path out = repoRoot().resolve("jobs/target/notebooks");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CROSSCHECK_CONFIG", config.toString());
        env.put("CROSSCHECK_CLASSPATH", System.getProperty("java.class.path"));
        env.put("CROSSCHECK_KERNEL_JAVA_OPTS", "-Xmx2g");
        env.put("KERNEL_START_TIMEOUT", "45");
        Result r = exec(List.of("bash", repoRoot().resolve("notebooks/run-notebooks.sh").toString(), out.toString()), env, 1500);
        assertEquals(0, r.exit, r.output);
        try (var notebooks = Files.list(repoRoot().resolve("notebooks"))) {
            for (Path nb : notebooks.filter(p -> p.toString().endsWith(".ipynb")).toList()) {
                String executed = Files.readString(out.resolve(nb.getFileName()));
                assertTrue(executed.contains("crosscheckDraw(document"), nb + " draws a chart");
                assertFalse(executed.contains("\"output_type\": \"error\""), nb + " has no failing cell");
            }
        }
    }

    // ---- helpers

    private record Result(int exit, String output) {
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : null;
    }

    /** A CrossCheck command in a new JVM, as the launcher starts it (same JVM options, the test classpath). */
    private static Result crosscheck(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        if (!"run".equals(args[0])) {
            // a query starts faster without the optimising compiler (a run needs it); C1 alone gets a small code cache
            cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=256m"));
        }
        cmd.addAll(List.of("@" + repoRoot().resolve("jobs/jvm.options"), "-cp", System.getProperty("java.class.path"),
                "org.crosscheck.cli.CrossCheck"));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of("CROSSCHECK_PSEUDONYM_KEY", KEY), 1200);
    }

    private static Result exec(List<String> cmd, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(root, "exec-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(root.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out after " + timeoutSeconds + " s: " + cmd + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** A tool from Debian's packages; skipped without it, except under CI where .ci/run installs it. */
    private static Path tool(String name, String path) {
        Path p = Path.of(path);
        boolean present = Files.isExecutable(p);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(name + " is not installed at " + path + ": .ci/run installs it with apt-get");
        }
        Assumptions.assumeTrue(present, name + " is not installed (" + path + "); apt-get install it to run this check"
                + " (.ci/run does)");
        return p;
    }

    /** The {@code ./crosscheck sql ...} lines of the README's code blocks. */
    private static List<String> readmeSqlCommands() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(repoRoot().resolve("README.md"))) {
            if (line.startsWith("./crosscheck sql ")) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** Splits a shell command line on spaces, honouring single and double quotes. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return words;
    }
}
