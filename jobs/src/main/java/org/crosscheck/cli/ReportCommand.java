package org.crosscheck.cli;

import java.nio.file.Path;

import org.crosscheck.catalog.TableCatalog;
import org.crosscheck.core.ExitCode;
import org.crosscheck.publish.ExceptionExport;
import org.crosscheck.report.RunReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Export the current exception list for risk officers: CSV (UTF-8 with BOM) and XLSX",
                "(a summary sheet and one sheet per rule) under <exports>/<run id>/, and write the HTML run report",
                "(<reports>/<run id>/index.html and <reports>/latest/index.html) for the latest run in the tables."})
class ReportCommand extends StageCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);

    @Option(names = "--run", paramLabel = "RUN_ID", description = "The run the HTML report is about (default: the latest).")
    String run;

    @Override
    String name() {
        return "report";
    }

    @Override
    ExitCode execute(Context ctx) {
        report(ctx);
        runReport(ctx, run);
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

    /** Writes the HTML run report and prints its path. */
    static RunReport.Written runReport(Context ctx, String runId) {
        RunReport.Written w = RunReport.write(ctx.spark(), ctx.tables(), Path.of(ctx.config().storage().reports()), runId);
        System.out.printf("run report: %s%n  (latest: %s)%n", w.page(), w.latest());
        return w;
    }

    /** Registers the tables by name; a metastore that cannot be opened is a warning, the tables stay by path. */
    static long catalog(Context ctx) {
        try {
            TableCatalog.Registration r = TableCatalog.register(ctx.spark(), ctx.tables(), ctx.config().catalog());
            if (r.skippedBecause() != null) {
                System.out.println("catalog: tables not registered: " + r.skippedBecause());
            } else {
                System.out.printf("catalog: %d tables in %s and %s (%d newly registered)%n", r.total(),
                        ctx.config().catalog().database(), ctx.config().catalog().analystDatabase(), r.registered().size());
            }
            return r.total();
        } catch (RuntimeException e) {
            // e.g. Derby's lock: another JVM (a notebook) holds the embedded metastore
            LOG.warn("catalog: could not register the tables: {}", e.toString());
            System.out.println("catalog: could not register the tables (" + e.getMessage().lines().findFirst().orElse("")
                    + "); they stay readable by path; see docs/catalog.md");
            return 0;
        }
    }
}
