package org.crosscheck.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;

/**
 * Deterministic sample data: department extract files under {@code landing/}, one mapping file per layout under
 * {@code mappings/}, and {@code truth.csv} listing the planted screening cases, the traps that must not be
 * flagged, and the bad rows validation must catch.
 *
 * <p>The same persons and seed give byte-identical files: every person draws from its own random stream, files
 * are written in a fixed order, and no clock is read. Rows are streamed to disk as they are made, so memory does
 * not grow with the population (about 25 rows per person; a million persons is about 25 million rows).
 *
 * <p>A re-run replaces {@code landing/}, {@code mappings/} and {@code truth.csv} under the output folder; nothing
 * else there is touched.
 */
public final class SampleDataGenerator {
    public static final int DEFAULT_PERSONS = 2000;
    public static final long DEFAULT_SEED = 42;
    /** Fewer persons leave too few candidates for the planted bad rows. */
    public static final int MIN_PERSONS = 200;

    private SampleDataGenerator() {
    }

    public static void main(String[] args) {
        Path out = null;
        int persons = DEFAULT_PERSONS;
        long seed = DEFAULT_SEED;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--persons" -> persons = Integer.parseInt(value(args, ++i).replace("_", ""));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    case "-h", "--help" -> {
                        System.out.println(usage());
                        return;
                    }
                    default -> throw CrossCheckException.config("unknown option '" + args[i] + "'\n" + usage());
                }
            }
            if (out == null) {
                throw CrossCheckException.config("--out is required\n" + usage());
            }
            GenerationSummary summary = generate(out, persons, seed);
            System.out.print(summary.describe());
        } catch (NumberFormatException e) {
            System.err.println("not a number: " + e.getMessage() + "\n" + usage());
            System.exit(ExitCode.USAGE.code);
        } catch (CrossCheckException e) {
            System.err.println(e.getMessage());
            System.exit(e.exitCode().code);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw CrossCheckException.config("option " + args[i - 1] + " needs a value\n" + usage());
        }
        return args[i];
    }

    private static String usage() {
        return "usage: SampleDataGenerator --out DIR [--persons N (default " + DEFAULT_PERSONS + ")] [--seed S (default "
                + DEFAULT_SEED + ")]";
    }

    /** Writes the sample data set under {@code out} and returns what was written. */
    public static GenerationSummary generate(Path out, int persons, long seed) {
        if (persons < MIN_PERSONS) {
            throw CrossCheckException.config("--persons must be at least " + MIN_PERSONS + ", got " + persons);
        }
        long started = System.nanoTime();
        Path landing = out.resolve("landing");
        Path mappings = out.resolve("mappings");
        deleteTree(landing);
        deleteTree(mappings);

        IdentityPool pool = new IdentityPool(seed);
        if (persons + PlantedCases.reserve(persons) * 2 > pool.names().capacity()) {
            throw CrossCheckException.config("--persons " + persons + " is more than the name space allows ("
                    + pool.names().capacity() * 5 / 6 + ")");
        }
        TruthLog truth = new TruthLog();
        List<PlantedCase> planted = PlantedCases.plant(persons, seed, pool, truth);
        QualityPlan quality = new QualityPlan(persons, Math.max(2, persons / 20_000));
        java.util.Map<String, Long> rows;
        try (LandingZone zone = new LandingZone(landing)) {
            LifeEvents life = new LifeEvents(zone, truth);
            Population population = new Population(seed, persons, pool, life, quality);
            int next = 0;
            for (int i = 0; i < persons; i++) {
                population.emit(i);
                while (next < planted.size() && planted.get(next).slot() == i) {
                    planted.get(next++).history().accept(life);
                }
            }
            rows = zone.rowsPerFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample data under " + out, e);
        }
        MappingFiles.write(mappings);
        truth.write(out.resolve("truth.csv"));
        GenerationSummary summary = new GenerationSummary(rows, truth.counts(), (System.nanoTime() - started) / 1e9);
        return summary;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
