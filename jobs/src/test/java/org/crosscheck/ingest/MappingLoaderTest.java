package org.crosscheck.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.crosscheck.core.CrossCheckException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingLoaderTest {
    @TempDir
    static Path scratch;


    private static Path mappingFile(String yaml) throws IOException {
        Path f = Files.createTempDirectory(scratch, "crosscheck-mapping").resolve("m.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String GOOD = """
            id: psb_registry
            family: civil_registry
            files: psb/HJ_*.csv
            encoding: GBK
            columns: {national_id: GMSFHM, full_name: XM, sex: XB, birth_date: CSRQ, death_date: SWRQ}
            constants: {region: "440106"}
            formats: {birth_date: [yyyyMMdd], death_date: [yyyyMMdd, yyyyMM]}
            codes: {sex: {"1": M, "2": F}}
            """;

    @Test
    void aValidMappingLoadsWithDefaults() throws IOException {
        Mapping m = MappingLoader.load(mappingFile(GOOD));
        assertEquals("csv", m.format());
        assertEquals(",", m.delimiter());
        assertTrue(m.header());
        assertEquals(List.of("yyyyMMdd", "yyyyMM"), m.formats().get("death_date"));
        assertEquals("F", m.codes().get("sex").get("2"));
    }

    @Test
    void sharedCodeListsAreResolvedFromOneFileAndStoredInTheSnapshot() throws IOException {
        Path f = mappingFile(GOOD.replace("codes: {sex: {\"1\": M, \"2\": F}}",
                "code_lists: ../code-lists.yaml\ncodes: {sex: {use: gb_t_2261_1_sex}, death_date_precision: {use: precision}}")
                .replace("death_date: SWRQ}", "death_date: SWRQ, death_date_precision: SWJD}"));
        Files.writeString(f.getParent().resolveSibling("code-lists.yaml"), """
                gb_t_2261_1_sex: {"0": U, "1": M, "2": F, "9": U}
                precision: {"1": day, "2": month, "3": year}
                """);
        Mapping m = MappingLoader.load(f);
        assertEquals("F", m.codes().get("sex").get("2"));
        assertEquals("month", m.codes().get("death_date_precision").get("2"));
        assertEquals(m, MappingLoader.fromJson(MappingLoader.toJson(m)), "the snapshot carries the resolved lists");
        assertEquals(null, m.codeLists());

        Path unknown = mappingFile(GOOD.replace("codes: {sex: {\"1\": M, \"2\": F}}",
                "code_lists: ../code-lists.yaml\ncodes: {sex: {use: iso_sex}}"));
        Files.writeString(unknown.getParent().resolveSibling("code-lists.yaml"), "gb_t_2261_1_sex: {\"1\": M}\n");
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> MappingLoader.load(unknown));
        assertTrue(e.getMessage().contains("codes.sex: no list 'iso_sex'") && e.getMessage().contains("[gb_t_2261_1_sex]"),
                e.getMessage());
    }

    @Test
    void guardsAndPrecisionCodesAreChecked() throws IOException {
        Path f = mappingFile((GOOD + """
                guards:
                  deceased_without_death_date_share: {max: 0.1}
                  share.record_status.deceased: {max: 1.5}
                  null_share.nickname: {max: 0.1}
                  parse_failure_share: {action: shout}
                  exotic_guard: {max: 0.1}
                """).replace("codes: {sex: {\"1\": M, \"2\": F}}", "codes: {sex: {\"1\": M}, death_date_precision: {D: daily}}"));
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> MappingLoader.load(f));
        String msg = e.getMessage();
        assertTrue(msg.contains("guards.share.record_status.deceased: bounds are shares between 0 and 1, got 1.5"), msg);
        assertTrue(msg.contains("guards.null_share.nickname: 'nickname' is not a field of civil_registry"), msg);
        assertTrue(msg.contains("guards.parse_failure_share.action 'shout' is not one of [stop, warn, off]"), msg);
        assertTrue(msg.contains("guards.exotic_guard: unknown guard"), msg);
        assertTrue(msg.contains("codes.death_date_precision: 'D' maps to 'daily'"), msg);
        assertTrue(!msg.contains("guards.deceased_without_death_date_share"), msg);
    }

    @Test
    void theWorkedExampleInDocsMappingsLoads() throws IOException {
        Path root = Path.of(System.getProperty("crosscheck.repo.root", "..")).toAbsolutePath().normalize();
        String doc = Files.readString(root.resolve("docs/mappings.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```yaml\n(id: .*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(doc);
        assertTrue(m.find(), "docs/mappings.md has a complete mapping example");
        Mapping example = MappingLoader.load(mappingFile(m.group(1)));
        assertEquals("mz_county_registry", example.id());
        assertEquals("SWRQJD", example.columns().get("death_date_precision"));
    }

    @Test
    void unknownCanonicalFieldIsNamedWithTheFile() throws IOException {
        Path f = mappingFile(GOOD.replace("sex: XB", "gender: XB"));
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> MappingLoader.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("columns.gender"), e.getMessage());
    }

    @Test
    void codeListOnlyOnCodeFieldsAndFormatsOnlyOnDates() throws IOException {
        Path f = mappingFile(GOOD.replace("codes: {sex:", "codes: {full_name:").replace("formats: {birth_date:", "formats: {full_name:"));
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> MappingLoader.load(f));
        assertTrue(e.getMessage().contains("codes.full_name"), e.getMessage());
        assertTrue(e.getMessage().contains("formats.full_name"), e.getMessage());
    }

    @Test
    void unknownEncodingAndKeyAreRefused() throws IOException {
        CrossCheckException enc = assertThrows(CrossCheckException.class,
                () -> MappingLoader.load(mappingFile(GOOD.replace("GBK", "KLINGON-8"))));
        assertTrue(enc.getMessage().contains("encoding 'KLINGON-8'"), enc.getMessage());
        CrossCheckException key = assertThrows(CrossCheckException.class,
                () -> MappingLoader.load(mappingFile(GOOD + "delimeter: ';'\n")));
        assertTrue(key.getMessage().contains("unknown key 'delimeter'"), key.getMessage());
    }

    @Test
    void businessKeyMustBeMapped() throws IOException {
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> MappingLoader.load(mappingFile(GOOD.replace("national_id: GMSFHM, ", ""))));
        assertTrue(e.getMessage().contains("business-key field 'national_id'"), e.getMessage());
    }
}
