package org.crosscheck.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.generate.GenerationSummary;
import org.crosscheck.generate.SampleDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write deterministic sample extracts (department layouts), their mapping files and a truth",
                "file of planted cases and traps. Same seed and size give byte-identical files."})
class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (landing/, mappings/, truth.csv).")
    Path out;

    @Option(names = "--persons", defaultValue = "2000", description = "Number of persons (default ${DEFAULT-VALUE}; ~25 rows each).")
    int persons;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        try {
            GenerationSummary summary = SampleDataGenerator.generate(out, persons, seed);
            System.out.print(summary.describe());
            return ExitCode.SUCCESS.code;
        } catch (CrossCheckException e) {
            System.err.println("crosscheck generate: " + e.getMessage());
            return e.exitCode().code;
        } catch (IllegalArgumentException e) {
            System.err.println("crosscheck generate: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
    }
}
