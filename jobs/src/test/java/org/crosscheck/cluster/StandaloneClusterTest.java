package org.crosscheck.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SampleRun;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.cli.CrossCheck;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The full pipeline on a real Spark standalone cluster, on loopback: one Master and two Workers (one core each),
 * each its own JVM, and {@code SparkSubmit} in client mode as a child process. The same pipeline then runs in local
 * mode (in this JVM) into another warehouse, and the two must agree.
 *
 * <p>The cluster is assembled like a real deployment from the jars of this test's classpath: a temporary
 * {@code SPARK_HOME/jars} holds Spark and its dependencies (everything the {@code cluster} Maven profile leaves out
 * of the job jar); the application is a jar of {@code target/classes} plus, with {@code --jars}, exactly the
 * libraries that profile bundles (Delta, picocli, POI, Jackson YAML). So the cluster never sees Delta except as
 * the application ships it. {@code -Dcrosscheck.cluster.appJar=jobs/target/crosscheck-jobs-<v>-cluster.jar}
 * submits the shaded job jar instead (no {@code --jars}), to check that jar.
 *
 * <p>Tagged {@code cluster}: it starts five JVMs and runs the pipeline twice. It is part of the default test command
 * (and so of CI); {@code -Dcrosscheck.test.excludedGroups=cluster} leaves it out, and
 * {@code ./mvnw -B test -Dtest=StandaloneClusterTest} runs it alone.
 */
