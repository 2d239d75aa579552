package org.crosscheck.ingest;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.crosscheck.core.ConfigLoader;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;

/** Reads mapping files and checks them before any file is ingested; every problem names the mapping file. */
public final class MappingLoader {
    /** Canonical fields whose raw values are translated through a mapping's {@code codes}. */
    public static final Set<String> CODE_FIELDS = Set.of("sex", "scheme", "record_status", "benefit_type");
    /** The death-date precision: mapped from a column when the registry delivers it, else inferred from the format. */
    public static final String PRECISION = "death_date_precision";
    /** Canonical precision values. */
    public static final List<String> PRECISIONS = List.of("day", "month", "year");

    private MappingLoader() {
    }

    /** Loads every {@code *.yaml}/{@code *.yml} in the given folders and files. */
    public static List<Mapping> loadAll(List<String> locations) {
        List<Mapping> all = new ArrayList<>();
        for (String loc : locations) {
            Path p = Path.of(loc);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    for (Path f : s.filter(MappingLoader::isYaml).sorted().toList()) {
                        all.add(load(f));
                    }
                } catch (IOException e) {
                    throw CrossCheckException.config("cannot list mapping folder " + p + ": " + e.getMessage());
                }
            } else {
                all.add(load(p));
            }
        }
        Set<String> ids = new HashSet<>();
        for (Mapping m : all) {
            if (!ids.add(m.id())) {
                throw CrossCheckException.config("two mapping files use the id '" + m.id() + "'");
            }
        }
        return all;
    }

    private static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    public static Mapping load(Path file) {
        Mapping m;
        try {
            m = ConfigLoader.yamlMapper().readValue(file.toFile(), Mapping.class);
            if (m == null) {
                throw CrossCheckException.config("mapping " + file + " is empty");
            }
            m = resolveSharedCodes(m, file);
        } catch (UnrecognizedPropertyException e) {
            throw CrossCheckException.config("mapping " + file + ": unknown key '" + ConfigLoader.dotted(e) + "'");
        } catch (JsonMappingException e) {
            throw CrossCheckException.config("mapping " + file + ": bad value for '" + ConfigLoader.dotted(e) + "': "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw CrossCheckException.config("cannot read mapping " + file + ": " + e.getMessage());
        }
        List<String> problems = check(m);
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("mapping " + file + " is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return m;
    }

    /**
     * Replaces {@code codes: {field: {use: name}}} by the list {@code name} of the mapping's {@code code_lists} file
     * (a YAML map of list name to code list, relative to the mapping file). The stored mapping snapshot carries the
     * resolved lists, so editing the shared file never reinterprets old loads.
     */
    static Mapping resolveSharedCodes(Mapping m, Path file) {
        boolean refers = m.codes().values().stream().anyMatch(MappingLoader::isReference);
        if (!refers && m.codeLists() == null) {
            return m;
        }
        if (m.codeLists() == null) {
            throw CrossCheckException.config("mapping " + file + ": codes use a shared list ({use: …}) but the mapping"
                    + " names no code_lists file");
        }
        Path shared = file.toAbsolutePath().getParent().resolve(m.codeLists()).normalize();
        Map<String, Map<String, String>> lists;
        try {
            lists = ConfigLoader.yamlMapper().readValue(shared.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, String>>>() { });
        } catch (IOException e) {
            throw CrossCheckException.config("mapping " + file + ": cannot read code_lists " + shared + ": " + e.getMessage());
        }
        if (lists == null) {
            lists = Map.of();
        }
        Map<String, Map<String, String>> resolved = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : m.codes().entrySet()) {
            if (isReference(e.getValue())) {
                String name = e.getValue().get("use");
                Map<String, String> list = lists.get(name);
                if (list == null) {
                    problems.add("codes." + e.getKey() + ": no list '" + name + "' in " + shared + " (lists: "
                            + new java.util.TreeSet<>(lists.keySet()) + ")");
                } else {
                    resolved.put(e.getKey(), list);
                }
            } else {
                resolved.put(e.getKey(), e.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw CrossCheckException.config("mapping " + file + " is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return m.withCodes(resolved);
    }

    private static boolean isReference(Map<String, String> codes) {
        return codes != null && codes.size() == 1 && codes.containsKey("use");
    }

    static List<String> check(Mapping m) {
        List<String> problems = new ArrayList<>();
        if (m.id() == null || m.id().isBlank()) {
            problems.add("id is required");
        }
        if (m.files() == null || m.files().isBlank()) {
            problems.add("files (a glob relative to the landing folder) is required");
        }
        SourceFamily family;
        try {
            family = m.sourceFamily();
        } catch (CrossCheckException e) {
            problems.add("family: " + e.getMessage());
            return problems;
        }
        if (!List.of("csv", "parquet", "json").contains(m.format())) {
            problems.add("format '" + m.format() + "' is not one of csv, parquet, json");
        }
        try {
            Charset.forName(m.encoding());
        } catch (Exception e) {
            problems.add("encoding '" + m.encoding() + "' is not a character set this JVM knows");
        }
        Set<String> fields = new HashSet<>(family.fieldNames());
        for (String f : m.columns().keySet()) {
            if (!fields.contains(f)) {
                problems.add("columns." + f + ": '" + f + "' is not a field of " + family.id() + " " + fields);
            }
        }
        for (String f : m.constants().keySet()) {
            if (!fields.contains(f)) {
                problems.add("constants." + f + ": '" + f + "' is not a field of " + family.id());
            }
            if (m.columns().containsKey(f)) {
                problems.add("constants." + f + ": field is also mapped to a column");
            }
        }
        for (Map.Entry<String, List<String>> e : m.formats().entrySet()) {
            StructField field = fieldOrNull(family, e.getKey());
            if (field == null || !(field.dataType().equals(DataTypes.DateType)
                    || field.dataType().equals(DataTypes.TimestampType))) {
                problems.add("formats." + e.getKey() + ": only date and time fields take a format");
            }
            for (String pattern : e.getValue()) {
                try {
                    java.time.format.DateTimeFormatter.ofPattern(pattern);
                } catch (IllegalArgumentException ex) {
                    problems.add("formats." + e.getKey() + ": '" + pattern + "' is not a date pattern: " + ex.getMessage());
                }
            }
        }
        for (String f : m.codes().keySet()) {
            boolean precision = PRECISION.equals(f) && fields.contains(f);
            if (!precision && (!CODE_FIELDS.contains(f) || !fields.contains(f))) {
                problems.add("codes." + f + ": only " + CODE_FIELDS + " fields of " + family.id()
                        + (fields.contains(PRECISION) ? " and " + PRECISION : "") + " take a code list");
            }
            if (precision) {
                for (var c : m.codes().get(f).entrySet()) {
                    if (!PRECISIONS.contains(c.getValue())) {
                        problems.add("codes." + f + ": '" + c.getKey() + "' maps to '" + c.getValue()
                                + "'; a precision is one of " + PRECISIONS);
                    }
                }
            }
        }
        if (m.constants().containsKey(PRECISION)) {
            problems.add("constants." + PRECISION + ": a precision is mapped from a column or inferred from the "
                    + "death date's format, not set as a constant");
        }
        problems.addAll(LoadGuardSettings.problems(m));
        for (String key : family.businessKey()) {
            if (!m.columns().containsKey(key) && !m.constants().containsKey(key)) {
                problems.add("columns: business-key field '" + key + "' of " + family.id() + " is not mapped");
            }
        }
        return problems;
    }

    private static StructField fieldOrNull(SourceFamily family, String name) {
        for (StructField f : family.canonicalSchema().fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The mapping as JSON, stored with each load so validation interprets the load exactly as it was mapped. */
    public static String toJson(Mapping m) {
        try {
            return new ObjectMapper().setPropertyNamingStrategy(
                    com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Mapping fromJson(String json) {
        try {
            return new ObjectMapper().setPropertyNamingStrategy(
                    com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).readValue(json, Mapping.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored mapping snapshot cannot be read: " + e.getMessage(), e);
        }
    }
}
