package org.crosscheck.cli;

import org.crosscheck.core.ExitCode;
import org.crosscheck.core.StepTimer;
import org.crosscheck.corrections.CorrectionsJob;
import picocli.CommandLine.Command;

@Command(name = "corrections", mixinStandardHelpOptions = true,
        description = {"The loop back to the departments: update corrections/requests (quarantined rows and records",
                "behind confirmed cases; corrected when a later delivery brings the row clean), write each department's",
                "request files and the notice drafts under <exports>/corrections/<run id>/, and append",
                "meta/correction_metrics. Part of 'run', after the report stage."})
class CorrectionsCommand extends StageCommand {
    @Override
    String name() {
        return "corrections";
    }

    @Override
    ExitCode execute(Context ctx) {
        corrections(ctx);
        return ExitCode.SUCCESS;
    }

    static CorrectionsJob.Summary corrections(Context ctx) {
        System.out.println("== corrections");
        try (StepTimer step = StepTimer.start(ctx.spark(), "stage corrections")) {
            CorrectionsJob.Summary s = CorrectionsJob.run(ctx.spark(), ctx.config(), ctx.runId());
            step.rows(s.items().size());
            System.out.printf("correction requests: %d files, %d notice drafts under %s (latest copies: %s)%n",
                    s.files().size(), s.notices().size(), s.folder(), s.folder().resolveSibling("latest"));
            System.out.print(s.table());
            ctx.manifest().addRowCount("open_correction_requests",
                    s.items().stream().filter(i -> i.isOpen()).count());
            return s;
        }
    }
}
