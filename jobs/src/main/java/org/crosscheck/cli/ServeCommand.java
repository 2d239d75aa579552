package org.crosscheck.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.core.Tables;
import org.crosscheck.review.CaseKeys;
import org.crosscheck.serve.CaseStore;
import org.crosscheck.serve.ReviewServer;
import org.crosscheck.serve.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the review workspace: a web application for risk officers (work queue, case pages,",
                "confirm / dismiss / assign / reopen). Dispositions go through the same review path as",
                "'review import'. Runs until stopped (Ctrl-C). See docs/review-workspace.md.",
                "'serve --hash-password' reads a password from standard input and prints its bcrypt hash."})
class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--users", paramLabel = "FILE", description = "Users and roles (YAML, bcrypt hashes).")
    Path users;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; put a TLS proxy in front).")
    String host;

    @Option(names = "--secure-cookies", description = "Mark the session cookie Secure (when served over HTTPS).")
    boolean secureCookies;

    @Option(names = "--reload-seconds", defaultValue = "2",
            description = "How often to check the tables for changes (default ${DEFAULT-VALUE}).")
    double reloadSeconds;

    @Option(names = "--hash-password", description = "Print the bcrypt hash of the password read from standard input, and exit.")
    boolean hashPassword;

    @Override
    public Integer call() throws Exception {
        if (hashPassword) {
            String pw = System.console() != null ? new String(System.console().readPassword("Password: "))
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (pw == null || pw.isEmpty()) {
                System.err.println("crosscheck serve: no password given on standard input");
                return ExitCode.USAGE.code;
            }
            System.out.println(Users.hash(pw));
            return ExitCode.SUCCESS.code;
        }
        CrossCheckConfig cfg = StageCommand.loadConfig(config, "serve");
        if (cfg == null) {
            return ExitCode.USAGE.code;
        }
        if (users == null) {
            System.err.println("crosscheck serve: --users FILE is required (users, roles and password hashes; see "
                    + "docs/review-workspace.md)");
            return ExitCode.USAGE.code;
        }
        Users people;
        try {
            people = Users.load(users);
        } catch (CrossCheckException e) {
            System.err.println("crosscheck serve: " + e.getMessage());
            return e.exitCode().code;
        }
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        // no metastore: the server reads and writes the Delta tables by path, so it never holds an embedded
        // metastore that a screening run needs
        SparkSession spark = SparkSessions.create(CaseStore.serverSettings(cfg.spark()));
        Tables tables = new Tables(cfg.storage().warehouse());
        CountDownLatch stop = new CountDownLatch(1);
        try (CaseStore store = new CaseStore(spark, tables, cfg.review(), CaseKeys.fromConfig(cfg.screening()));
             ReviewServer server = new ReviewServer(store, people, secureCookies).start(host, port)) {
            store.watch(reloadSeconds);
            System.out.println("Review workspace: http://" + host + ":" + server.port() + "/ (" + store.snapshot().size()
                    + " cases; Ctrl-C stops it)");
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "review-workspace-stop"));
            stop.await();
        } catch (CrossCheckException e) {
            System.err.println("crosscheck serve: " + e.getMessage());
            return e.exitCode().code;
        } finally {
            if (ownSession) {
                spark.stop();
            }
            LOG.info("Review workspace stopped");
        }
        return ExitCode.SUCCESS.code;
    }
}
