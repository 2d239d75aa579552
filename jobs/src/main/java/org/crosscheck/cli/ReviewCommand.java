package org.crosscheck.cli;

import java.nio.file.Path;

import org.crosscheck.core.ExitCode;
import org.crosscheck.review.CaseKeys;
import org.crosscheck.review.ReviewImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "review", mixinStandardHelpOptions = true,
        description = "Work with reviewers' dispositions.",
        subcommands = ReviewCommand.Import.class)
class ReviewCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: review import FILE");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Apply the disposition, disposition_reason, review_note, reviewer and assignee columns of an",
                    "edited export (CSV or XLSX) to the cases. Each row is compared with what the export showed (its",
                    "revision): a row on a case changed since by someone else is a conflict and is not applied.",
                    "Every change is appended to the review log. Conflicts and invalid rows are listed and not",
                    "applied (exit code 3); the other rows are applied."})
    static class Import extends StageCommand {
        @Parameters(paramLabel = "FILE", description = "The edited export (.csv or .xlsx).")
        Path file;

        @Option(names = "--reviewer", required = true, description = "Who made the dispositions (used when the file's reviewer column is empty).")
        String reviewer;

        @Override
        String name() {
            return "review import";
        }

        @Override
        ExitCode execute(Context ctx) {
            ReviewImport.Result r = ReviewImport.apply(ctx.spark(), ctx.tables(), file, reviewer, ctx.config().review(),
                    CaseKeys.fromConfig(ctx.config().screening()));
            ctx.manifest().addInput(file.toString(), null, "review", r.rowsRead());
            System.out.printf("%s: %d rows read, %d changes applied, %d unchanged, %d conflicts, %d rejected%n", file,
                    r.rowsRead(), r.applied(), r.unchanged(), r.conflicts().size(), r.rejected().size());
            r.warnings().forEach(w -> System.out.println("  warning: " + w));
            r.conflicts().forEach(p -> System.out.println("  conflict: " + p));
            r.rejected().forEach(p -> System.out.println("  rejected: " + p));
            return r.hasRejections() ? ExitCode.BAD_INPUT : ExitCode.SUCCESS;
        }
    }
}
