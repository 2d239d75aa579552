package org.crosscheck.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads and checks the configuration before any Spark work starts. Unknown keys, bad values and missing local
 * paths are all collected and reported together, each by its dotted key name.
 */
public final class ConfigLoader {
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|passwd|token|credential|access\\.key|\\.key$).*");

    private ConfigLoader() {
    }

    /** A YAML mapper that refuses unknown keys and maps snake_case keys onto record components. */
    public static ObjectMapper yamlMapper() {
        return new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** Loads a configuration file; {@code null} gives the embedded defaults relative to the working directory. */
    public static CrossCheckConfig load(Path file) {
        Path base;
        CrossCheckConfig raw;
        if (file == null) {
            base = Path.of("").toAbsolutePath();
            raw = new CrossCheckConfig(null, null, null, null, null);
        } else {
            if (!Files.isRegularFile(file)) {
                throw CrossCheckException.config("configuration file " + file + " does not exist");
            }
            base = file.toAbsolutePath().getParent();
            raw = parse(file);
        }
        CrossCheckConfig resolved = resolve(raw, base);
        List<String> problems = validate(resolved);
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("configuration " + (file == null ? "(defaults)" : file) + " is invalid:\n  - "
                    + String.join("\n  - ", problems));
        }
        return resolved;
    }

    static CrossCheckConfig parse(Path file) {
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                return new CrossCheckConfig(null, null, null, null, null);
            }
            CrossCheckConfig cfg = yamlMapper().readValue(text, CrossCheckConfig.class);
            return cfg == null ? new CrossCheckConfig(null, null, null, null, null) : cfg;
        } catch (UnrecognizedPropertyException e) {
            throw CrossCheckException.config("configuration " + file + ": unknown key '" + dotted(e) + "'"
                    + " (known keys here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw CrossCheckException.config("configuration " + file + ": bad value for '" + dotted(e) + "': "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw CrossCheckException.config("configuration " + file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CrossCheckException.config("cannot read configuration " + file + ": " + e.getMessage());
        }
    }

    /** Dotted path of the key a Jackson error points at, e.g. {@code spark.shuffle_partitions}. */
    public static String dotted(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static CrossCheckConfig resolve(CrossCheckConfig c, Path base) {
        var storage = new CrossCheckConfig.StorageSettings(
                resolvePath(base, c.storage().warehouse()), resolvePath(base, c.storage().exports()),
                resolvePath(base, c.storage().reports()), c.storage().vacuumRetentionHours());
        // the embedded metastore needs a local folder: beside a local warehouse, else beside the configuration
        String derbyDir = c.catalog().derbyDir() != null ? resolvePath(base, c.catalog().derbyDir())
                : hasScheme(storage.warehouse()) ? base.resolve("_catalog").toString()
                : Path.of(storage.warehouse(), "_catalog").toString();
        var catalog = new CrossCheckConfig.CatalogSettings(c.catalog().metastore(), c.catalog().database(),
                c.catalog().analystDatabase(), derbyDir);
        var ingest = new CrossCheckConfig.IngestSettings(
                resolvePath(base, c.ingest().landing()),
                c.ingest().mappings().stream().map(m -> resolvePath(base, m)).toList(), c.ingest().expected());
        var pseudo = new CrossCheckConfig.PseudonymisationSettings(c.pseudonymisation().keyEnv(),
                c.pseudonymisation().keyFile() == null ? null : resolvePath(base, c.pseudonymisation().keyFile()));
        var screening = new CrossCheckConfig.ScreeningSettings(
                resolvePath(base, c.screening().qualityRules()), resolvePath(base, c.screening().screeningRules()),
                c.screening().enabled(), c.screening().disabled(), c.screening().parameters());
        var corrections = new CrossCheckConfig.CorrectionSettings(c.corrections().overdueDays(),
                c.corrections().noticeTemplate() == null ? null : resolvePath(base, c.corrections().noticeTemplate()));
        return new CrossCheckConfig(c.spark(), storage, ingest, pseudo, screening, c.review(), catalog, c.run(),
                corrections);
    }

    /** Resolves a relative local path against {@code base}; URIs with a scheme are returned unchanged. */
    public static String resolvePath(Path base, String p) {
        if (p == null) {
            return null;
        }
        if (hasScheme(p)) {
            return p;
        }
        return base.resolve(p).normalize().toString();
    }

    public static boolean hasScheme(String p) {
        try {
            URI uri = new URI(p);
            return uri.getScheme() != null && uri.getScheme().length() > 1 && !"file".equals(uri.getScheme());
        } catch (Exception e) {
            return false;
        }
    }

    static List<String> validate(CrossCheckConfig c) {
        List<String> problems = new ArrayList<>();
        int retention = c.storage().vacuumRetentionHours();
        if (retention != 0 && retention < CrossCheckConfig.StorageSettings.DEFAULT_VACUUM_RETENTION_HOURS) {
            problems.add("storage.vacuum_retention_hours must be 0 (off) or at least 168 (7 days: a shorter retention"
                    + " can delete files a running job or a time-travel query still reads), got " + retention);
        }
        if (c.spark().shufflePartitions() < 1) {
            problems.add("spark.shuffle_partitions must be at least 1, got " + c.spark().shufflePartitions());
        }
        if (c.spark().master().isBlank() && System.getProperty("spark.master") == null) {
            // allowed: spark-submit supplies it
        }
        try {
            java.time.ZoneId.of(c.spark().timeZone());
        } catch (Exception e) {
            problems.add("spark.time_zone '" + c.spark().timeZone() + "' is not a time zone id");
        }
        // ingest.landing and ingest.mappings are checked by the commands that read them: see #ingestProblems
        requireLocalDir(problems, "screening.quality_rules", c.screening().qualityRules());
        requireLocalDir(problems, "screening.screening_rules", c.screening().screeningRules());
        if (c.pseudonymisation().keyFile() != null && !Files.isRegularFile(Path.of(c.pseudonymisation().keyFile()))) {
            problems.add("pseudonymisation.key_file: " + c.pseudonymisation().keyFile() + " does not exist");
        }
        if (!List.of("derby", "external", "none").contains(c.catalog().metastore())) {
            problems.add("catalog.metastore must be derby, external or none, got '" + c.catalog().metastore() + "'");
        } else if ("derby".equals(c.catalog().metastore()) && hasScheme(c.catalog().derbyDir())) {
            problems.add("catalog.derby_dir: the embedded metastore needs a local folder, got " + c.catalog().derbyDir()
                    + " (or set catalog.metastore: external)");
        }
        for (String id : List.of(c.catalog().database(), c.catalog().analystDatabase())) {
            if (!id.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("catalog: database name '" + id + "' must be letters, digits and _");
            }
        }
        if (c.corrections().overdueDays() < 0) {
            problems.add("corrections.overdue_days must not be negative");
        }
        if (c.review().dismissReasons().isEmpty()) {
            problems.add("review.dismiss_reasons must list at least one reason");
        }
        if (c.review().backForReview().amountGrowthPercent() < 0
                || c.review().backForReview().amountGrowthAtLeast().signum() < 0) {
            problems.add("review.back_for_review: amount_growth_percent and amount_growth_at_least must not be negative");
        }
        if (!CrossCheckConfig.RunSettings.FAIL_ON.contains(c.run().failOn())) {
            problems.add("run.fail_on '" + c.run().failOn() + "' is not one of " + CrossCheckConfig.RunSettings.FAIL_ON);
        }
        if (c.run().lockStaleAfterSeconds() < 10) {
            problems.add("run.lock_stale_after_seconds must be at least 10, got " + c.run().lockStaleAfterSeconds());
        }
        for (int i = 0; i < c.ingest().expected().size(); i++) {
            CrossCheckConfig.ExpectedDelivery d = c.ingest().expected().get(i);
            if (d.mapping() == null || d.mapping().isBlank()) {
                problems.add("ingest.expected[" + i + "].mapping is required (the id of a mapping)");
            }
            if (d.effectiveMaxAgeDays() == null) {
                problems.add("ingest.expected[" + i + "].every '" + d.every()
                        + "' is not one of daily, weekly, monthly, quarterly (or give max_age_days)");
            } else if (d.effectiveMaxAgeDays() < 1) {
                problems.add("ingest.expected[" + i + "].max_age_days must be at least 1");
            }
        }
        for (String id : c.screening().enabled()) {
            if (c.screening().disabled().contains(id)) {
                problems.add("screening: rule '" + id + "' is both enabled and disabled");
            }
        }
        return problems;
    }

    /**
     * Problems with {@code ingest.landing} and {@code ingest.mappings}, for the commands that read them (ingest,
     * run, check); the others (validate, screen, report, review import, publish) start without them.
     */
    public static List<String> ingestProblems(CrossCheckConfig c) {
        List<String> problems = new ArrayList<>();
        requireLocalDir(problems, "ingest.landing", c.ingest().landing());
        if (c.ingest().mappings().isEmpty()) {
            problems.add("ingest.mappings must name at least one mapping file or folder");
        }
        for (int i = 0; i < c.ingest().mappings().size(); i++) {
            String m = c.ingest().mappings().get(i);
            if (!hasScheme(m) && !Files.exists(Path.of(m))) {
                problems.add("ingest.mappings[" + i + "]: " + m + " does not exist");
            }
        }
        return problems;
    }

    private static void requireLocalDir(List<String> problems, String key, String path) {
        if (!hasScheme(path) && !Files.isDirectory(Path.of(path))) {
            problems.add(key + ": folder " + path + " does not exist");
        }
    }

    /** The effective configuration as YAML, with secret-looking Spark settings masked, for the run log. */
    public static String describe(CrossCheckConfig c) {
        Map<String, String> masked = new LinkedHashMap<>();
        c.spark().conf().forEach((k, v) -> masked.put(k, SECRET_KEY.matcher(k).matches() ? "****" : v));
        CrossCheckConfig shown = new CrossCheckConfig(
                new CrossCheckConfig.SparkSettings(c.spark().master(), c.spark().appName(), c.spark().shufflePartitions(),
                        c.spark().timeZone(), masked),
                c.storage(), c.ingest(), c.pseudonymisation(), c.screening(), c.review(), c.catalog(), c.run(),
                c.corrections());
        try {
            return yamlMapper().writeValueAsString(shown);
        } catch (JsonProcessingException e) {
            return shown.toString();
        }
    }
}
