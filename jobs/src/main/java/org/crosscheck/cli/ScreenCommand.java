package org.crosscheck.cli;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crosscheck.anomaly.AnomalyRules;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.StepTimer;
import org.crosscheck.review.CaseKeys;
import org.crosscheck.review.CaseTotals;
import org.crosscheck.review.RulePrecision;
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
                "Dispositions are never changed by a run; cases no longer found become 'no longer found'.",
                "Exit code 5 when cases await review."})
class ScreenCommand extends StageCommand {
    @Option(names = "--as-of", paramLabel = "DATE",
            description = "Run date (yyyy-MM-dd) for open coverage and look-back windows; default today.")
    LocalDate asOf;

    @Option(names = "--fail-on", paramLabel = "OUTCOME",
            description = "Which outcome exits 5: findings (anything awaits review; default, or run.fail_on),"
                    + " new_findings (this run added or reopened one), new_high_severity (this run added a high-severity"
                    + " one), never.")
    FailOn failOn;

    @Override
    String name() {
        return "screen";
    }

    @Override
    ExitCode execute(Context ctx) {
        return exitCode(ctx, screen(ctx, asOf), failOn);
    }

    /**
     * The exit code of a screening outcome under the policy {@code flag} (else {@code run.fail_on}): 5 when the
     * outcome the policy names occurred, else 0. Schedulers that mark exit 5 failed can ask for 5 only on what
     * needs attention now.
     */
    static ExitCode exitCode(Context ctx, ExceptionList.MergeSummary s, FailOn flag) {
        String policy = flag != null ? flag.id() : ctx.config().run().failOn();
        boolean fail = switch (policy) {
            case "never" -> false;
            case "new_findings" -> s.inserted() + s.reappeared() + s.backForReview() > 0;
            case "new_high_severity" -> s.inserted() > 0 && ctx.spark().read().format("delta").load(ctx.tables().exceptions())
                    .filter(org.apache.spark.sql.functions.col(ExceptionList.FIRST_SEEN_RUN).equalTo(ctx.runId())
                            .and(org.apache.spark.sql.functions.col(org.crosscheck.screen.Findings.SEVERITY).equalTo("high")))
                    .limit(1).count() > 0;
            default -> s.findingsPresent();
        };
        if (!fail && s.findingsPresent()) {
            System.out.println(s.awaitingReview() + " exception(s) await review; exit code 0 under fail_on = " + policy);
        }
        return fail ? ExitCode.FINDINGS_PRESENT : ExitCode.SUCCESS;
    }

    /** Java rules (model scoring, linkage) that take part beside the rule files. */
    static List<ScreeningRule> javaRules(org.crosscheck.core.CrossCheckConfig cfg) {
        List<ScreeningRule> rules = new java.util.ArrayList<>(AnomalyRules.all());
        // duplicate_identity (probabilistic linkage); a deployment opts out with screening.disabled: [duplicate_identity]
        rules.add(DuplicateIdentityRule.forScreeningRules(cfg.screening().screeningRules()));
        return rules;
    }

    static ExceptionList.MergeSummary screen(Context ctx, LocalDate asOf) {
        LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneId.of(ctx.config().spark().timeZone()));
        ScreeningEngine engine;
        try (StepTimer step = StepTimer.start(ctx.spark(), "screen: load and check rules")) {
            engine = ScreeningEngine.load(ctx.spark(), ctx.config().screening(), javaRules(ctx.config()));
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
            Map<String, List<String>> rulesRun = new LinkedHashMap<>();
            Map<String, List<String>> keys = CaseKeys.of(engine.rules());
            run.ruleIds().forEach(id -> rulesRun.put(id, keys.getOrDefault(id, List.of())));
            ExceptionList.MergeSummary summary;
            try (StepTimer step = StepTimer.start(ctx.spark(), "screen: merge into the exception list")) {
                summary = ExceptionList.merge(ctx.spark(), ctx.tables(), findings, ctx.runId(), rulesRun,
                        ctx.config().review().backForReview());
            }
            List<RulePrecision.Line> precision;
            CaseTotals.Totals totals;
            try (StepTimer step = StepTimer.start(ctx.spark(), "screen: reviewers' precision and amount at risk")) {
                precision = RulePrecision.record(ctx.spark(), ctx.tables(), ctx.runId());
                totals = CaseTotals.of(ExceptionList.read(ctx.spark(), ctx.tables())
                        .where(col(ExceptionList.STATE).equalTo(ExceptionList.ACTIVE)));
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
            System.out.print(renderTotals(totals));
            System.out.print(renderPrecision(precision));
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
        sb.append(String.format("cases: %d new, %d still active, %d found again, %d no longer found, %d back for review;"
                        + " %d active, %d await review%n", s.inserted(), s.stillActive(), s.reappeared(),
                s.noLongerFound(), s.backForReview(), s.active(), s.awaitingReview()));
        return sb.toString();
    }

    static String renderTotals(CaseTotals.Totals t) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("amount at risk of the active cases: %s, each payment counted once (%s)%n",
                ExceptionList.money(t.total()), t.overlap().signum() > 0
                        ? "the cases' amounts add up to " + ExceptionList.money(t.sumOfCases()) + ": "
                        + ExceptionList.money(t.overlap()) + " of it is flagged by more than one case"
                        : "no payment is flagged by more than one case"));
        t.byRegion().forEach((region, amount) -> sb.append(String.format("  region %-12s %16s%n",
                region == null ? "(none)" : region, ExceptionList.money(amount))));
        return sb.toString();
    }

    static String renderPrecision(List<RulePrecision.Line> lines) {
        StringBuilder sb = new StringBuilder("reviewers' precision (confirmed / (confirmed + dismissed)) by rule:\n");
        lines.forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }
}
