package org.crosscheck.cli;

import java.nio.file.Path;

import org.crosscheck.core.ExitCode;
import org.crosscheck.publish.ExceptionExport;
import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Export the current exception list for risk officers: CSV (UTF-8 with BOM) and XLSX",
                "(a summary sheet and one sheet per rule) under <exports>/<run id>/."})
class ReportCommand extends StageCommand {
    @Override
    String name() {
        return "report";
    }

    @Override
    ExitCode execute(Context ctx) {
        report(ctx);
        return ExitCode.SUCCESS;
    }

    static ExceptionExport.ExportFiles report(Context ctx) {
        if (org.crosscheck.core.DeltaTables.exists(ctx.spark(), ctx.tables().exceptions())) {
            org.crosscheck.screen.ExceptionList.ensureTable(ctx.spark(), ctx.tables(),
                    org.crosscheck.review.CaseKeys.fromConfig(ctx.config().screening()));
        }
        ExceptionExport.ExportFiles files = ExceptionExport.write(ctx.spark(), ctx.tables(),
                Path.of(ctx.config().storage().exports()), ctx.runId(), ctx.config().review().dismissReasons());
        System.out.printf("exported %d active cases:%n  %s%n  %s%n  (latest copies: %s)%n", files.exceptions(),
                files.csv(), files.xlsx(), Path.of(ctx.config().storage().exports()).resolve("latest"));
        ctx.manifest().addRowCount("exported_exceptions", files.exceptions());
        return files;
    }
}
