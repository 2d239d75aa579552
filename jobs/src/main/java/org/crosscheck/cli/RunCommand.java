package org.crosscheck.cli;

import java.time.LocalDate;
import java.util.List;

import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StepTimer;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.validate.AnalystTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"ingest -> validate -> screen -> report, then publish the analyst tables when a pseudonymisation",
                "key is configured (otherwise a warning says why they were not published).",
                "Every stage is safe to re-run: a run killed at any point and started again ends with the same tables."})
class RunCommand extends StageCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--as-of", paramLabel = "DATE", description = "Run date for screening (yyyy-MM-dd); default today.")
    LocalDate asOf;

    @Override
    String name() {
        return "run";
    }

    @Override
    ExitCode execute(Context ctx) {
        System.out.println("== ingest");
        try (StepTimer step = StepTimer.start(ctx.spark(), "stage ingest")) {
            step.rows(IngestCommand.ingest(ctx).rowsLoaded());
        }
        System.out.println("== validate");
        try (StepTimer step = StepTimer.start(ctx.spark(), "stage validate")) {
            step.rows(ValidateCommand.validate(ctx, false).families().stream().mapToLong(f -> f.counts().read()).sum());
        }
        System.out.println("== screen");
        ExceptionList.MergeSummary summary;
        try (StepTimer step = StepTimer.start(ctx.spark(), "stage screen")) {
            summary = ScreenCommand.screen(ctx, asOf);
        }
        System.out.println("== report");
        try (StepTimer step = StepTimer.start(ctx.spark(), "stage report")) {
            step.rows(ReportCommand.report(ctx).exceptions());
        }
        CorrectionsCommand.corrections(ctx);
        System.out.println("== publish");
        try (StepTimer step = StepTimer.start(ctx.spark(), "stage publish")) {
            List<SourceFamily> published = AnalystTables.publish(ctx.spark(), ctx.config());
            System.out.println("analyst tables published: " + published.stream().map(SourceFamily::id).toList());
        } catch (CrossCheckException e) {
            if (e.exitCode() != ExitCode.USAGE) {
                throw e;
            }
            LOG.warn(e.getMessage());
            System.out.println(e.getMessage());
        }
        return summary.exitCode();
    }
}
