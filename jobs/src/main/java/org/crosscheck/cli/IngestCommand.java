package org.crosscheck.cli;

import java.time.Instant;
import java.util.List;

import org.crosscheck.core.ExitCode;
import org.crosscheck.ingest.ExpectedDeliveries;
import org.crosscheck.ingest.IngestJob;
import org.crosscheck.ingest.IngestLog;
import org.crosscheck.ingest.IngestReport;
import org.crosscheck.ingest.MappingLoader;
import org.crosscheck.validate.LoadGuards;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Load department extract files from the landing folder into the bronze Delta tables.",
                "Files already loaded (same content) are skipped; a changed file is loaded as a new version.",
                "Plausibility guards judge every new load (exit 3 when one stops it); a missing or late expected",
                "delivery (ingest.expected) gives exit code 6."})
class IngestCommand extends StageCommand {
    @Override
    String name() {
        return "ingest";
    }

    @Override
    boolean readsLanding() {
        return true;
    }

    @Override
    boolean needsExistingWarehouse() {
        return false; // the first ingest creates it
    }

    @Override
    ExitCode execute(Context ctx) {
        ingest(ctx);
        return ExitCode.SUCCESS;
    }

    /** Ingests with the plausibility guards, then checks the expected deliveries (problems go to ctx.notices). */
    static IngestReport ingest(Context ctx) {
        IngestReport report = IngestJob.run(ctx.spark(), ctx.config(), ctx.runId(), new LoadGuards());
        List<String> late = ExpectedDeliveries.problems(ctx.spark().sparkContext().hadoopConfiguration(),
                ctx.config().ingest().landing(), MappingLoader.loadAll(ctx.config().ingest().mappings()),
                IngestLog.entries(ctx.spark(), ctx.tables()), ctx.config().ingest().expected(), Instant.now());
        ctx.notices().addAll(late);
        for (IngestReport.FileOutcome f : report.files()) {
            ctx.manifest().addInput(f.file(), f.loadId(), f.status().name().toLowerCase(java.util.Locale.ROOT), f.rows());
        }
        report.rowsByFamily().forEach((family, rows) -> ctx.manifest().addRowCount("bronze_rows_added." + family, rows));
        System.out.print(report.render());
        late.forEach(l -> System.out.println(l + " (exit code 6)"));
        return report;
    }
}
