package org.crosscheck.cli;

import java.nio.file.Path;

import org.crosscheck.core.ExitCode;
import org.crosscheck.screen.ReviewImport;
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
            description = {"Apply the status and note columns of an edited export (CSV or XLSX) to the exception list.",
                    "Every change is appended to the review log. Unknown exception ids and invalid statuses are",
                    "reported and not applied (exit code 3; the valid rows are still applied)."})
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
            ReviewImport.Result r = ReviewImport.apply(ctx.spark(), ctx.tables(), file, reviewer);
            ctx.manifest().addInput(file.toString(), null, "review", r.rowsRead());
            System.out.printf("%s: %d rows read, %d changes applied, %d unchanged, %d rejected%n", file, r.rowsRead(),
                    r.applied(), r.unchanged(), r.rejected().size());
            r.warnings().forEach(w -> System.out.println("  warning: " + w));
            r.rejected().forEach(p -> System.out.println("  rejected: " + p));
            return r.hasRejections() ? ExitCode.BAD_INPUT : ExitCode.SUCCESS;
        }
    }
}
