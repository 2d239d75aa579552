package org.crosscheck.cli;

import java.time.LocalDate;
import java.util.List;

import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Progress;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.validate.AnalystTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"ingest -> validate -> screen -> export, then publish the analyst tables when a pseudonymisation",
                "key is configured (otherwise a warning says why they were not published), register the tables in the",
                "catalog and write the HTML run report (its path is the last line printed).",
                "Every stage is safe to re-run: a run killed at any point and started again ends with the same tables."})
class RunCommand extends StageCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--as-of", paramLabel = "DATE", description = "Run date for screening (yyyy-MM-dd); default today.")
    LocalDate asOf;

    @Option(names = "--fail-on", paramLabel = "OUTCOME",
            description = "Which screening outcome exits 5: findings (default, or run.fail_on), new_findings,"
                    + " new_high_severity, never.")
    FailOn failOn;

    @Override
    String name() {
        return "run";
    }

    @Override
    boolean readsLanding() {
        return true;
    }

    @Override
    boolean needsExistingWarehouse() {
        return false; // the first run creates it
    }

    @Override
    ExitCode execute(Context ctx) {
        int stages = 8;
        System.out.println("== ingest");
        try (Progress step = Progress.stage(ctx.spark(), 1, stages, "ingest")) {
            step.rows(IngestCommand.ingest(ctx).rowsLoaded());
        }
        System.out.println("== validate");
        try (Progress step = Progress.stage(ctx.spark(), 2, stages, "validate")) {
            step.rows(ValidateCommand.validate(ctx, false).families().stream().mapToLong(f -> f.counts().read()).sum());
        }
        System.out.println("== screen");
        ExceptionList.MergeSummary summary;
        try (Progress step = Progress.stage(ctx.spark(), 3, stages, "screen")) {
            summary = ScreenCommand.screen(ctx, asOf);
        }
        System.out.println("== report");
        try (Progress step = Progress.stage(ctx.spark(), 4, stages, "export")) {
            step.rows(ReportCommand.report(ctx).exceptions());
        }
        try (Progress step = Progress.stage(ctx.spark(), 5, stages, "correction requests")) {
            CorrectionsCommand.corrections(ctx);
        }
        System.out.println("== publish");
        try (Progress step = Progress.stage(ctx.spark(), 6, stages, "publish")) {
            List<SourceFamily> published = AnalystTables.publish(ctx.spark(), ctx.config());
            System.out.println("analyst tables published: " + published.stream().map(SourceFamily::id).toList());
        } catch (CrossCheckException e) {
            if (e.exitCode() != ExitCode.USAGE) {
                throw e;
            }
            LOG.warn(e.getMessage()); // once: on stderr with the other warnings
        }
        System.out.println("== catalog");
        try (Progress step = Progress.stage(ctx.spark(), 7, stages, "catalog")) {
            step.rows(ReportCommand.catalog(ctx));
        }
        System.out.println("== run report");
        try (Progress step = Progress.stage(ctx.spark(), 8, stages, "run report")) {
            ReportCommand.runReport(ctx, ctx.runId());
        }
        return ScreenCommand.exitCode(ctx, summary, failOn);
    }
}
