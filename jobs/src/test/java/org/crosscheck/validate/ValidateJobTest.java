package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.ingest.Mapping;
import org.junit.jupiter.api.Test;

/** End to end on Delta: bronze and ingest log in a temporary warehouse, validate, inspect every table. */
class ValidateJobTest extends SparkTestSupport {
    static final SourceFamily REG = SourceFamily.CIVIL_REGISTRY;
    static final Mapping REGISTRY = BronzeFixture.mapping(REG,
            Map.of("birth_date", List.of("yyyyMMdd"), "death_date", List.of("yyyyMMdd", "yyyyMM", "yyyy"),
                    "updated_at", List.of("yyyy-MM-dd HH:mm:ss")),
            Map.of("sex", Map.of("1", "M", "2", "F", "0", "U", "9", "U"),
                    "record_status", Map.of("0", "alive", "1", "deceased", "2", "cancelled")));
    static final Mapping PAYMENTS = BronzeFixture.mapping(SourceFamily.BENEFIT_PAYMENT,
            Map.of("period_start", List.of("yyyyMMdd"), "period_end", List.of("yyyyMMdd"),
                    "payment_date", List.of("yyyyMMdd")), Map.of());
    static final String A = IdentityNumber.build("110105", LocalDate.of(1949, 12, 31), 11, true);
    static final String B = IdentityNumber.build("110105", LocalDate.of(1940, 3, 3), 12, false);
    static final String D = IdentityNumber.build("110105", LocalDate.of(1950, 1, 1), 13, true);
    static final String E = IdentityNumber.build("110105", LocalDate.of(1990, 2, 28), 15, true);
    static final String F = IdentityNumber.build("110105", LocalDate.of(1960, 1, 1), 17, true);
    static final String H = IdentityNumber.build("110105", LocalDate.of(1970, 1, 1), 19, true);
    static final String J = IdentityNumber.build("110105", LocalDate.of(1990, 3, 1), 21, true);
    static final String U = IdentityNumber.build("440524", LocalDate.of(1980, 1, 1), 23, true);
    static final byte[] KEY = "test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    static Map<String, String> person(String id, String name, String sex, String birth, String death, String status,
                                      String updatedAt) {
        Map<String, String> m = new HashMap<>();
        m.put("national_id", id);
        m.put("full_name", name);
        m.put("sex", sex);
        m.put("birth_date", birth);
        m.put("death_date", death);
        m.put("record_status", status);
        m.put("region", "110105");
        m.put("updated_at", updatedAt);
        return m;
    }

    static Map<String, String> malformed(String line) {
        Map<String, String> m = new HashMap<>();
        m.put("national_id", "a");
        m.put("_malformed", line);
        return m;
    }

    static Map<String, String> payment(String id, String nid, String amount, String start, String end) {
        Map<String, String> m = new HashMap<>();
        m.put("payment_id", id);
        m.put("national_id", nid);
        m.put("payee_name", "张三");
        m.put("scheme", "employee_pension");
        m.put("benefit_type", "basic_pension");
        m.put("region", "110105");
        m.put("period_start", start);
        m.put("period_end", end);
        m.put("payment_date", "20240610");
        m.put("amount", amount);
        m.put("bank_account", "6222020200112233445");
        return m;
    }

    static long version(String path) {
        return DeltaTable.forPath(spark(), path).history(1).select("version").first().getLong(0);
    }

    static Map<String, Row> byId(Dataset<Row> t, String key) {
        Map<String, Row> out = new TreeMap<>();
        t.collectAsList().forEach(r -> out.put(r.getAs(key), r));
        return out;
    }

    static void assertCounts(RowCounts c, long read, long ins, long upd, long unch, long sup, long quar, long dup) {
        assertEquals(new RowCounts(read, ins, upd, unch, sup, quar, dup, c.warnings()), c);
        assertTrue(c.balanced());
    }

    @Test
    void badRegistryRowsAreQuarantinedWithReasonsAndRerunsChangeNothing() {
        BronzeFixture fx = new BronzeFixture(spark(), tempDir("validate"));
        String hFullWidth = "１１０１０５" + H.substring(6); // full-width region prefix
        String bad = A.substring(0, 17) + (A.charAt(17) == '0' ? '1' : '0');
        String load = fx.load(REG, REGISTRY, List.of(
                person(A, "张三", "1", "19491231", "", "0", "2024-01-01 00:00:00"),             // 1 duplicate of 2
                person(A, "张三", "1", "19491231", "", "0", "2024-01-01 00:00:00"),             // 2 A wins
                person(B, "李四", "2", "19400303", "202003", "1", "2024-01-01 00:00:00"),       // 3 superseded
                person(B, "李四", "2", "19400303", "202003", "2", "2024-02-01 00:00:00"),       // 4 B cancelled wins
                person(bad, "王五", "1", "19491231", null, "0", "2024-01-01 00:00:00"),         // 5 check digit
                person(D, "赵六", "7", "19500101", null, "0", "2024-01-01 00:00:00"),           // 6 unknown code
                person(E, "钱七", "1", "19900230", null, "0", "2024-01-01 00:00:00"),           // 7 not a date
                person(F, "   ", "1", "19600101", null, "0", "2024-01-01 00:00:00"),            // 8 blank name
                malformed("1,2,3,4,5,6,7,8,9,10,11"),                                             // 9 too many
                malformed("1,2"),                                                                 // 10 too few
                person(hFullWidth, "ＷＡＮＧ　Ｗｕ", "１", "19700101", null, "0", "2024-01-01 00:00:00"), // 11 full width
                person(J, "孙八", "1", "199003", null, "0", "2024-01-01 00:00:00")));           // 12 month only
        CrossCheckConfig config = fx.config(repoRoot());

        ValidationReport first = ValidateJob.run(spark(), config, "run-1");
        assertCounts(first.counts(REG), 12, 3, 0, 0, 1, 7, 1);
        assertTrue(first.toString().contains("civil_registry"), first.toString());

        Map<String, Row> clean = byId(spark().read().format("delta").load(fx.tables.clean(REG)), "national_id");
        assertEquals(Set.of(A, B, H), clean.keySet());
        Row b = clean.get(B);
        assertEquals("cancelled", b.getAs("record_status"));
        assertNull(b.getAs("death_date"));
        assertNull(b.getAs("death_date_precision"));
        assertEquals(4L, (long) b.getAs("_record_number"));
        assertEquals(2L, (long) clean.get(A).getAs("_record_number"));
        assertEquals("wangwu", clean.get(H).getAs("full_name_norm"));
        assertEquals("M", clean.get(H).getAs("sex"));
        assertEquals(load, clean.get(H).getAs("_load_id"));

        Map<Long, Set<String>> reasons = new TreeMap<>();
        Map<Long, Row> quarantined = new TreeMap<>();
        for (Row r : spark().read().format("delta").load(fx.tables.quarantine(REG)).collectAsList()) {
            long n = r.getAs("_record_number");
            quarantined.put(n, r);
            reasons.put(n, r.<Row>getList(r.fieldIndex("_reasons")).stream().map(x -> x.getString(0))
                    .collect(Collectors.toSet()));
        }
        assertEquals(Set.of("national_id_valid"), reasons.get(5L));
        assertEquals(Set.of("parse_sex"), reasons.get(6L));
        assertEquals(Set.of("parse_birth_date"), reasons.get(7L));
        assertEquals(Set.of("full_name_required"), reasons.get(8L));
        assertEquals(Set.of("malformed_line"), reasons.get(9L));
        assertEquals(Set.of("malformed_line"), reasons.get(10L));
        assertEquals(Set.of("parse_birth_date"), reasons.get(12L));
        assertEquals("7", quarantined.get(6L).getAs("sex"), "quarantine keeps the raw value");
        assertEquals("run-1", quarantined.get(6L).getAs("_run_id"));
        String monthOnly = quarantined.get(12L).<Row>getList(quarantined.get(12L).fieldIndex("_reasons")).get(0).getString(3);
        assertTrue(monthOnly.contains("'199003'") && monthOnly.contains("month only"), monthOnly);

        Row metrics = spark().read().format("delta").load(fx.tables.metrics()).first();
        assertEquals(12L, (long) metrics.getAs("rows_read"));
        assertTrue((Boolean) metrics.getAs("balanced"));
        Map<String, Long> violations = metrics.getJavaMap(metrics.fieldIndex("check_violations"));
        assertEquals(1L, (long) violations.get("parse_sex"));
        assertTrue(metrics.getJavaMap(metrics.fieldIndex("completeness")).containsKey("full_name_norm"));

        long cleanVersion = version(fx.tables.clean(REG));
        long quarantineVersion = version(fx.tables.quarantine(REG));
        ValidationReport again = ValidateJob.run(spark(), config, "run-2");
        assertTrue(again.nothingToDo());
        assertEquals(cleanVersion, version(fx.tables.clean(REG)));
        assertEquals(quarantineVersion, version(fx.tables.quarantine(REG)));

        ValidationReport full = ValidateJob.runFull(spark(), config, "run-3");
        assertCounts(full.counts(REG), 12, 0, 0, 3, 1, 7, 1);
        assertEquals(cleanVersion, version(fx.tables.clean(REG)), "re-validation must not touch the cleaned table");
        assertEquals(7, spark().read().format("delta").load(fx.tables.quarantine(REG)).count());
    }

    @Test
    void laterRecordsUpdateOlderOnesAreSupersededAndRetractionsRestoreLife() {
        BronzeFixture fx = new BronzeFixture(spark(), tempDir("validate"));
        CrossCheckConfig config = fx.config(repoRoot());
        String q = B;
        String r = D;
        fx.load(REG, REGISTRY, List.of(
                person(A, "张三", "1", "19491231", "2024", "1", "2024-05-01 00:00:00"),
                person(q, "李四", "2", "19400303", "202003", "1", "2024-01-01 00:00:00")));
        assertCounts(ValidateJob.run(spark(), config, "run-1").counts(REG), 2, 2, 0, 0, 0, 0, 0);
        Map<String, Row> clean = byId(spark().read().format("delta").load(fx.tables.clean(REG)), "national_id");
        assertEquals(Date.valueOf("2024-01-01"), clean.get(A).getAs("death_date"));
        assertEquals("year", clean.get(A).getAs("death_date_precision"));
        assertEquals("month", clean.get(q).getAs("death_date_precision"));

        fx.load(REG, REGISTRY, List.of(
                person(A, "张三", "1", "19491231", null, "0", "2024-04-01 00:00:00"),  // older than stored: superseded
                person(q, "李四", "2", "19400303", null, "2", "2024-02-01 00:00:00"),  // death withdrawn: updated
                person(r, "赵六", "1", "19500101", null, "0", "2024-02-01 00:00:00"))); // new: inserted
        assertCounts(ValidateJob.run(spark(), config, "run-2").counts(REG), 3, 1, 1, 0, 1, 0, 0);
        clean = byId(spark().read().format("delta").load(fx.tables.clean(REG)), "national_id");
        assertEquals("deceased", clean.get(A).getAs("record_status"));
        assertEquals(Date.valueOf("2024-01-01"), clean.get(A).getAs("death_date"));
        assertEquals("cancelled", clean.get(q).getAs("record_status"));
        assertNull(clean.get(q).getAs("death_date"));
        assertNull(clean.get(q).getAs("death_date_precision"));
        assertEquals("run-2", clean.get(q).getAs("_updated_run"));
        assertEquals("run-1", clean.get(A).getAs("_updated_run"));
        assertEquals(2, spark().read().format("delta").load(fx.tables.validationLog()).count());

        long cleanVersion = version(fx.tables.clean(REG));
        fx.load(REG, REGISTRY, List.of());
        ValidationReport empty = ValidateJob.run(spark(), config, "run-3");
        assertEquals(1, empty.family(REG).loads());
        assertEquals(RowCounts.EMPTY, empty.counts(REG));
        assertEquals(cleanVersion, version(fx.tables.clean(REG)), "an empty load changes nothing");
        assertEquals(3, spark().read().format("delta").load(fx.tables.validationLog()).count());
    }

    @Test
    void paymentsAreCheckedAgainstTheRegistryAndAnalystTablesArePseudonymised() {
        BronzeFixture fx = new BronzeFixture(spark(), tempDir("validate"));
        CrossCheckConfig config = fx.config(repoRoot());
        fx.load(REG, REGISTRY, List.of(person(A, "张三", "1", "19491231", null, "0", "2024-01-01 00:00:00")));
        fx.load(SourceFamily.BENEFIT_PAYMENT, PAYMENTS, List.of(
                payment("P1", A, "1,200.00", "20240501", "20240531"),   // 1 inserted
                payment("P2", U, "10", "20240501", "20240531"),         // 2 inserted, warned: unknown person
                payment("P3", A, "10", "20240501", "20240531"),         // 3 same id, other content
                payment("P3", A, "11", "20240501", "20240531"),         // 4 same id, other content
                payment("P5", A, "abc", "20240501", "20240531"),        // 5 not an amount
                payment("P6", A, "-5", "20240501", "20240531"),         // 6 not positive
                payment("P7", A, "10", "20240601", "20240501")));       // 7 ends before it starts
        ValidationReport report = ValidateJob.run(spark(), config, "run-1");
        RowCounts c = report.counts(SourceFamily.BENEFIT_PAYMENT);
        assertCounts(c, 7, 2, 0, 0, 0, 5, 0);
        assertEquals(1, c.warnings());
        Map<String, Long> checks = report.family(SourceFamily.BENEFIT_PAYMENT).checkViolations();
        assertEquals(2L, checks.get("payment_id_unique"));
        assertEquals(1L, checks.get("parse_amount"));
        assertEquals(1L, checks.get("amount_positive"));
        assertEquals(1L, checks.get("period_end_not_before_start"));
        assertEquals(1L, checks.get("beneficiary_known"));
        Map<String, Row> paid = byId(spark().read().format("delta").load(fx.tables.clean(SourceFamily.BENEFIT_PAYMENT)),
                "payment_id");
        assertEquals(Set.of("P1", "P2"), paid.keySet());
        assertEquals(0, new java.math.BigDecimal("1200.00").compareTo(paid.get("P1").getAs("amount")));
        assertEquals("张三", paid.get("P1").getAs("payee_name_norm"));
        assertEquals(1, paid.get("P2").getList(paid.get("P2").fieldIndex("_warnings")).size());

        CrossCheckException noKey = assertThrows(CrossCheckException.class,
                () -> AnalystTables.publish(spark(), config));
        assertEquals(ExitCode.USAGE, noKey.exitCode());
        assertTrue(noKey.getMessage().contains("CROSSCHECK_TEST_KEY_THAT_IS_NOT_SET"), noKey.getMessage());
        assertFalse(DeltaTable.isDeltaTable(spark(), fx.tables.analyst(SourceFamily.BENEFIT_PAYMENT)));

        AnalystTables.publish(spark(), fx.tables, KEY);
        Dataset<Row> analyst = spark().read().format("delta").load(fx.tables.analyst(SourceFamily.BENEFIT_PAYMENT));
        Set<String> columns = Set.of(analyst.columns());
        assertFalse(columns.contains("national_id") || columns.contains("payee_name") || columns.contains("bank_account")
                || columns.contains("payee_name_norm"), columns.toString());
        String token = analyst.filter(col("payment_id").equalTo("P1")).first().getAs("person_token");
        assertEquals(AnalystTables.token(KEY, A), token);
        assertEquals(64, token.length());
        Dataset<Row> people = spark().read().format("delta").load(fx.tables.analyst(REG));
        assertFalse(Set.of(people.columns()).contains("full_name"));
        assertEquals(token, people.first().getAs("person_token"), "tokens join across families");
        AnalystTables.publish(spark(), fx.tables, KEY);
        assertEquals(token, spark().read().format("delta").load(fx.tables.analyst(SourceFamily.BENEFIT_PAYMENT))
                .filter(col("payment_id").equalTo("P1")).first().getAs("person_token"), "stable across publishes");
    }

    @Test
    void unbalancedBooksFailTheRunWithExitCode4() {
        RowCounts c = new RowCounts(10, 3, 0, 0, 0, 5, 1, 0);
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> RowAccounting.requireBalanced(REG, "run-x", c));
        assertEquals(ExitCode.INTERNAL_FAILURE, e.exitCode());
        assertEquals(4, e.exitCode().code);
        assertTrue(e.getMessage().contains("read 10") && e.getMessage().contains("= 9"), e.getMessage());
    }

    @Test
    void keyComesFromEnvironmentOrFileAndMustBeLongEnough() throws Exception {
        var settings = new CrossCheckConfig.PseudonymisationSettings("K", null);
        assertEquals("0123456789abcdef", new String(AnalystTables.key(settings, Map.of("K", "0123456789abcdef")::get),
                StandardCharsets.UTF_8));
        java.nio.file.Path file = tempDir("key").resolve("key.txt");
        java.nio.file.Files.writeString(file, "fedcba9876543210fedcba\n");
        assertEquals(22, AnalystTables.key(new CrossCheckConfig.PseudonymisationSettings("K", file.toString()),
                k -> null).length);
        CrossCheckException shortKey = assertThrows(CrossCheckException.class,
                () -> AnalystTables.key(settings, Map.of("K", "short")::get));
        assertTrue(shortKey.getMessage().contains("shorter than"), shortKey.getMessage());
    }
}
