package org.crosscheck.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.Test;

class IngestJobTest extends SparkTestSupport {
    private static final Charset GBK = Charset.forName("GBK");

    private static Mapping registryGbk() {
        return new Mapping("psb_registry_gbk", "civil_registry", "Public security bureau", "psb/HJ_*.csv", "csv", "GBK",
                ",", true, null,
                Map.of("national_id", "GMSFHM", "full_name", "XM", "sex", "XB", "birth_date", "CSRQ",
                        "death_date", "SWRQ", "record_status", "ZT", "updated_at", "GXSJ"),
                Map.of("region", "440106"),
                Map.of("birth_date", List.of("yyyyMMdd"), "death_date", List.of("yyyyMMdd", "yyyyMM"),
                        "updated_at", List.of("yyyyMMddHHmmss")),
                Map.of("sex", Map.of("1", "M", "2", "F"), "record_status", Map.of("0", "alive", "1", "deceased")),
                null);
    }

    private static final String REGISTRY_CSV = """
            GMSFHM,XM,XB,CSRQ,SWRQ,ZT,GXSJ
            11010519491231002X,张秀英,2,19491231,202503,1,20250401120000
            440524188001010014,李建国,1,18800101,,0,20250101000000
            """;

    private static void write(Path file, String text, Charset charset) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, text.getBytes(charset));
    }

    private static List<Row> bronze(Tables tables, SourceFamily family) {
        return spark().read().format("delta").load(tables.bronze(family)).orderBy("_source_file", "_record_number")
                .collectAsList();
    }

    @Test
    void gbkRegistryIsDecodedAndKeptRawWithLineage() throws IOException {
        Path root = tempDir("ingest-gbk");
        write(root.resolve("landing/psb/HJ_202504.csv"), REGISTRY_CSV, GBK);
        Tables tables = new Tables(root.resolve("wh").toString());

        IngestReport report = IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(registryGbk()), "R1");

        assertEquals(2, report.rowsLoaded());
        List<Row> rows = bronze(tables, SourceFamily.CIVIL_REGISTRY);
        assertEquals(2, rows.size());
        Row first = rows.get(0);
        assertEquals("张秀英", first.getAs("full_name"));
        assertEquals("202503", first.getAs("death_date"), "month-only death date is kept as delivered");
        assertEquals("2", first.getAs("sex"), "codes are translated by validation, not ingestion");
        assertEquals("440106", first.getAs("region"), "constant from the mapping");
        assertEquals(1L, (long) first.getAs("_record_number"));
        assertEquals(2L, (long) rows.get(1).getAs("_record_number"));
        assertTrue(((String) first.getAs("_source_file")).endsWith("psb/HJ_202504.csv"));
        assertEquals(64, ((String) first.getAs("_source_hash")).length());
        assertEquals("psb_registry_gbk", first.getAs("_mapping_id"));
        assertNull(first.getAs(ExtractReader.MALFORMED));

        List<IngestLog.Entry> log = IngestLog.entries(spark(), tables);
        assertEquals(1, log.size());
        assertEquals(first.<String>getAs("_load_id"), log.get(0).loadId());
        assertEquals(2, log.get(0).rows());
        assertEquals(registryGbk(), MappingLoader.fromJson(log.get(0).mappingJson()), "mapping snapshot round-trips");
    }

    @Test
    void ingestingTheSameFilesAgainAddsNoRows() throws IOException {
        Path root = tempDir("ingest-again");
        write(root.resolve("landing/psb/HJ_202504.csv"), REGISTRY_CSV, GBK);
        Tables tables = new Tables(root.resolve("wh").toString());
        String landing = root.resolve("landing").toString();

        IngestJob.run(spark(), tables, landing, List.of(registryGbk()), "R1");
        // the same content under another name is the same delivery
        write(root.resolve("landing/psb/HJ_202504_copy.csv"), REGISTRY_CSV, GBK);
        IngestReport second = IngestJob.run(spark(), tables, landing, List.of(registryGbk()), "R2");

        assertEquals(0, second.rowsLoaded());
        assertTrue(second.files().stream().allMatch(f -> f.status() == IngestReport.Status.ALREADY_LOADED));
        assertEquals(2, bronze(tables, SourceFamily.CIVIL_REGISTRY).size());
        assertEquals(1, IngestLog.entries(spark(), tables).size());
    }

    @Test
    void twoCopiesOfOneFileInTheSameDeliveryAreLoadedOnce() throws IOException {
        Path root = tempDir("ingest-copy-same-run");
        write(root.resolve("landing/psb/HJ_202504.csv"), REGISTRY_CSV, GBK);
        write(root.resolve("landing/psb/HJ_202504_resent.csv"), REGISTRY_CSV, GBK);
        Tables tables = new Tables(root.resolve("wh").toString());

        IngestReport report = IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(registryGbk()), "R1");

        assertEquals(2, report.rowsLoaded());
        assertEquals(2, bronze(tables, SourceFamily.CIVIL_REGISTRY).size());
        assertEquals(1, IngestLog.entries(spark(), tables).size());
        List<IngestReport.FileOutcome> outcomes = report.files();
        assertEquals(1, outcomes.stream().filter(f -> f.status() == IngestReport.Status.LOADED).count());
        IngestReport.FileOutcome copy = outcomes.stream().filter(f -> f.status() == IngestReport.Status.ALREADY_LOADED)
                .findFirst().orElseThrow();
        assertTrue(copy.file().endsWith("HJ_202504_resent.csv"), copy.file());
        assertEquals(IngestLog.entries(spark(), tables).get(0).loadId(), copy.loadId());
    }

    @Test
    void changedFileUnderTheSameNameLoadsAsNewVersion() throws IOException {
        Path root = tempDir("ingest-changed");
        Path file = root.resolve("landing/psb/HJ_202504.csv");
        write(file, REGISTRY_CSV, GBK);
        Tables tables = new Tables(root.resolve("wh").toString());
        String landing = root.resolve("landing").toString();
        IngestJob.run(spark(), tables, landing, List.of(registryGbk()), "R1");

        write(file, REGISTRY_CSV + "440524188001010014,李建国,1,18800101,20250520,1,20250601000000\n", GBK);
        IngestReport second = IngestJob.run(spark(), tables, landing, List.of(registryGbk()), "R2");

        assertEquals(IngestReport.Status.NEW_VERSION, second.files().get(0).status());
        assertEquals(3, second.rowsLoaded());
        assertEquals(5, bronze(tables, SourceFamily.CIVIL_REGISTRY).size());
        List<IngestLog.Entry> log = IngestLog.entries(spark(), tables);
        assertEquals(log.get(0).sourceHash(), log.get(1).previousHash());
    }

    @Test
    void missingMappedColumnFailsWithBadInputNamingFileAndColumn() throws IOException {
        Path root = tempDir("ingest-missing");
        write(root.resolve("landing/psb/HJ_bad.csv"), "GMSFHM,XM,XB,CSRQ,ZT,GXSJ\n11010519491231002X,张秀英,2,19491231,1,20250401120000\n", GBK);
        Tables tables = new Tables(root.resolve("wh").toString());

        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(registryGbk()), "R1"));

        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("HJ_bad.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("'SWRQ'"), e.getMessage());
        assertTrue(e.getMessage().contains("death_date"), e.getMessage());
    }

    @Test
    void fileThatIsNotInItsMappedEncodingIsRefusedWithTheLine() throws IOException {
        Path root = tempDir("ingest-encoding");
        Path file = root.resolve("landing/psb/HJ_broken.csv");
        Files.createDirectories(file.getParent());
        byte[] good = "GMSFHM,XM,XB,CSRQ,SWRQ,ZT,GXSJ\n".getBytes(GBK);
        byte[] bad = {(byte) 0x81, (byte) 0x20, '\n'}; // a GBK lead byte followed by an invalid trail byte
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(file, all);
        Tables tables = new Tables(root.resolve("wh").toString());

        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(registryGbk()), "R1"));

        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("HJ_broken.csv") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void rowsWithTooManyOrTooFewFieldsAreKeptWithTheirRawLine() throws IOException {
        Path root = tempDir("ingest-malformed");
        write(root.resolve("landing/psb/HJ_ragged.csv"), """
                GMSFHM,XM,XB,CSRQ,SWRQ,ZT,GXSJ
                11010519491231002X,张秀英,2,19491231,,0,20250401120000,EXTRA
                440524188001010014,李建国,1
                440524188001010014,李建国,1,18800101,,0,20250101000000
                """, GBK);
        Tables tables = new Tables(root.resolve("wh").toString());

        IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(registryGbk()), "R1");

        List<Row> rows = bronze(tables, SourceFamily.CIVIL_REGISTRY);
        assertEquals(3, rows.size(), "no row is lost at ingestion");
        assertNotNull(rows.get(0).getAs(ExtractReader.MALFORMED));
        assertTrue(rows.get(0).<String>getAs(ExtractReader.MALFORMED).contains("EXTRA"));
        assertNotNull(rows.get(1).getAs(ExtractReader.MALFORMED));
        assertNull(rows.get(2).getAs(ExtractReader.MALFORMED));
    }

    @Test
    void rowsOfALoadThatNeverReachedTheLogAreReplacedNotDuplicated() throws IOException {
        Path root = tempDir("ingest-crash");
        Path file = root.resolve("landing/psb/HJ_202504.csv");
        write(file, REGISTRY_CSV, GBK);
        Tables tables = new Tables(root.resolve("wh").toString());
        // a run that wrote bronze and died before writing the ingest log
        ExtractFile extract = ExtractFile.fingerprint(spark().sparkContext().hadoopConfiguration(), file.toString(), GBK);
        IngestJob.PendingLoad crashed = new IngestJob.PendingLoad(registryGbk(), extract, null);
        crashed.loadId = "crashed-run";
        IngestJob.load(spark(), tables, List.of(crashed));

        IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(registryGbk()), "R2");

        List<Row> rows = bronze(tables, SourceFamily.CIVIL_REGISTRY);
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> ((String) r.getAs("_load_id")).startsWith("R2-")));
    }

    @Test
    void jsonLinesPaymentsAreReadWithMappedKeys() throws IOException {
        Path root = tempDir("ingest-json");
        write(root.resolve("landing/benefits/pay_2025.jsonl"), """
                {"pid":"P1","sfzh":"11010519491231002X","xm":"张秀英","xz":"110","dy":"basic_pension","qsrq":"2025-03-01","zzrq":"2025-03-31","ffrq":"2025-03-10","je":3480.5,"zh":"6222000011112222"}
                {"pid":"P2","sfzh":"440524188001010014","xm":"李建国","xz":"110","dy":"basic_pension","qsrq":"2025-03-01","zzrq":"2025-03-31","ffrq":"2025-03-10","je":"2,000.00","zh":"6222000011113333"}
                """, StandardCharsets.UTF_8);
        Mapping m = new Mapping("benefits_json", "benefit_payment", "Benefits office", "benefits/*.jsonl", "json",
                "UTF-8", null, null, null,
                Map.of("payment_id", "pid", "national_id", "sfzh", "payee_name", "xm", "scheme", "xz",
                        "benefit_type", "dy", "period_start", "qsrq", "period_end", "zzrq", "payment_date", "ffrq",
                        "amount", "je", "bank_account", "zh"),
                Map.of("region", "310104"), null, null, null);
        Tables tables = new Tables(root.resolve("wh").toString());

        IngestJob.run(spark(), tables, root.resolve("landing").toString(), List.of(m), "R1");

        List<Row> rows = bronze(tables, SourceFamily.BENEFIT_PAYMENT);
        assertEquals(2, rows.size());
        assertEquals("3480.5", rows.get(0).getAs("amount"));
        assertEquals("2,000.00", rows.get(1).getAs("amount"));
        assertEquals("310104", rows.get(0).getAs("region"));
        assertNull(rows.get(0).getAs("event_date"), "unmapped field is null");
    }

    @Test
    void emptyLandingFolderIngestsNothing() {
        Path root = tempDir("ingest-empty");
        Tables tables = new Tables(root.resolve("wh").toString());
        IngestReport report = IngestJob.run(spark(), tables, root.toString(), List.of(registryGbk()), "R1");
        assertEquals(0, report.files().size());
    }
}