@Tag("cluster")
class StandaloneClusterTest extends SparkTestSupport {
    private static final String AS_OF = SampleRun.AS_OF;
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SUBMIT_TIMEOUT =
            Duration.ofSeconds(Long.getLong("crosscheck.cluster.timeoutSeconds", 1200));
    /**
     * C1 only (with room for its code: C1 alone gets a 48 MB code cache) and the serial collector: about half the wall
     * time for short JVMs on a small machine.
     */
    private static final List<String> FAST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=256m",
            "-XX:+UseSerialGC");
    /** Libraries the application ships (the cluster profile bundles them); everything else is Spark's. */
    private static final List<String> APP_LIBRARIES = List.of("/io/delta/", "/io/unitycatalog/", "/info/picocli/",
            "/org/apache/poi/", "/org/apache/xmlbeans/", "/com/github/virtuald/", "/com/zaxxer/",
            "/jackson-dataformat-yaml/", "/jackson-datatype-jdk8/");
    /** On neither side: the test framework. */
    private static final List<String> TEST_ONLY = List.of("/org/junit/", "/org/opentest4j/", "/org/apiguardian/",
            "/org/apache/maven/surefire/");
    /** Run-specific columns: differ between any two runs. */
    private static final Set<String> RUN_COLUMNS = Set.of("_load_id", "_loaded_at", "_updated_run", "_run_id",
            "_quarantined_at", "first_seen_run", "last_seen_run");

    private static final List<Child> CHILDREN = new ArrayList<>();
    private static final Thread SHUTDOWN_HOOK = new Thread(StandaloneClusterTest::stopAll, "stop-standalone-cluster");

    static {
        Runtime.getRuntime().addShutdownHook(SHUTDOWN_HOOK);
    }

    /** A child JVM and the file its output goes to. */
    record Child(String name, Process process, Path log) {
        String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return "---- " + name + " (pid " + process.pid() + ", " + log + ") ----\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "---- " + name + ": cannot read " + log + ": " + e;
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(SHUTDOWN_HOOK);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    /** Stops every child by its pid, and whatever it started (the workers' executors), last started first. */
    private static synchronized void stopAll() {
        for (int i = CHILDREN.size() - 1; i >= 0; i--) {
            Process p = CHILDREN.get(i).process();
            List<ProcessHandle> descendants = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        CHILDREN.clear();
    }

    @Test
    void fullPipelineOnAStandaloneClusterMatchesLocalMode() throws Exception {
        long started = System.nanoTime();
        // the reference: the first run of the generated sample (200 persons, seed 42) in local mode on the shared
        // session, made once per test JVM (other end-to-end tests start from it too); read here, never changed
        Path reference = SampleRun.pristine();
        Path root = tempDir("cluster");
        Path clusterConfig = writeConfig(reference.resolve("data"), root.resolve("cluster.yaml"), "\"\"", root.resolve("warehouse-cluster"),
                root.resolve("exports-cluster"));

        // --- the cluster: SPARK_HOME with Spark's jars, a Master and two Workers
        Classpath cp = Classpath.ofThisJvm();
        Path sparkHome = sparkHome(root.resolve("spark-home"), cp.spark());
        int masterPort = freePort();
        int masterUiPort = freePort();
        String masterUrl = "spark://127.0.0.1:" + masterPort;
        start("master", root, sparkHome, "512m", List.of("org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)));
        List<Path> workDirs = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            Path workDir = Files.createDirectories(root.resolve("worker-" + w));
            workDirs.add(workDir);
            start("worker-" + w, root, sparkHome, "256m", List.of("org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", "1g",
                    "--work-dir", workDir.toString(), masterUrl));
        }

        String masterJson = "http://127.0.0.1:" + masterUiPort + "/json/";
        awaitJson(masterJson, REGISTER_TIMEOUT, "master with 2 alive workers",
                j -> j.path("aliveworkers").asInt(-1) == 2);

        // --- the pipeline through spark-submit, client mode
        Path eventLogs = Files.createDirectories(root.resolve("event-logs"));
        List<String> submit = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl, "--deploy-mode", "client",
                "--class", "org.crosscheck.cli.CrossCheck",
                "--conf", "spark.executor.memory=640m", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", FAST_JVM),
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.compress=false",
                "--conf", "spark.eventLog.rolling.enabled=false",
                "--conf", "spark.eventLog.dir=" + eventLogs.toUri()));
        String shadedJar = System.getProperty("crosscheck.cluster.appJar", "");
        if (shadedJar.isBlank()) {
            submit.addAll(List.of("--jars", cp.app().stream().map(Path::toString).collect(Collectors.joining(","))));
            submit.add(appJar(cp.classes(), root.resolve("crosscheck-app.jar")).toString());
        } else {
            submit.add(Path.of(shadedJar).toAbsolutePath().toString());
        }
        submit.addAll(List.of("run", "--config", clusterConfig.toString(), "--as-of", AS_OF));
        Child driver = start("spark-submit", root, sparkHome, "1g", submit);
        if (!driver.process().waitFor(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("spark-submit did not end within " + SUBMIT_TIMEOUT + "\n" + logs());
        }
        int clusterExit = driver.process().exitValue();
        assertEquals(5, clusterExit, "cluster run: exit code 5 (findings present) expected\n" + logs());

        // --- it really ran on the workers
        JsonNode master = awaitJson(masterJson, Duration.ofSeconds(30), "the application among completed ones",
                j -> j.path("completedapps").size() == 1);
        JsonNode app = master.path("completedapps").get(0);
        assertEquals("crosscheck", app.path("name").asText(), app.toString()); // spark.app_name wins over --name
        assertEquals("FINISHED", app.path("state").asText(), app.toString());
        EventLog events = EventLog.read(eventLogs);
        assertEquals(2, events.executorsAdded().size(), "executors added (event log): " + events.executorsAdded());
        assertFalse(events.tasksPerExecutor().isEmpty(), "no task ended");
        assertFalse(events.tasksPerExecutor().containsKey("driver"), "tasks ran on the driver: " + events.tasksPerExecutor());
        assertEquals(2, workDirs.stream().filter(StandaloneClusterTest::hasExecutorLog).count(),
                "each worker's work dir holds an executor's stderr");

        // --- and both runs agree
        assertSameResults(new Tables(reference.resolve("warehouse").toString()),
                new Tables(root.resolve("warehouse-cluster").toString()));
        System.out.printf("StandaloneClusterTest: tasks per executor %s, wall time %.1f s%n",
                events.tasksPerExecutor(), (System.nanoTime() - started) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------------- results

    private static void assertSameResults(Tables local, Tables cluster) {
        for (SourceFamily f : SourceFamily.values()) {
            List<String> expected = rows(spark().read().format("delta").load(local.clean(f)));
            assertFalse(expected.isEmpty(), "clean/" + f.id() + " is empty");
            assertEquals(expected, rows(spark().read().format("delta").load(cluster.clean(f))), "clean/" + f.id());
            assertEquals(spark().read().format("delta").load(local.quarantine(f)).count(),
                    spark().read().format("delta").load(cluster.quarantine(f)).count(), "quarantine/" + f.id() + " rows");
        }
        List<String> expected = exceptions(local);
        assertFalse(expected.isEmpty(), "no exceptions in local mode");
        assertEquals(expected, exceptions(cluster), "exceptions (id, rule, amount)");
    }

    private static List<String> exceptions(Tables t) {
        return spark().read().format("delta").load(t.exceptions())
                .selectExpr("exception_id", "rule_id", "cast(amount_at_risk as string)").collectAsList().stream()
                .map(Row::toString).sorted().toList();
    }

    /** Every row without its run-specific columns, as text, sorted. */
    private static List<String> rows(Dataset<Row> table) {
        String[] keep = Stream.of(table.columns()).filter(c -> !RUN_COLUMNS.contains(c)).toArray(String[]::new);
        return table.selectExpr(keep).collectAsList().stream().map(Row::toString).sorted().toList();
    }

    // ---------------------------------------------------------------------------------------------------- cluster

    /** This JVM's classpath, split into Spark's jars, the application's libraries and its classes folder. */
    record Classpath(List<Path> spark, List<Path> app, Path classes) {
        static Classpath ofThisJvm() throws Exception {
            // Surefire may run the tests through a manifest-only jar; it names the real classpath here.
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path classes = Path.of(CrossCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<Path> spark = new ArrayList<>();
            List<Path> app = new ArrayList<>();
            for (String e : cp.split(File.pathSeparator)) {
                if (e.isBlank() || !e.endsWith(".jar")) {
                    continue; // classes and test-classes folders
                }
                String unix = e.replace(File.separatorChar, '/');
                if (TEST_ONLY.stream().anyMatch(unix::contains)) {
                    continue;
                }
                (APP_LIBRARIES.stream().anyMatch(unix::contains) ? app : spark).add(Path.of(e));
            }
            assertTrue(spark.stream().anyMatch(p -> p.getFileName().toString().startsWith("spark-core_")),
                    "spark-core not found on the classpath: " + cp);
            assertTrue(app.stream().anyMatch(p -> p.getFileName().toString().startsWith("delta-spark_")),
                    "delta-spark not found on the classpath: " + cp);
            return new Classpath(spark, app, classes);
        }
    }

    /**
     * A Spark installation as the Worker needs it to launch executors: {@code jars/} (links to Spark's jars) and
     * {@code conf/} (a logback.xml, as the build logs through logback instead of Spark's log4j2).
     */
    private static Path sparkHome(Path home, List<Path> jars) throws IOException {
        Path dir = Files.createDirectories(home.resolve("jars"));
        for (Path jar : jars) {
            Path link = dir.resolve(jar.getFileName().toString());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.spark.deploy" level="INFO"/>
                  <logger name="org.crosscheck" level="INFO"/>
                  <root level="WARN"><appender-ref ref="STDERR"/></root>
                </configuration>
                """);
        return home;
    }

    /** Starts {@code java <main class and arguments>} the way bin/spark-class would, output to a log file. */
    private static Child start(String name, Path root, Path sparkHome, String heap, List<String> mainAndArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(FAST_JVM);
        cmd.add("@" + repoRoot().resolve("jobs/jvm.options"));
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("conf") + File.pathSeparator + sparkHome.resolve("jars") + File.separator + "*");
        cmd.addAll(mainAndArgs);
        Path log = root.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_") || k.equals("CLASSPATH"));
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
        env.put("SPARK_SCALA_VERSION", "2.13"); // else the Worker looks for a source build's folders
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        synchronized (StandaloneClusterTest.class) {
            Child child = new Child(name, pb.start(), log);
            CHILDREN.add(child);
            return child;
        }
    }

    private static JsonNode awaitJson(String url, Duration timeout, String what, Predicate<JsonNode> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (Child c : CHILDREN) {
                if (!c.process().isAlive() && !c.name().equals("spark-submit")) {
                    fail(c.name() + " exited with code " + c.process().exitValue() + " while waiting for " + what
                            + "\n" + logs());
                }
            }
            try {
                HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection();
                http.setConnectTimeout(2000);
                http.setReadTimeout(5000);
                try (InputStream in = http.getInputStream()) {
                    JsonNode json = new ObjectMapper().readTree(in);
                    if (done.test(json)) {
                        return json;
                    }
                    last = json.toString();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        fail("timed out after " + timeout + " waiting for " + what + " at " + url + "; last answer: " + last
                + "\n" + logs());
        return null;
    }

    private static String logs() {
        synchronized (StandaloneClusterTest.class) {
            return CHILDREN.stream().map(Child::tail).collect(Collectors.joining("\n"));
        }
    }

    private static boolean hasExecutorLog(Path workDir) {
        try (Stream<Path> s = Files.walk(workDir)) {
            return s.anyMatch(p -> p.getFileName().toString().equals("stderr"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The application jar: CrossCheck's classes, without the local launcher's logback.xml (as the cluster profile). */
    private static Path appJar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.crosscheck.cli.CrossCheck");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.equals("logback.xml")) {
                    continue;
                }
                jos.putNextEntry(new JarEntry(name));
                Files.copy(f, jos);
                jos.closeEntry();
            }
        }
        return jar;
    }

    /** The cluster run's configuration: the sample's landing files and mappings, its own warehouse and exports. */
    private static Path writeConfig(Path data, Path file, String master, Path warehouse, Path exports) throws IOException {
        Path rules = repoRoot().resolve("rules");
        return Files.writeString(file, """
                spark:
                  master: %s
                  shuffle_partitions: 2
                  conf:                      # small data: as SparkTestSupport, few partitions everywhere
                    spark.default.parallelism: "2"
                    spark.databricks.delta.snapshotPartitions: "2"
                    spark.sql.sources.parallelPartitionDiscovery.parallelism: "2"
                storage:
                  warehouse: %s
                  exports: %s
                ingest:
                  landing: %s
                  mappings: [%s]
                screening:
                  quality_rules: %s
                  screening_rules: %s
                """.formatted(master, warehouse, exports, data.resolve("landing"), data.resolve("mappings"),
                rules.resolve("quality"), rules.resolve("screening")));
    }

    /** The events of the one application in an event-log folder (uncompressed). */
    record EventLog(Set<String> executorsAdded, Map<String, Integer> tasksPerExecutor) {
        static EventLog read(Path dir) throws IOException {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).toList();
            }
            assertEquals(1, files.size(), "one event log expected in " + dir + ": " + files);
            assertFalse(files.get(0).toString().endsWith(".inprogress"), "application did not stop: " + files);
            ObjectMapper json = new ObjectMapper();
            Set<String> added = new HashSet<>();
            Map<String, Integer> tasks = new HashMap<>();
            for (String line : Files.readAllLines(files.get(0), StandardCharsets.UTF_8)) {
                if (line.contains("\"SparkListenerExecutorAdded\"")) {
                    JsonNode e = json.readTree(line);
                    added.add(e.path("Executor ID").asText());
                    assertEquals("127.0.0.1", e.path("Executor Info").path("Host").asText(), line);
                } else if (line.contains("\"SparkListenerTaskEnd\"")) {
                    tasks.merge(json.readTree(line).path("Task Info").path("Executor ID").asText(), 1, Integer::sum);
                }
            }
            return new EventLog(added, tasks);
        }
    }
}
