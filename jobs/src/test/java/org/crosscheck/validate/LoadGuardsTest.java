package org.crosscheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.ingest.IngestJob;
import org.crosscheck.ingest.IngestLog;
import org.crosscheck.ingest.IngestReport;
import org.crosscheck.ingest.Mapping;
import org.junit.jupiter.api.Test;

class LoadGuardsTest extends SparkTestSupport {
    /** The registry's own codes: 0 alive, 1 deceased, 2 death cancelled. */
    private static final Map<String, String> REGISTRY_STATUS = Map.of("0", "alive", "1", "deceased", "2", "cancelled");

    private static Mapping registry(Map<String, String> statusCodes, Map<String, Mapping.Guard> guards) {
        return new Mapping("registry_csv", "civil_registry", "civil affairs", "reg/*.csv", "csv", "UTF-8", ",", true,
                null, Map.of("national_id", "ID", "full_name", "NAME", "sex", "SEX", "death_date", "DOD",
                        "record_status", "ST", "updated_at", "UPD"),
                Map.of(), Map.of("death_date", List.of("yyyyMMdd"), "updated_at", List.of("yyyyMMdd")),
                Map.of("sex", Map.of("1", "M", "2", "F"), "record_status", statusCodes), null, guards, null);
    }

    /** {@code rows} persons; the first {@code deaths} died, coded {@code deadCode}, the others coded {@code aliveCode}. */
    private static void writeRegistry(Path file, int rows, int deaths, String aliveCode, String deadCode,
                                      String sexOfEveryFifth) throws IOException {
        StringBuilder sb = new StringBuilder("ID,NAME,SEX,DOD,ST,UPD\n");
        for (int i = 0; i < rows; i++) {
            boolean dead = i < deaths;
            String sex = i % 5 == 4 ? sexOfEveryFifth : String.valueOf(1 + i % 2);
            sb.append(String.format("P%05d,Name %d,%s,%s,%s,20250101%n", i, i, sex, dead ? "20250301" : "",
                    dead ? deadCode : aliveCode));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString());
    }

    @Test
    void anotherDepartmentsStatusCodesStopTheRunWithANamedGuardAndLoadNothing() throws IOException {
        Path root = tempDir("guard-codes");
        // this department codes 1 = alive, 2 = deceased: read with the registry's list, the living become deceased
        writeRegistry(root.resolve("landing/reg/civil.csv"), 100, 10, "1", "2", "1");
        Tables tables = new Tables(root.resolve("wh").toString());
        String landing = root.resolve("landing").toString();

        CrossCheckException e = assertThrows(CrossCheckException.class, () -> IngestJob.run(spark(), tables, landing,
                List.of(registry(REGISTRY_STATUS, null)), "R1", new LoadGuards()));

        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("guard deceased_without_death_date_share (" ), e.getMessage());
        assertTrue(e.getMessage().contains("90.0% (90 of 100 rows) is above the maximum 5.0%"), e.getMessage());
        assertTrue(e.getMessage().contains("civil.csv") && e.getMessage().contains("mapping registry_csv"), e.getMessage());
        assertEquals(0, spark().read().format("delta").load(tables.bronze(SourceFamily.CIVIL_REGISTRY)).count(),
                "the stopped load is removed from bronze");
        assertTrue(IngestLog.entries(spark(), tables).isEmpty());

        // with the department's own code list the same file loads: it was never entered as loaded
        IngestReport fixed = IngestJob.run(spark(), tables, landing,
                List.of(registry(Map.of("1", "alive", "2", "deceased"), null)), "R2", new LoadGuards());
        assertEquals(100, fixed.rowsLoaded());
        assertTrue(fixed.warnings().isEmpty(), fixed.warnings().toString());
    }

    @Test
    void aGuardSetToWarnInTheMappingLetsTheLoadThroughWithAWarning() throws IOException {
        Path root = tempDir("guard-warn");
        writeRegistry(root.resolve("landing/reg/civil.csv"), 100, 10, "1", "2", "1");
        Tables tables = new Tables(root.resolve("wh").toString());

        IngestReport report = IngestJob.run(spark(), tables, root.resolve("landing").toString(),
                List.of(registry(REGISTRY_STATUS, Map.of("deceased_without_death_date_share",
                        new Mapping.Guard(null, null, "warn", null)))), "R1", new LoadGuards());

        assertEquals(100, report.rowsLoaded());
        assertEquals(1, report.warnings().size(), report.warnings().toString());
        assertTrue(report.warnings().get(0).startsWith("warning: guard deceased_without_death_date_share"));
    }

    @Test
    void unmappedCodesAndAJumpAgainstThePreviousLoadAreNamedWithTheirFigures() throws IOException {
        Path root = tempDir("guard-jump");
        Tables tables = new Tables(root.resolve("wh").toString());
        String landing = root.resolve("landing").toString();
        Map<String, String> own = Map.of("1", "alive", "2", "deceased");
        writeRegistry(root.resolve("landing/reg/a.csv"), 100, 5, "1", "2", "1");
        IngestJob.run(spark(), tables, landing, List.of(registry(own, null)), "R1", new LoadGuards());

        // next month: 60 % deceased (warns), and every fifth sex code is one the list does not have (stops)
        writeRegistry(root.resolve("landing/reg/b.csv"), 100, 60, "1", "2", "X");
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> IngestJob.run(spark(), tables, landing, List.of(registry(own, null)), "R2", new LoadGuards()));
        assertTrue(e.getMessage().contains("guard unmapped_code_share (") && e.getMessage().contains(
                "20.0% of the sex values are not in the mapping's code list (max 5.0%)"), e.getMessage());

        writeRegistry(root.resolve("landing/reg/b.csv"), 100, 60, "1", "2", "2");
        IngestReport report = IngestJob.run(spark(), tables, landing, List.of(registry(own, null)), "R3",
                new LoadGuards());
        assertEquals(100, report.rowsLoaded());
        String warnings = String.join("\n", report.warnings());
        assertTrue(warnings.contains("warning: guard share_jump")
                && warnings.contains("the share of record_status = deceased moved from 5.0% in load R1-001-"), warnings);
        assertTrue(warnings.contains("to 60.0%, more than 30.0%"), warnings);
    }
}
