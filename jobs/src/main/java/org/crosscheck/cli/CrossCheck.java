package org.crosscheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code crosscheck <command> [--config FILE]}. */
@Command(name = "crosscheck", mixinStandardHelpOptions = true, version = "CrossCheck 0.1.0",
        description = {"Cross-department verification of social-security data on Spark and Delta Lake.",
                "Stages: ingest -> validate -> screen -> report; 'run' chains them."},
        subcommands = {IngestCommand.class, ValidateCommand.class, ScreenCommand.class, ReportCommand.class, CorrectionsCommand.class,
                ReviewCommand.class, ServeCommand.class,
                PublishCommand.class, RunCommand.class, CheckCommand.class, SqlCommand.class, GenerateCommand.class,
                VacuumCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success, nothing awaits review",
                "2:bad command line or configuration (nothing was run)",
                "3:bad input: a file cannot be read as its mapping says",
                "4:internal failure (including row accounting that does not balance)",
                "5:success, and findings await review (which findings: run.fail_on / --fail-on)",
                "6:an expected delivery (ingest.expected) is missing or late; the rest of the run went through",
                "7:another run holds the warehouse's run lock; nothing was done"})
public class CrossCheck implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }

    /** The command line parser with every command, as {@link #execute} uses it (tests parse the docs with it). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CrossCheck());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    public static int execute(String... args) {
        CommandLine cli = commandLine();
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? 2 : 4);
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
