package org.crosscheck.acceptance;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.CsvText;
import org.crosscheck.SampleRun;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.cli.CrossCheck;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline through the command line, on generated data with planted cases and traps, checked against the
 * generator's truth file. The tests share one warehouse and run in order: first run, review, late death, retraction.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineAcceptanceTest extends SparkTestSupport {
    private static final Charset GBK = Charset.forName("GBK");
    /** Rules with an alert budget (top K per run) flag unplanted records by design; they are evaluated under bench/. */
    private static final Set<String> BUDGETED = Set.of("anomaly_score");

    private static Path root;
    private static Path config;
    private static Tables tables;
    private static List<Map<String, String>> truth;

    @BeforeAll
    static void firstRun() throws IOException {
        // the first run (shared with the other end-to-end tests, made once per test JVM); this test goes on from a copy
        root = SampleRun.copy("acceptance");
        config = root.resolve("crosscheck.yaml");
        tables = new Tables(root.resolve("warehouse").toString());
        truth = readTruth(root.resolve("data/truth.csv"));
    }

    private static int run() {
        return CrossCheck.execute("run", "--config", config.toString(), "--as-of", "2026-01-31");
    }

    private static Dataset<Row> table(String path) {
        return spark().read().format("delta").load(path);
    }

    @Test
    @Order(1)
    void everyPlantedCaseIsFlaggedAndNoTrapIs() {
        List<Row> exceptions = table(tables.exceptions()).collectAsList();
        Map<String, List<Row>> bySubject = exceptions.stream().collect(Collectors.groupingBy(
                r -> r.<String>getAs("rule_id") + "|" + r.<String>getAs("subject_id")));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map<String, String> t : truth) {
            if (!"screening".equals(t.get("kind"))) {
                continue;
            }
            checked++;
            List<Row> found = bySubject.getOrDefault(t.get("rule_id") + "|" + t.get("subject_id"), List.of());
            boolean expectFlag = "flag".equals(t.get("expected"));
            if (expectFlag && found.isEmpty()) {
                problems.add("not flagged: " + t);
            } else if (!expectFlag && !found.isEmpty()) {
                problems.add("trap flagged: " + t + " -> " + found.get(0).getAs("explanation"));
            } else if (expectFlag && !t.get("amount_at_risk").isEmpty()) {
                BigDecimal amount = found.stream().map(r -> r.<BigDecimal>getAs("amount_at_risk"))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                if (amount.compareTo(new BigDecimal(t.get("amount_at_risk"))) != 0) {
                    problems.add("amount " + amount + " instead of " + t.get("amount_at_risk") + ": " + t);
                }
            }
        }
        assertTrue(checked >= 30, "truth file has the planted cases: " + checked);
        assertEquals(List.of(), problems);
        // nothing is flagged that was not planted: the normal population stays quiet
        Set<String> planted = truth.stream().map(t -> t.get("rule_id") + "|" + t.get("subject_id")).collect(Collectors.toSet());
        List<String> unplanted = bySubject.keySet().stream().filter(k -> !planted.contains(k))
                .filter(k -> !BUDGETED.contains(k.substring(0, k.indexOf('|')))).sorted().toList();
        assertEquals(List.of(), unplanted);
    }

    @Test
    @Order(2)
    void rowsReadEqualCleanPlusQuarantinedPlusDuplicatesForEveryTable() {
        List<Row> metrics = table(tables.metrics()).collectAsList();
        assertEquals(SourceFamily.values().length, metrics.size());
        for (Row m : metrics) {
            long read = m.getAs("rows_read");
            long accounted = m.<Long>getAs("inserted") + m.<Long>getAs("updated") + m.<Long>getAs("unchanged")
                    + m.<Long>getAs("superseded") + m.<Long>getAs("quarantined") + m.<Long>getAs("duplicates");
            assertEquals(read, accounted, "books balance for " + m.getAs("family"));
            assertTrue(m.<Boolean>getAs("balanced"));
            SourceFamily family = SourceFamily.fromId(m.getAs("family"));
            assertEquals(table(tables.bronze(family)).count(), read, "every bronze row was read: " + family);
        }
    }

    @Test
    @Order(3)
    void qualityCasesLandWhereTheTruthFileSays() {
        List<String> problems = new ArrayList<>();
        for (Map<String, String> t : truth) {
            if (!"quality".equals(t.get("kind"))) {
                continue;
            }
            SourceFamily family = SourceFamily.fromId(t.get("family"));
            String keyColumn = "payment".equals(t.get("subject_type")) ? "payment_id" : "national_id";
            String raw = t.get("subject_id");
            String normalised = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toUpperCase(java.util.Locale.ROOT);
            long inQuarantine = table(tables.quarantine(family))
                    .where(col(keyColumn).contains(raw).or(col("_malformed").contains(raw))).count();
            long inClean = table(tables.clean(family)).where(col(keyColumn).equalTo(normalised)).count();
            boolean ok = switch (t.get("expected")) {
                case "quarantine" -> inQuarantine > 0;
                case "clean", "warn" -> inClean > 0;
                default -> false;
            };
            if (!ok) {
                problems.add(t.get("expected") + " expected (quarantine " + inQuarantine + ", clean " + inClean + "): " + t);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    @Order(4)
    void everyCaseReviewedThenANewMonthOfPaymentsLosesNoDispositionAndDuplicatesNoCase() throws IOException {
        // review every case of the export, as a risk office does in its first month
        Path export = root.resolve("exports/latest/exceptions.csv");
        List<List<String>> records = CsvText.records(Files.readString(export, StandardCharsets.UTF_8));
        List<String> header = records.get(0);
        int id = header.indexOf("exception_id");
        int disposition = header.indexOf("disposition");
        int reason = header.indexOf("disposition_reason");
        int note = header.indexOf("review_note");
        StringBuilder edited = new StringBuilder("\uFEFF").append(String.join(",", header)).append("\r\n");
        Map<String, String> decided = new HashMap<>();
        // evidence holds one line per record: read the CSV as records, not lines
        for (List<String> fields : records.subList(1, records.size())) {
            String d = decided.size() % 2 == 0 ? "confirmed" : "dismissed";
            fields.set(disposition, d);
            if (d.equals("dismissed")) {
                fields.set(reason, "false positive: the records are correct");
            }
            fields.set(note, "reviewed in month 1");
            decided.put(fields.get(id), d);
            edited.append(CsvText.line(fields)).append("\r\n");
        }
        assertEquals(table(tables.exceptions()).count(), decided.size(), "the export lists every case");
        Path review = root.resolve("review-month-1.csv");
        Files.writeString(review, edited.toString(), StandardCharsets.UTF_8);
        assertEquals(0, CrossCheck.execute("review", "import", review.toString(), "--reviewer", "li.wei",
                "--config", config.toString()));
        Map<String, Row> before = casesById();
        assertTrue(before.values().stream().noneMatch(r -> "none".equals(r.getAs("disposition"))), "every case decided");

        // next month: December's payments again, for January 2026 (no new deaths)
        addJanuaryPayments();
        run();

        Map<String, Row> after = casesById();
        List<String> lost = new ArrayList<>();
        for (var e : decided.entrySet()) {
            Row r = after.get(e.getKey());
            if (r == null || !e.getValue().equals(r.getAs("disposition"))) {
                lost.add(e.getKey() + " " + e.getValue() + " -> " + (r == null ? "missing" : r.getAs("disposition")));
            }
        }
        assertEquals(List.of(), lost, "0 dispositions lost");
        // 0 cases duplicated: no case appeared beside a reviewed one for the same rule, subject and scheme
        Set<String> reviewedKeys = before.values().stream().map(PipelineAcceptanceTest::subjectKey)
                .collect(Collectors.toSet());
        List<String> duplicated = after.values().stream()
                .filter(r -> !before.containsKey(r.<String>getAs("exception_id")))
                .filter(r -> r.getAs("case_key") == null)
                .map(PipelineAcceptanceTest::subjectKey).filter(reviewedKeys::contains).toList();
        assertEquals(List.of(), duplicated, "0 cases duplicated");
        // continuing payments to a deceased recipient: the case grew and shows both amounts
        Row grown = after.values().stream()
                .filter(r -> "deceased_recipient".equals(r.getAs("rule_id")))
                .filter(r -> r.<BigDecimal>getAs("amount_at_risk").compareTo(r.getAs("reviewed_amount")) > 0)
                .findFirst().orElseThrow(() -> new AssertionError("no deceased_recipient case grew"));
        assertTrue(grown.<String>getAs("period").endsWith("2026-01"), grown.<String>getAs("period"));
        String csv = Files.readString(root.resolve("exports/latest/exceptions.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.contains(grown.<BigDecimal>getAs("amount_at_risk").toPlainString() + ","
                + grown.<BigDecimal>getAs("reviewed_amount").toPlainString()), "the export shows both amounts");
        assertEquals(decided.size(), table(tables.reviewLog()).where("action = 'disposition'").count(),
                "one log entry per decision");
    }

    private static String subjectKey(Row r) {
        return r.<String>getAs("rule_id") + "|" + r.<String>getAs("subject_type") + "|" + r.<String>getAs("subject_id")
                + "|" + r.<String>getAs("scheme");
    }

    private static Map<String, Row> casesById() {
        return table(tables.exceptions()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("exception_id"), r -> r));
    }

    /** Copies every payment for December 2025 to January 2026 under new payment ids, in both benefits layouts. */
    private static void addJanuaryPayments() throws IOException {
        Path dir = root.resolve("data/landing/benefits_office");
        Path gz = dir.resolve("gz_payments_2025.csv");
        List<String> out = new ArrayList<>();
        List<String> gzLines = Files.readAllLines(gz, StandardCharsets.UTF_8);
        out.add(gzLines.get(0));
        for (String l : gzLines.subList(1, gzLines.size())) {
            if (l.contains(",2025-12-01,2025-12-31,")) {
                out.add(l.replaceFirst("^GZP", "GZJ").replace(",2025-12-01,2025-12-31,2025-12-10,",
                        ",2026-01-01,2026-01-31,2026-01-10,").replace(",2025-12-01,2025-12-31,", ",2026-01-01,2026-01-31,"));
            }
        }
        Files.write(dir.resolve("gz_payments_202601.csv"), out, StandardCharsets.UTF_8);
        List<String> json = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("platform_payments_2025.jsonl"), StandardCharsets.UTF_8)) {
            if (l.contains("\"period_begin\":\"20251201\"")) {
                json.add(l.replace("\"txn_id\":\"PF", "\"txn_id\":\"PJ").replace("\"20251201\"", "\"20260101\"")
                        .replace("\"20251231\"", "\"20260131\"").replace("\"pay_date\":\"202512", "\"pay_date\":\"202601"));
            }
        }
        Files.write(dir.resolve("platform_payments_202601.jsonl"), json, StandardCharsets.UTF_8);
        assertTrue(out.size() > 10 && json.size() > 10, "January payments written: " + out.size() + " + " + json.size());
    }

    @Test
    @Order(5)
    void lateDeathRecordFlagsPastPaymentsAndItsRetractionResolvesThem() throws IOException {
        // an alive pensioner paid for every month of 2025, and not flagged by anything
        Set<String> flagged = table(tables.exceptions()).select("subject_id").distinct().collectAsList().stream()
                .map(r -> r.getString(0)).collect(Collectors.toSet());
        Dataset<Row> pensions = table(tables.clean(SourceFamily.BENEFIT_PAYMENT))
                .where("scheme = 'employee_pension' AND period_start >= DATE'2025-01-01'");
        Dataset<Row> alive = table(tables.clean(SourceFamily.CIVIL_REGISTRY)).where("record_status = 'alive'");
        String person = pensions.join(alive, "national_id").groupBy("national_id").count().where("count = 12")
                .select("national_id").orderBy("national_id").collectAsList().stream().map(r -> r.getString(0))
                .filter(id -> !flagged.contains(id)).findFirst().orElseThrow();
        BigDecimal owed = pensions.where(col("national_id").equalTo(person))
                .where("period_start > DATE'2025-03-31'").selectExpr("sum(amount)").first().getDecimal(0);

        writeRegistryUpdate(person, "20250315", "1", "20260120080000", "HJ_ZL_20260120.csv");
        assertEquals(ExitCode.FINDINGS_PRESENT.code, run());

        Row finding = deceasedRecipientFinding(person);
        assertTrue(finding != null, "late death flags the pensions paid after it");
        assertEquals("2025-04..2026-01", finding.getAs("period"), "judged by the period paid for, January included");
        assertEquals(0, owed.compareTo(finding.getAs("amount_at_risk")), "amount at risk is the improper payments");
        assertEquals("active", finding.getAs("state"));
        assertEquals("none", finding.getAs("disposition"));
        String explanation = finding.getAs("explanation");
        assertTrue(explanation.contains("2025-03-15"), explanation);

        writeRegistryUpdate(person, "20250315", "2", "20260125080000", "HJ_ZL_20260125.csv");
        assertEquals(ExitCode.FINDINGS_PRESENT.code, run());

        Row retracted = deceasedRecipientFinding(person);
        assertEquals("no_longer_found", retracted.getAs("state"), "a cancelled death record: the case is no longer found");
        Row registry = table(tables.clean(SourceFamily.CIVIL_REGISTRY)).where(col("national_id").equalTo(person)).first();
        assertEquals("cancelled", registry.getAs("record_status"));
        assertEquals(null, (Object) registry.getAs("death_date"), "the withdrawn death does not linger");
        // the earlier reviews are still there
        assertFalse(table(tables.exceptions()).where("disposition = 'confirmed'").isEmpty());
    }

    private static Row deceasedRecipientFinding(String person) {
        List<Row> rows = table(tables.exceptions())
                .where(col("rule_id").equalTo("deceased_recipient").and(col("subject_id").equalTo(person))).collectAsList();
        assertTrue(rows.size() <= 1, "one case per person and scheme: " + rows);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Appends a registry update extract (GBK, the department's own layout) with one changed record. */
    private static void writeRegistryUpdate(String nationalId, String deathDate, String status, String updatedAt,
                                            String fileName) throws IOException {
        Path dir = root.resolve("data/landing/public_security");
        Path full;
        try (var files = Files.list(dir)) {
            full = files.filter(p -> p.getFileName().toString().startsWith("HJ_QL_")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(full, GBK);
        List<String> header = List.of(lines.get(0).split(",", -1));
        String record = lines.stream().filter(l -> l.startsWith(nationalId + ",")).findFirst().orElseThrow();
        String[] fields = record.split(",", -1);
        fields[header.indexOf("SWRQ")] = deathDate;
        fields[header.indexOf("ZXBZ")] = status;
        fields[header.indexOf("GXSJ")] = updatedAt;
        Files.write(dir.resolve(fileName), (lines.get(0) + "\n" + String.join(",", fields) + "\n").getBytes(GBK));
    }

    private static List<Map<String, String>> readTruth(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> values = CsvText.records(line).get(0);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < values.size() ? values.get(i) : "");
            }
            rows.add(row);
        }
        return rows;
    }
}
