package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.Test;

/** The storage policy: VACUUM with the configured retention, partial exports removed, areas not world-readable. */
class WarehouseVacuumTest extends SparkTestSupport {

    @Test
    void vacuumRemovesFilesAKilledWriteLeftAndPartialExportsButKeepsTheTable() throws Exception {
        Path root = tempDir("vacuum");
        Path cfgFile = configFolder(root);
        Files.writeString(cfgFile, "storage:\n  warehouse: wh\n  exports: exports\n  vacuum_retention_hours: 200\n");
        CrossCheckConfig cfg = ConfigLoader.load(cfgFile);
        assertEquals(200, cfg.storage().vacuumRetentionHours());
        Tables tables = new Tables(cfg.storage().warehouse());
        String path = tables.bronze(SourceFamily.CIVIL_REGISTRY);
        spark().range(3).toDF("n").write().format("delta").save(path);
        Path table = Path.of(path);
        Path stray = table.resolve("part-00000-killed-before-commit.snappy.parquet");
        Files.copy(Files.list(table).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), stray);
        Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minus(10, ChronoUnit.DAYS)));
        Path recent = table.resolve("part-00000-being-written.snappy.parquet");
        Files.copy(stray, recent);
        Path part = Path.of(cfg.storage().exports()).resolve("20260101T000000Z-abcd/exceptions.csv.part");
        Files.createDirectories(part.getParent());
        Files.writeString(part, "half an export");
        Path done = part.resolveSibling("exceptions.csv");
        Files.writeString(done, "a whole export");

        WarehouseVacuum.Result r = WarehouseVacuum.run(spark(), cfg);

        assertEquals(List.of(path), r.tablesVacuumed());
        assertFalse(Files.exists(stray), "unreferenced file older than the retention is deleted");
        assertTrue(Files.exists(recent), "a file younger than the retention is kept");
        assertEquals(List.of(part.toString()), r.partialExportsRemoved());
        assertTrue(Files.exists(done));
        assertEquals(3, spark().read().format("delta").load(path).count());

        // the documented command (docs/configuration.md) runs and records itself
        assertEquals(0, org.crosscheck.cli.CrossCheck.execute("vacuum", "--config", cfgFile.toString()));
        assertEquals(1, spark().read().format("delta").load(tables.runs()).where("command = 'vacuum'").count());
    }

    @Test
    void aRetentionShorterThanSevenDaysIsRefusedAtStartUp() throws Exception {
        Path cfgFile = configFolder(tempDir("vacuum-cfg"));
        Files.writeString(cfgFile, "storage:\n  vacuum_retention_hours: 24\n");
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> ConfigLoader.load(cfgFile));
        assertTrue(e.getMessage().contains("storage.vacuum_retention_hours"), e.getMessage());
        Files.writeString(cfgFile, "storage:\n  vacuum_retention_hours: 0\n");
        assertEquals(0, ConfigLoader.load(cfgFile).storage().vacuumRetentionHours());
        Files.writeString(cfgFile, "storage:\n  warehouse: wh\n");
        assertEquals(168, ConfigLoader.load(cfgFile).storage().vacuumRetentionHours());
    }

    @Test
    void engineerRiskOfficerAndAnalystAreasAreSeparatedAndNothingIsWorldReadable() throws Exception {
        Path root = tempDir("areas");
        Path wh = root.resolve("wh");
        for (String t : List.of("bronze/civil_registry", "clean/enrollment", "meta/runs", "screening/exceptions",
                "analyst/civil_registry")) {
            Files.createDirectories(wh.resolve(t));
            Files.writeString(wh.resolve(t).resolve("part-0.parquet"), "x");
        }
        Files.createDirectories(root.resolve("exports/run1"));
        Files.writeString(root.resolve("exports/run1/exceptions.csv"), "x");
        CrossCheckConfig cfg = new CrossCheckConfig(null,
                new CrossCheckConfig.StorageSettings(wh.toString(), root.resolve("exports").toString()), null, null, null);

        AccessAreas.apply(cfg);

        assertEquals("rwx--x--x", perms(wh));
        assertEquals("rwx------", perms(wh.resolve("bronze/civil_registry")));
        assertEquals("rw-------", perms(wh.resolve("clean/enrollment/part-0.parquet")));
        assertEquals("rw-------", perms(wh.resolve("meta/runs/part-0.parquet")));
        assertEquals("rwxr-x---", perms(wh.resolve("screening/exceptions")));
        assertEquals("rw-r-----", perms(wh.resolve("analyst/civil_registry/part-0.parquet")));
        assertEquals("rw-r-----", perms(root.resolve("exports/run1/exceptions.csv")));
    }

    /** A folder with the landing, mapping and rule folders the default configuration expects. */
    private static Path configFolder(Path root) throws Exception {
        for (String d : List.of("landing", "mappings", "rules/quality", "rules/screening")) {
            Files.createDirectories(root.resolve(d));
        }
        return root.resolve("crosscheck.yaml");
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
