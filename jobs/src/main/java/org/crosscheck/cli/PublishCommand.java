package org.crosscheck.cli;

import java.util.List;

import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.validate.AnalystTables;
import picocli.CommandLine.Command;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Write the analysts' copies of the cleaned tables under <warehouse>/analyst/: national ids replaced",
                "by a keyed HMAC-SHA256 token (stable across runs), names and bank accounts dropped.",
                "The key comes from the environment variable or key file named in the configuration; without one",
                "nothing is published and the exit code is 2."})
class PublishCommand extends StageCommand {
    @Override
    String name() {
        return "publish";
    }

    @Override
    ExitCode execute(Context ctx) {
        List<SourceFamily> published = AnalystTables.publish(ctx.spark(), ctx.config());
        System.out.println("analyst tables published: " + published.stream().map(SourceFamily::id).toList());
        return ExitCode.SUCCESS;
    }
}
