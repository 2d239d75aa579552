package org.crosscheck.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SparkSessions;
import org.crosscheck.preflight.Preflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crosscheck check}: the checks every command makes before it works, and nothing else. It reads no
 * table and writes nothing; rule SQL is analysed in a local session (planned, never executed: no Spark job).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check the configuration, every mapping, every quality and screening rule file and every",
                "parameter override, and list every problem at once (exit 2), without reading or writing any table.",
                "Exit 0 when a run would start."})
class CheckCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (YAML). Without it: embedded defaults.")
    Path config;

    @Override
    public Integer call() {
        CrossCheckConfig cfg = StageCommand.loadConfig(config, "check");
        if (cfg == null) {
            return ExitCode.USAGE.code;
        }
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        // a small local session whatever the configured master: analysing SQL needs no cluster
        SparkSession spark = ownSession
                ? SparkSessions.create(new CrossCheckConfig.SparkSettings("local[1]", "crosscheck-check", 1,
                        cfg.spark().timeZone(), Map.of("spark.ui.enabled", "false")))
                : SparkSession.getDefaultSession().get();
        try {
            List<String> problems = Preflight.problems(spark, cfg, true, ScreenCommand.javaRules(cfg));
            if (problems.isEmpty()) {
                System.out.println("configuration " + (config == null ? "(defaults)" : config) + ": no problems found");
                return ExitCode.SUCCESS.code;
            }
            System.err.println("crosscheck check: " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems.stream().map(p -> p.replace("\n", "\n    ")).toList()));
            return ExitCode.USAGE.code;
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }
}
