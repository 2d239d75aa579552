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
import org.crosscheck.SparkTestSupport;
import org.crosscheck.cli.CrossCheck;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.crosscheck.generate.SampleDataGenerator;
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
    private static Map<String, String> idsAfterFirstRun;

    @BeforeAll
    static void firstRun() throws IOException {
        root = tempDir("acceptance");
        SampleDataGenerator.generate(root.resolve("data"), 200, 42);
        config = root.resolve("crosscheck.yaml");
        RunConfig.write(config, repoRoot(), "warehouse", "exports", "", "");
        tables = new Tables(root.resolve("warehouse").toString());
        truth = readTruth(root.resolve("data/truth.csv"));
        assertEquals(ExitCode.FINDINGS_PRESENT.code, run(), "findings await review after the first run");
    }

    private static int run() {
        return CrossCheck.execute("run", "--config", config.toString(), "--as-of", "2026-01-31");
    }

    private static Dataset<Row> table(String path) {
        return spark().read().format("delta").load(path);
    }

    private static Map<String, Row> exceptionsByKey() {
        Map<String, Row> m = new HashMap<>();
        for (Row r : table(tables.exceptions()).collectAsList()) {
            m.put(r.<String>getAs("rule_id") + "|" + r.<String>getAs("subject_id") + "|" + r.<String>getAs("scheme")
                    + "|" + r.<String>getAs("period"), r);
        }
        return m;
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
    void reRunKeepsExceptionIdsAndImportedDispositions() throws IOException {
        Map<String, Row> before = exceptionsByKey();
        idsAfterFirstRun = new HashMap<>();
        before.forEach((k, r) -> idsAfterFirstRun.put(k, r.getAs("exception_id")));
        List<String> ids = new ArrayList<>(new TreeSet<>(idsAfterFirstRun.values()));
        Path review = root.resolve("review.csv");
        Files.writeString(review, "\uFEFFexception_id,status,review_note\n"
                + ids.get(0) + ",confirmed,overpayment confirmed with the family\n"
                + ids.get(1) + ",dismissed,registry error; death date corrected\n", StandardCharsets.UTF_8);
        assertEquals(0, CrossCheck.execute("review", "import", review.toString(), "--reviewer", "li.wei",
                "--config", config.toString()));

        assertEquals(ExitCode.FINDINGS_PRESENT.code, run());

        Map<String, Row> after = exceptionsByKey();
        Map<String, String> idsAfter = new HashMap<>();
        after.forEach((k, r) -> idsAfter.put(k, r.getAs("exception_id")));
        assertEquals(idsAfterFirstRun, idsAfter, "same findings, same ids");
        Map<String, Row> byId = after.values().stream().collect(Collectors.toMap(r -> r.getAs("exception_id"), r -> r));
        assertEquals("confirmed", byId.get(ids.get(0)).getAs("status"));
        assertEquals("li.wei", byId.get(ids.get(0)).getAs("reviewer"));
        assertEquals("dismissed", byId.get(ids.get(1)).getAs("status"));
        assertEquals("registry error; death date corrected", byId.get(ids.get(1)).getAs("review_note"));
        assertEquals(2, table(tables.reviewLog()).count());
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
        assertEquals("2025-04..2025-12", finding.getAs("period"));
        assertEquals(0, owed.compareTo(finding.getAs("amount_at_risk")), "amount at risk is the improper payments");
        assertEquals("new", finding.getAs("status"));
        String explanation = finding.getAs("explanation");
        assertTrue(explanation.contains("2025-03-15"), explanation);

        writeRegistryUpdate(person, "20250315", "2", "20260125080000", "HJ_ZL_20260125.csv");
        assertEquals(ExitCode.FINDINGS_PRESENT.code, run());

        Row retracted = deceasedRecipientFinding(person);
        assertEquals("resolved", retracted.getAs("status"), "a cancelled death record resolves its findings");
        Row registry = table(tables.clean(SourceFamily.CIVIL_REGISTRY)).where(col("national_id").equalTo(person)).first();
        assertEquals("cancelled", registry.getAs("record_status"));
        assertEquals(null, (Object) registry.getAs("death_date"), "the withdrawn death does not linger");
        // the earlier reviews are still there
        assertFalse(table(tables.exceptions()).where("status = 'confirmed'").isEmpty());
    }

    private static Row deceasedRecipientFinding(String person) {
        List<Row> rows = table(tables.exceptions())
                .where(col("rule_id").equalTo("deceased_recipient").and(col("subject_id").equalTo(person))).collectAsList();
        assertTrue(rows.size() <= 1, "one finding per person and scheme: " + rows);
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
            List<String> values = splitCsv(line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < values.size() ? values.get(i) : "");
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
