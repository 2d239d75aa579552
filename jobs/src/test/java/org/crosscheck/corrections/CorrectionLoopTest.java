package org.crosscheck.corrections;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.crosscheck.SampleRun;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.cli.CrossCheck;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.generate.CorrectionDelivery;
import org.crosscheck.ingest.IngestLog;
import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.crosscheck.review.CaseReview;
import org.crosscheck.review.Disposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The loop end to end through the command line on generated data: request files after the first run, a confirmed
 * deceased case asking the registry to confirm the death, then a later delivery that corrects a quarantined payment
 * and closes its request. The tests share one warehouse and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorrectionLoopTest extends SparkTestSupport {
    private static final String OFFICE = "gz_benefits_office_csv";
    private static final String REGISTRY = "psb_registry_gbk";
    private static Path root;
    private static Path config;
    private static Tables tables;
    private static Path latest;
    private static Map<String, Mapping> mappings;
    /** The quarantined office payment the department corrects: payment_no, record number, source file. */
    private static Row planted;

    @BeforeAll
    static void firstRun() throws IOException {
        // the first monthly run, shared with the other end-to-end tests; this test carries on from a copy of it
        root = SampleRun.copy("corrections");
        config = root.resolve("crosscheck.yaml");
        tables = new Tables(root.resolve("warehouse").toString());
        latest = root.resolve("exports/corrections/latest");
        mappings = new java.util.HashMap<>();
        MappingLoader.loadAll(List.of(root.resolve("data/mappings").toString())).forEach(m -> mappings.put(m.id(), m));
    }

    private static List<List<String>> csv(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).substring(1); // BOM
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            rows.add(splitCsv(line));
        }
        return rows;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cur.append('"');
                i++;
            } else if (c == '"') {
                q = !q;
            } else if (c == ',' && !q) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Path requestFile(String mappingId, String ext) {
        DepartmentLayout layout = DepartmentLayout.of(mappings.get(mappingId));
        return latest.resolve(layout.slug()).resolve("requests-" + mappingId + "." + ext);
    }

    private static List<String> rowWith(List<List<String>> rows, String column, String value) {
        int c = rows.get(0).indexOf(column);
        return rows.stream().skip(1).filter(r -> value.equals(r.get(c))).findFirst().orElse(null);
    }

    @Test
    @Order(1)
    void quarantinedRowIsInItsDepartmentsFileWithReasonAndLine() throws IOException {
        planted = spark().read().format("delta").load(tables.quarantine(SourceFamily.BENEFIT_PAYMENT))
                .filter(col("_mapping_id").equalTo(OFFICE).and(col("payment_id").isNotNull())
                        .and(col("_malformed").isNull())
                        .and(org.apache.spark.sql.functions.size(col("_reasons")).equalTo(1))
                        .and(col("_reasons").getItem(0).getField("field").equalTo("payment_date")))
                .select("payment_id", "_record_number", "_source_file", "payment_date", "period_end",
                        "_reasons")
                .orderBy("_source_file", "_record_number").first();
        assertNotNull(planted, "the generator quarantines an office payment for its payment date");
        Path file = requestFile(OFFICE, "csv");
        assertTrue(Files.exists(file) && Files.exists(requestFile(OFFICE, "xlsx")), file + " written");
        List<List<String>> rows = csv(file);
        List<String> row = rowWith(rows, "payment_no", planted.getString(0));
        assertNotNull(row, "the quarantined payment is listed under the office's own column name payment_no");
        List<String> h = rows.get(0);
        String message = planted.<Row>getList(5).get(0).getAs("message");
        assertEquals(message, row.get(h.indexOf("reason")));
        assertEquals(Long.toString(planted.getLong(1) + 1), row.get(h.indexOf("line")), "line = record + header");
        assertEquals(Path.of(planted.getString(2)).getFileName().toString(), row.get(h.indexOf("source_file")));
        assertEquals(planted.getString(3), row.get(h.indexOf("paid_on")), "the value as delivered");
        assertEquals("no", row.get(h.indexOf("overdue")));
    }

    @Test
    @Order(2)
    void everyDepartmentGetsOnlyItsOwnColumnsAndRows() throws IOException {
        Map<String, Set<String>> filesOfMapping = new java.util.HashMap<>();
        for (IngestLog.Entry e : IngestLog.entries(spark(), tables)) {
            filesOfMapping.computeIfAbsent(e.mappingId(), k -> new HashSet<>())
                    .add(Path.of(e.sourceFile()).getFileName().toString());
        }
        Set<String> departments = new HashSet<>();
        for (Mapping m : mappings.values()) {
            DepartmentLayout layout = DepartmentLayout.of(m);
            Path file = requestFile(m.id(), "csv");
            assertTrue(Files.exists(file), "the sample data gives " + m.department() + " a request file");
            departments.add(layout.slug());
            List<List<String>> rows = csv(file);
            List<String> expected = new ArrayList<>();
            layout.fields().forEach(f -> expected.add(m.columns().get(f)));
            expected.addAll(RequestFiles.REQUEST_COLUMNS);
            assertEquals(expected, rows.get(0), "only the columns " + m.department() + " delivered");
            int src = rows.get(0).indexOf("source_file");
            assertTrue(rows.size() > 1);
            for (List<String> r : rows.subList(1, rows.size())) {
                assertTrue(filesOfMapping.get(m.id()).contains(r.get(src)),
                        r.get(src) + " was delivered by " + m.department());
            }
        }
        try (Stream<Path> dirs = Files.list(latest)) {
            assertEquals(departments, dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !"notices".equals(n)).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    @Order(3)
    void confirmedDeceasedCaseAsksTheRegistryToConfirmTheDeath() throws IOException {
        Row c = spark().read().format("delta").load(tables.exceptions())
                .filter(col("rule_id").equalTo("deceased_recipient").and(col("state").equalTo("active")))
                .orderBy("exception_id").select("exception_id", "revision", "subject_id").first();
        CaseReview.ApplyResult r = CaseReview.apply(spark(), tables, List.of(new CaseReview.ReviewAction(
                c.getString(0), c.getLong(1), Disposition.CONFIRMED, null, "checked", null, "officer", "test")),
                List.of(), false, Map.of());
        assertEquals(1, r.applied());
        assertEquals(0, CrossCheck.execute("corrections", "--config", config.toString()));
        RequestItem item = CorrectionRequests.read(spark(), tables).stream()
                .filter(i -> c.getString(0).equals(i.exceptionId()) && "civil_registry".equals(i.family()))
                .findFirst().orElseThrow();
        assertEquals(RequestItem.OPEN, item.status());
        assertEquals(RequestItem.CONFIRM_RECORD, item.kind());
        List<List<String>> rows = csv(requestFile(REGISTRY, "csv"));
        List<String> row = rowWith(rows, "request_id", item.itemId());
        assertNotNull(row, "the registry's file asks to confirm the death record");
        assertEquals(c.getString(2), row.get(rows.get(0).indexOf("GMSFHM")));
        assertTrue(row.get(rows.get(0).indexOf("reason")).contains("confirm the death"));
        Path notice = latest.resolve("notices").resolve("notice-" + c.getString(0) + ".md");
        String text = Files.readString(notice);
        assertTrue(text.contains(c.getString(2).substring(c.getString(2).length() - 4)));
        assertFalse(text.contains(c.getString(2)), "the identity number is masked");
        assertTrue(text.contains(item.department()), "names the department that holds the record");
        for (Row other : spark().read().format("delta").load(tables.exceptions())
                .filter(col("subject_type").equalTo("person").and(col("subject_id").notEqual(c.getString(2))))
                .select("subject_id").collectAsList()) {
            assertFalse(text.contains(other.getString(0)), "no other person's data");
        }
    }

    @Test
    @Order(4)
    void correctedRowLeavesTheQuarantineAndClosesItsRequest() throws IOException {
        Mapping office = mappings.get(OFFICE);
        // the bronze rows name the file where the first run read it; its copy here is the one to change
        Path source = root.resolve(SampleRun.pristine().relativize(Path.of(planted.getString(2))));
        String bad = planted.getString(3);
        String fixed = planted.getString(4); // paid on the last day of the period: a valid date
        UnaryOperator<String> fix = line -> line.replace("," + bad + ",", "," + fixed + ",");
        // a second quarantined row is re-delivered unchanged: still wrong, its request stays open
        Row still = spark().read().format("delta").load(tables.quarantine(SourceFamily.BENEFIT_PAYMENT))
                .filter(col("_source_file").equalTo(planted.getString(2))
                        .and(col("_record_number").notEqual(planted.getLong(1))).and(col("_malformed").isNull()))
                .orderBy("_record_number").select("_record_number", "payment_id").first();
        Path target = source.resolveSibling("gz_payments_999901.csv");
        CorrectionDelivery.write(source, StandardCharsets.UTF_8, true,
                Map.of(planted.getLong(1), fix, still.getLong(0), UnaryOperator.identity()), target);
        assertTrue(office.files().contains("gz_payments_"), "the correction file matches the office's glob");
        String before = CorrectionRequests.read(spark(), tables).stream()
                .filter(i -> planted.getString(0).equals(businessKeyPayment(i))).findFirst().orElseThrow().itemId();
        String stillId = CorrectionRequests.read(spark(), tables).stream()
                .filter(i -> still.getString(1).equals(businessKeyPayment(i))).findFirst().orElseThrow().itemId();

        assertEquals(0, CrossCheck.execute("ingest", "--config", config.toString()));
        assertEquals(0, CrossCheck.execute("validate", "--config", config.toString()));
        assertEquals(0, CrossCheck.execute("corrections", "--config", config.toString()));

        Row clean = spark().read().format("delta").load(tables.clean(SourceFamily.BENEFIT_PAYMENT))
                .filter(col("payment_id").equalTo(planted.getString(0))).first();
        assertEquals(target.toString(), clean.getAs("_source_file"), "the corrected row entered the cleaned table");
        List<Row> quarantined = spark().read().format("delta").load(tables.quarantine(SourceFamily.BENEFIT_PAYMENT))
                .filter(col("payment_id").equalTo(planted.getString(0))).collectAsList();
        assertEquals(1, quarantined.size(), "the audit row stays");
        assertNotNull(quarantined.get(0).getAs(CorrectionRequests.RESOLVED_RUN), "and leaves the open quarantine");
        List<RequestItem> items = CorrectionRequests.read(spark(), tables);
        RequestItem closed = items.stream().filter(i -> before.equals(i.itemId())).findFirst().orElseThrow();
        assertEquals(RequestItem.CORRECTED, closed.status());
        assertEquals(clean.getAs("_updated_run"), closed.correctedRun(), "corrected by the run that brought it");
        assertEquals(quarantined.get(0).getAs(CorrectionRequests.RESOLVED_RUN), closed.correctedRun());
        RequestItem open = items.stream().filter(i -> stillId.equals(i.itemId())).findFirst().orElseThrow();
        assertEquals(RequestItem.OPEN, open.status(), "re-delivered still wrong: the same item, still open");
        assertEquals(target.toString(), open.sourceFile(), "now pointing at the latest delivery");
        List<List<String>> rows = csv(requestFile(OFFICE, "csv"));
        assertNull(rowWith(rows, "request_id", before), "a corrected row is no longer requested");
        assertNotNull(rowWith(rows, "request_id", stillId));
        for (Row still2 : spark().read().format("delta").load(tables.quarantine(SourceFamily.BENEFIT_PAYMENT))
                .filter(col("payment_id").equalTo(still.getString(1))).collectAsList()) {
            assertNull(still2.getAs(CorrectionRequests.RESOLVED_RUN));
        }
        Row m = spark().read().format("delta").load(CorrectionMetrics.table(tables))
                .filter(col("department").equalTo(office.department())).orderBy(col("recorded_at").desc()).first();
        assertEquals(1L, m.<Long>getAs("corrected"));
        assertEquals(0.0, m.<Double>getAs("median_days_to_correction"));
    }

    private static String businessKeyPayment(RequestItem i) {
        return "benefit_payment".equals(i.family()) && RequestItem.QUARANTINED_ROW.equals(i.kind())
                ? i.businessKey() : null;
    }
}
