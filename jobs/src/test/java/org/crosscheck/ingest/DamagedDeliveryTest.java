package org.crosscheck.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.validate.ValidateJob;
import org.junit.jupiter.api.Test;

/** Deliveries damaged on the way are caught and explained, never loaded silently; one bad file blocks no other. */
class DamagedDeliveryTest extends SparkTestSupport {
    private static final Charset GBK = Charset.forName("GBK");
    private static final String HEADER = "GMSFHM,XM,XB,CSRQ,SWRQ,ZT,GXSJ\n";
    private static final String ROW1 = "11010519491231002X,何超,1,19491231,,0,20250401120000\n";
    private static final String ROW2 = org.crosscheck.validate.IdentityNumber.build("110105",
            java.time.LocalDate.of(1960, 1, 1), 11, true) + ",何超,1,19600101,,0,20250101000000\n";

    private static Mapping registry(String files, boolean header) {
        return new Mapping("psb_registry_gbk", "civil_registry", "Public security bureau", files, "csv", "GBK",
                ",", header, null,
                Map.of("national_id", "GMSFHM", "full_name", "XM", "sex", "XB", "birth_date", "CSRQ",
                        "death_date", "SWRQ", "record_status", "ZT", "updated_at", "GXSJ"),
                Map.of("region", "440106"),
                Map.of("birth_date", List.of("yyyyMMdd"), "death_date", List.of("yyyyMMdd"),
                        "updated_at", List.of("yyyyMMddHHmmss")),
                Map.of("sex", Map.of("1", "M", "2", "F"), "record_status", Map.of("0", "alive", "1", "deceased")),
                null);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void utf8FileDeclaredGbkIsRefusedBeforeItsMojibakeOverwritesNames() throws IOException {
        Path root = tempDir("damaged-utf8");
        byte[] utf8 = (HEADER + ROW1 + ROW2).getBytes(StandardCharsets.UTF_8);
        assertTrue(new String(utf8, GBK).contains("浣曡秴"), "the bytes also decode as GBK, into garbage");
        Path file = root.resolve("landing/psb/HJ_202505.csv");
        write(file, utf8);
        Tables tables = new Tables(root.resolve("wh").toString());

        CrossCheckException e = assertThrows(CrossCheckException.class, () -> IngestJob.run(spark(), tables,
                root.resolve("landing").toString(), List.of(registry("psb/HJ_*.csv", true)), "R1"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("UTF-8")
                && e.getMessage().contains("declared GBK"), e.getMessage());
        assertFalse(Files.exists(Path.of(tables.bronze(SourceFamily.CIVIL_REGISTRY))), "nothing was loaded");
    }

    @Test
    void gbkFileFullOfRareCharactersIsRefusedEvenWhenNotValidUtf8() {
        DeliveryCheck check = new DeliveryCheck(GBK);
        byte[] mojibake = "何超,李建国,王秀英,张伟".repeat(3).getBytes(StandardCharsets.UTF_8);
        check.update(mojibake, 0, mojibake.length);
        byte[] notUtf8 = {(byte) 0x81, (byte) 0x40, '\n'}; // a valid GBK character, an invalid UTF-8 sequence
        check.update(notUtf8, 0, notUtf8.length);
        assertTrue(check.rareShare() > DeliveryCheck.RARE_LIMIT, "share " + check.rareShare());
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> check.requirePlausible("f.csv"));
        assertTrue(e.getMessage().contains("outside GB2312"), e.getMessage());

        DeliveryCheck real = new DeliveryCheck(GBK);
        byte[] gbk = (HEADER + ROW1 + ROW2).repeat(5).getBytes(GBK);
        real.update(gbk, 0, gbk.length);
        real.requirePlausible("real.csv");
        assertEquals(0.0, real.rareShare());
    }

    @Test
    void committedGbkSampleFilesPassTheDamageChecks() throws IOException {
        for (String f : List.of("public_security/HJ_QL_20251201.csv", "public_security/HJ_ZL_20260105.csv",
                "tax_bureau/JF_2024.csv", "tax_bureau/JF_2025.csv")) {
            byte[] bytes = Files.readAllBytes(repoRoot().resolve("sample-data/landing").resolve(f));
            DeliveryCheck c = new DeliveryCheck(GBK);
            c.update(bytes, 0, bytes.length);
            c.requirePlausible(f);
            assertTrue(c.rareShare() < 0.05, f + ": rare share " + c.rareShare());
            assertFalse(c.endsWithoutLineEnd(), f);
        }
    }

    @Test
    void fileCutInsideItsLastFieldSendsThatRecordToQuarantineSayingWhy() throws IOException {
        Path root = tempDir("damaged-cut");
        String cut = HEADER + ROW2 + ROW1.substring(0, ROW1.length() - 8); // "...,2025040" and no line end
        write(root.resolve("landing/psb/HJ_202506.csv"), cut.getBytes(GBK));
        Tables tables = new Tables(root.resolve("wh").toString());
        IngestReport report = IngestJob.run(spark(), tables, root.resolve("landing").toString(),
                List.of(registry("psb/HJ_*.csv", true)), "R1");
        assertEquals(2, report.rowsLoaded(), "every row is kept in bronze");
        List<Row> bronze = spark().read().format("delta").load(tables.bronze(SourceFamily.CIVIL_REGISTRY))
                .orderBy("_record_number").collectAsList();
        assertNull(bronze.get(0).getAs(ExtractReader.MALFORMED));
        assertTrue(((String) bronze.get(1).getAs(ExtractReader.MALFORMED)).startsWith(ExtractReader.CUT_SHORT));

        CrossCheckConfig cfg = new CrossCheckConfig(null,
                new CrossCheckConfig.StorageSettings(tables.warehouse(), root.resolve("exports").toString()), null, null,
                new CrossCheckConfig.ScreeningSettings(repoRoot().resolve("rules/quality").toString(), null, null, null, null));
        ValidateJob.run(spark(), cfg, "R1");
        List<Row> quarantined = spark().read().format("delta").load(tables.quarantine(SourceFamily.CIVIL_REGISTRY))
                .selectExpr("_record_number", "_reasons[0].message AS message").collectAsList();
        assertEquals(1, quarantined.size());
        assertEquals(2L, (long) quarantined.get(0).getAs("_record_number"));
        assertTrue(((String) quarantined.get(0).getAs("message")).contains("cut short"), quarantined.toString());
        assertEquals(1, spark().read().format("delta").load(tables.clean(SourceFamily.CIVIL_REGISTRY)).count());
    }

    @Test
    void anEmptyFileIsReportedAndTheOtherFilesLoad() throws IOException {
        Path root = tempDir("damaged-empty");
        write(root.resolve("landing/psb/HJ_1_empty.csv"), new byte[0]);
        write(root.resolve("landing/psb/HJ_2.csv"), (HEADER + ROW1 + ROW2).getBytes(GBK));
        Tables tables = new Tables(root.resolve("wh").toString());
        IngestReport report = IngestJob.run(spark(), tables, root.resolve("landing").toString(),
                List.of(registry("psb/HJ_*.csv", true)), "R1");
        assertEquals(2, report.rowsLoaded());
        assertEquals(List.of(IngestReport.Status.EMPTY, IngestReport.Status.LOADED),
                report.files().stream().map(IngestReport.FileOutcome::status).toList());
        assertTrue(report.render().contains("empty file, not loaded (the other files were): "
                + root.resolve("landing/psb/HJ_1_empty.csv")), report.render());
        assertEquals(1, IngestLog.entries(spark(), tables).size(), "the empty file is not logged: a re-delivery loads");
    }

    @Test
    void aFileWithoutItsHeaderRowIsRefusedWithoutPrintingItsFirstRecord() throws IOException {
        Path root = tempDir("damaged-noheader");
        write(root.resolve("landing/psb/HJ_3.csv"), (ROW1 + ROW2).getBytes(GBK));
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> IngestJob.run(spark(),
                new Tables(root.resolve("wh").toString()), root.resolve("landing").toString(),
                List.of(registry("psb/HJ_*.csv", true)), "R1"));
        assertTrue(e.getMessage().contains("no header row"), e.getMessage());
        for (String personal : List.of("11010519491231002X", "何超", "19491231")) {
            assertFalse(e.getMessage().contains(personal), e.getMessage());
        }
        assertEquals("[GMSFHM, <value withheld>, 6222020200112233]".replace("6222020200112233", "<value withheld>"),
                ExtractReader.safeHeader(List.of("GMSFHM", "x".repeat(41), "6222020200112233")));
    }

    @Test
    void aFilesGlobThatLeavesTheLandingFolderIsRefused() throws IOException {
        Path root = tempDir("damaged-paths");
        write(root.resolve("secret/HJ_x.csv"), (HEADER + ROW1).getBytes(GBK));
        Files.createDirectories(root.resolve("landing"));
        for (String glob : List.of("../secret/HJ_*.csv", "psb/../../secret/*.csv", "{psb,..}/secret/*.csv",
                root.resolve("secret").toString() + "/*.csv", "file:///etc/passwd", "C:/x/*.csv")) {
            CrossCheckException e = assertThrows(CrossCheckException.class, () -> IngestJob.run(spark(),
                    new Tables(root.resolve("wh").toString()), root.resolve("landing").toString(),
                    List.of(registry(glob, true)), "R1"), glob);
            assertEquals(ExitCode.USAGE, e.exitCode(), glob);
            assertTrue(e.getMessage().contains("relative to the landing folder"), e.getMessage());
        }
        LandingPaths.requireInsideLanding("landing", registry("psb/2025..06/HJ_*.csv", true)); // '..' inside a name is fine
    }
}
