package org.crosscheck.cli;

import org.crosscheck.core.ExitCode;
import org.crosscheck.validate.ValidateJob;
import org.crosscheck.validate.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check every new bronze row against the quality rules; quarantine bad rows with their reasons and",
                "merge good rows into the cleaned tables. Prints rows read = clean + quarantined + duplicates per table;",
                "exit code 4 if those books do not balance. Loads already validated are not validated again."})
class ValidateCommand extends StageCommand {
    @Option(names = "--all", description = "Re-validate every load, not only new ones (the cleaned tables change only where a row changed).")
    boolean all;

    @Override
    String name() {
        return "validate";
    }

    @Override
    ExitCode execute(Context ctx) {
        validate(ctx, all);
        return ExitCode.SUCCESS;
    }

    static ValidationReport validate(Context ctx, boolean all) {
        ValidationReport report = ValidateJob.run(ctx.spark(), ctx.config(), ctx.runId(), all);
        for (ValidationReport.FamilyReport f : report.families()) {
            String family = f.family().id();
            ctx.manifest().addRowCount("validated_read." + family, f.counts().read());
            ctx.manifest().addRowCount("validated_quarantined." + family, f.counts().quarantined());
        }
        System.out.print(report);
        return report;
    }
}
