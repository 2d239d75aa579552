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
        ExceptionExport.ExportFiles files = ExceptionExport.write(ctx.spark(), ctx.tables(),
                Path.of(ctx.config().storage().exports()), ctx.runId());
        System.out.printf("exported %d exceptions:%n  %s%n  %s%n", files.exceptions(), files.csv(), files.xlsx());
        ctx.manifest().addRowCount("exported_exceptions", files.exceptions());
        return files;
    }
}
