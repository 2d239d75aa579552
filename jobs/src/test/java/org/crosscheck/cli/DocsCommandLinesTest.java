package org.crosscheck.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code crosscheck …} command line in README.md and the Markdown files under docs/, bench/, notebooks/ and
 * sample-data/ (in code spans and code blocks, including spark-submit lines with the main class) is parsed by the
 * CLI's own parser, so a renamed command or option cannot linger in the docs. Placeholders ({@code <file>},
 * {@code PERSONS}) stand for a value. No Spark: parsing only.
 */
class DocsCommandLinesTest {
    private static final Pattern CODE = Pattern.compile("```[a-z]*\\n(.*?)```|`([^`\\n]+)`", Pattern.DOTALL);
    private static final Pattern LAUNCHER = Pattern.compile("(?:^|[\\s;&(])(?:\\./)?crosscheck((?: [^\\s#|;&)]+)*)");
    private static final Pattern SUBMIT = Pattern.compile("--class org\\.crosscheck\\.cli\\.CrossCheck(?: --\\S+ \\S+)* (?:\\S*\\$\\([^)]*\\)\\S*|\\S+\\.jar|\\$\\S+)((?: [^\\s#|;&]+)*)");

    static List<Path> docs(Path root) throws IOException {
        List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
        for (String dir : List.of("docs", "bench", "notebooks", "sample-data")) {
            Path d = root.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** The argument lists of the command lines in one Markdown text. */
    static List<String> commandLines(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher code = CODE.matcher(markdown);
        while (code.find()) {
            String text = (code.group(1) != null ? code.group(1) : code.group(2)).replace("\\\n", " ");
            for (String line : text.split("\n")) {
                // a quoted argument (an SQL statement) is one token
                String l = line.replaceAll("\"[^\"]*\"", "Q").replaceAll("\\s+#.*$", "").replaceAll("\\s+", " ");
                Matcher m = SUBMIT.matcher(l);
                if (m.find()) {
                    out.add(m.group(1).strip());
                    continue;
                }
                m = LAUNCHER.matcher(l);
                while (m.find()) {
                    String args = m.group(1).strip();
                    if (!args.isEmpty() && !args.startsWith("<command>") && !args.startsWith(".") && !args.startsWith("-jobs")) {
                        out.add(args);
                    }
                }
            }
        }
        return out;
    }

    static String[] tokens(String args) {
        String filled = args.replaceAll("<[^>]*>", "1").replaceAll("\\b[A-Z][A-Z_]{2,}\\b", "1");
        return filled.replace("\"", "").split(" ");
    }

    @Test
    void everyCommandLineInTheDocsParses() throws IOException {
        Path root = Path.of(System.getProperty("crosscheck.repo.root", "..")).toAbsolutePath().normalize();
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Path doc : docs(root)) {
            for (String args : commandLines(Files.readString(doc))) {
                try {
                    CrossCheck.commandLine().parseArgs(tokens(args));
                    parsed++;
                } catch (CommandLine.ParameterException e) {
                    failures.add(root.relativize(doc) + ": crosscheck " + args + " -> " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            fail("command lines in the docs that the CLI does not accept:\n  " + String.join("\n  ", failures));
        }
        assertTrue(parsed >= 8, "found only " + parsed + " command lines; is the extraction still working?");
    }

    @Test
    void aRenamedCommandIsCaught() {
        List<String> lines = commandLines("Run `crosscheck review-import <file> --reviewer <name>` then\n```bash\n"
                + "./crosscheck run --config x.yaml   # comment\n```\n");
        assertTrue(lines.equals(List.of("review-import <file> --reviewer <name>", "run --config x.yaml")), lines.toString());
        try {
            CrossCheck.commandLine().parseArgs(tokens(lines.get(0)));
            fail("review-import is not a command");
        } catch (CommandLine.ParameterException expected) {
            // the test above would report it
        }
    }
}
