package org.crosscheck.cli;

import org.crosscheck.core.ExitCode;
import org.crosscheck.ingest.IngestJob;
import org.crosscheck.ingest.IngestReport;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Load department extract files from the landing folder into the bronze Delta tables.",
                "Files already loaded (same content) are skipped; a changed file is loaded as a new version."})
class IngestCommand extends StageCommand {
    @Override
    String name() {
        return "ingest";
    }

    @Override
    ExitCode execute(Context ctx) {
        ingest(ctx);
        return ExitCode.SUCCESS;
    }

    static IngestReport ingest(Context ctx) {
        IngestReport report = IngestJob.run(ctx.spark(), ctx.config(), ctx.runId());
        for (IngestReport.FileOutcome f : report.files()) {
            ctx.manifest().addInput(f.file(), f.loadId(), f.status().name().toLowerCase(java.util.Locale.ROOT), f.rows());
        }
        report.rowsByFamily().forEach((family, rows) -> ctx.manifest().addRowCount("bronze_rows_added." + family, rows));
        System.out.print(report.render());
        return report;
    }
}
