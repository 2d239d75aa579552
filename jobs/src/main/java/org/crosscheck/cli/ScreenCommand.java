package org.crosscheck.cli;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.StepTimer;
import org.crosscheck.linkage.DuplicateIdentityRule;
import org.crosscheck.linkage.LinkageTables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.ScreeningEngine;
import org.crosscheck.screen.ScreeningRule;
import org.crosscheck.screen.ScreeningRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "screen", mixinStandardHelpOptions = true,
        description = {"Run the screening rules over the cleaned tables and merge their findings into the exception list.",
                "Review dispositions are kept; findings no longer produced become 'resolved'.",
                "Exit code 5 when new or open exceptions await review."})
class ScreenCommand extends StageCommand {
    @Option(names = "--as-of", paramLabel = "DATE",
            description = "Run date (yyyy-MM-dd) for open coverage and look-back windows; default today.")
    LocalDate asOf;

    @Override
    String name() {
        return "screen";
    }

    @Override
    ExitCode execute(Context ctx) {
        return screen(ctx, asOf).exitCode();
    }

    /** Java rules (model scoring, linkage) that take part beside the rule files. */
    static List<ScreeningRule> javaRules(Context ctx) {
        List<ScreeningRule> rules = new java.util.ArrayList<>(AnomalyRules.all());
        rules.add(DuplicateIdentityRule.forScreeningRules(ctx.config().screening().screeningRules()));
        return rules;
    }

    static ExceptionList.MergeSummary screen(Context ctx, LocalDate asOf) {
        LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneId.of(ctx.config().spark().timeZone()));
        ScreeningEngine engine;
        try (StepTimer step = StepTimer.start(ctx.spark(), "screen: load and check rules")) {
            engine = ScreeningEngine.load(ctx.spark(), ctx.config().screening(), javaRules(ctx));
        }
        for (ScreeningRule r : engine.rules()) {
            ctx.manifest().addRule(r.id(), r.version());
        }
        ScreeningRun run;
        // SQL rules are planned here; Java rules may compute now (anomaly_score fits and scores its forest)
        try (StepTimer step = StepTimer.start(ctx.spark(), "screen: prepare rules (Java rules compute here)")) {
            run = engine.run(ctx.tables(), date);
        }
        Dataset<Row> findings = run.findings().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> counts;
            try (StepTimer step = StepTimer.start(ctx.spark(), "screen: run " + engine.rules().size() + " rules")) {
                counts = run.countsByRule();
                step.rows(counts.values().stream().mapToLong(Long::longValue).sum()).detail("findings");
            }
            counts.forEach((rule, n) -> ctx.manifest().addExceptionCount(rule, n));
            Set<String> rulesRun = new LinkedHashSet<>(run.ruleIds());
            ExceptionList.MergeSummary summary;
            try (StepTimer step = StepTimer.start(ctx.spark(), "screen: merge into the exception list")) {
                summary = ExceptionList.merge(ctx.spark(), ctx.tables(), findings, ctx.runId(), rulesRun);
            }
            System.out.print(render(counts, summary));
            for (ScreeningRule r : engine.rules()) {
                if (r instanceof DuplicateIdentityRule linkage && linkage.lastRun() != null) {
                    try (StepTimer step = StepTimer.start(ctx.spark(), "screen: write person_cluster")) {
                        step.rows(LinkageTables.writePersonClusters(ctx.spark(), ctx.tables(), linkage.lastRun()))
                                .detail("identities");
                    }
                    linkage.lastRun().release();
                }
            }
            return summary;
        } finally {
            findings.unpersist();
        }
    }

    static String render(Map<String, Long> counts, ExceptionList.MergeSummary s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-30s %10s%n", "screening rule", "findings"));
        long total = 0;
        for (var e : counts.entrySet()) {
            sb.append(String.format("%-30s %10d%n", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        sb.append(String.format("%-30s %10d%n", "total", total));
        sb.append(String.format("exception list: %d new, %d still present, %d reopened, %d resolved; %d await review%n",
                s.inserted(), s.stillPresent(), s.reopened(), s.resolved(), s.awaitingReview()));
        return sb.toString();
    }
}
