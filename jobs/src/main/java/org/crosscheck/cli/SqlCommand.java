package org.crosscheck.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.catalog.SqlScript;
import org.crosscheck.catalog.TableCatalog;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL on the tables by name (crosscheck.clean_benefit_payment, crosscheck_analyst.contribution,",
                "crosscheck.metrics, ...), in a session on the configured catalog. Prints each result as a table.",
                "Example: ./crosscheck sql --config sample-data/crosscheck.yaml -f notebooks/analyst-queries.sql"})
class SqlCommand extends StageCommand {
    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Statements to run (separated by ;).")
    String sql;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A file of statements ending with ;.")
    Path file;

    @Option(names = "--max-rows", defaultValue = "50", description = "Rows shown per result (default ${DEFAULT-VALUE}).")
    int maxRows;

    @Override
    String name() {
        return "sql";
    }

    @Override
    boolean recordsRun() {
        return false;
    }

    @Override
    ExitCode execute(Context ctx) throws IOException {
        List<String> statements = new ArrayList<>();
        if (sql != null) {
            statements.addAll(SqlScript.statements(sql));
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw CrossCheckException.config("sql: file " + file + " does not exist");
            }
            statements.addAll(SqlScript.statements(Files.readString(file)));
        }
        if (statements.isEmpty()) {
            throw CrossCheckException.config("sql: give statements with -e or a file with -f");
        }
        // the tables a run registered; a session on a fresh metastore (e.g. after moving the warehouse) gets them too
        TableCatalog.Registration registration = TableCatalog.register(ctx.spark(), ctx.tables(), ctx.config().catalog());
        if (registration.skippedBecause() != null) {
            System.err.println("crosscheck sql: tables by name are not available: " + registration.skippedBecause());
        }
        int n = 0;
        for (String statement : statements) {
            n++;
            Dataset<Row> result;
            try {
                result = ctx.spark().sql(statement);
            } catch (RuntimeException e) {
                throw CrossCheckException.config("sql: statement " + n + " failed: " + firstLine(e.getMessage())
                        + "\n" + statement);
            }
            System.out.println("-- statement " + n);
            System.out.flush();
            result.show(maxRows, false);
        }
        return ExitCode.SUCCESS;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
