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
