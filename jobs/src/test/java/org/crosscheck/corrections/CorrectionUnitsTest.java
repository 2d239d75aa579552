package org.crosscheck.corrections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.crosscheck.core.SourceFamily;
import org.crosscheck.generate.CorrectionDelivery;
import org.crosscheck.ingest.Mapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the loop that need no Spark: layout, item ids, figures, request cells, notices, planted deliveries. */
class CorrectionUnitsTest {
    private static final Timestamp NOW = Timestamp.from(Instant.parse("2026-03-01T08:00:00Z"));

    private static Mapping registry() {
        return new Mapping("psb", "civil_registry", "public security bureau, household registration",
                "public_security/HJ_*.csv", "csv", "GBK", ",", true, "\"",
                Map.of("national_id", "GMSFHM", "full_name", "XM", "death_date", "SWRQ"),
                Map.of("region", "440106"), Map.of(), Map.of("sex", Map.of("1", "M")), null);
    }

    private static RequestItem item(String id, String status, Instant requested, Instant corrected, String run) {
        return new RequestItem(id, "dept", "psb", "civil_registry", RequestItem.QUARANTINED_ROW, "k", "check",
                "reason", "/landing/public_security/HJ_1.csv", 7L, null,
                "{\"national_id\":\"11010519491231002X\",\"full_name\":\"王伟\",\"death_date\":\"20251345\","
                        + "\"region\":\"440106\",\"sex\":\"1\"}",
                run, Timestamp.from(requested), status, corrected == null ? null : run,
                corrected == null ? null : Timestamp.from(corrected), run);
    }

    @Test
    void layoutListsOnlyTheDeliveredFieldsInCanonicalOrderUnderTheDepartmentsNames() {
        DepartmentLayout l = DepartmentLayout.of(registry());
        assertEquals(List.of("national_id", "full_name", "death_date"), l.fields(), "the constant region is not delivered");
        assertEquals("SWRQ", l.column("death_date"));
        assertEquals("public-security-bureau-household-registration", l.slug());
        assertEquals(8, l.line(7), "a header line comes first");
        assertEquals(SourceFamily.CIVIL_REGISTRY, l.family());
        assertEquals("广州市社保局", DepartmentLayout.slug("广州市 社保局").replace("-", ""));
    }

    @Test
    void itemIdIsStableAndDependsOnFamilyKeyAndReasonKind() {
        String a = CorrectionRequests.itemId("benefit_payment", "P1", "unparseable_date");
        assertEquals(a, CorrectionRequests.itemId("benefit_payment", "P1", "unparseable_date"));
        assertEquals(24, a.length());
        assertNotEquals(a, CorrectionRequests.itemId("benefit_payment", "P1", "unknown_code"));
        assertNotEquals(a, CorrectionRequests.itemId("benefit_payment", "P2", "unparseable_date"));
        assertNotEquals(a, CorrectionRequests.itemId("enrollment", "P1", "unparseable_date"));
    }

    @Test
    void cellsHoldTheDeliveredValuesThenTheRequestAndOverdueAfterTheConfiguredDays() {
        DepartmentLayout l = DepartmentLayout.of(registry());
        RequestItem old = item("i1", RequestItem.OPEN, NOW.toInstant().minus(31, ChronoUnit.DAYS), null, "r1");
        List<String> cells = RequestFiles.cells(l, old, NOW, 30);
        assertEquals(List.of("11010519491231002X", "王伟", "20251345", "i1", "please correct and deliver this row again",
                "reason", "HJ_1.csv", "8", "r1", "2026-01-29", "31", "yes"), cells);
        assertEquals("no", RequestFiles.cells(l, old, NOW, 32).get(11));
    }

    @Test
    void metricsCountPerDepartmentWithTheMedianDaysToCorrection() {
        Instant t = NOW.toInstant();
        List<RequestItem> items = List.of(
                item("a", RequestItem.CORRECTED, t.minus(10, ChronoUnit.DAYS), t.minus(8, ChronoUnit.DAYS), "r1"),
                item("b", RequestItem.CORRECTED, t.minus(10, ChronoUnit.DAYS), NOW.toInstant(), "r2"),
                item("c", RequestItem.OPEN, t.minus(40, ChronoUnit.DAYS), null, "r1"),
                item("d", RequestItem.OPEN, t, null, "r2"),
                item("e", RequestItem.WITHDRAWN, t, t, "r2"));
        CorrectionMetrics m = CorrectionMetrics.of(items, "r2", NOW, 30).get(0);
        assertEquals("dept", m.department());
        assertEquals(3, m.requested(), "b, d and e were first requested in r2");
        assertEquals(2, m.open());
        assertEquals(1, m.correctedThisRun());
        assertEquals(2, m.correctedTotal());
        assertEquals(1, m.overdue());
        assertEquals(6.0, m.medianDaysToCorrection(), "median of 2 and 10 days");
        assertNull(CorrectionMetrics.of(List.of(items.get(2)), "r2", NOW, 30).get(0).medianDaysToCorrection());
    }

    @Test
    void noticeMasksTheIdentityNumberAndFillsTheTemplate() {
        String t = PersonNotices.template(null);
        assertTrue(t.contains("{what_records_show}"), "the built-in template documents its placeholders");
        assertEquals("**************002X", PersonNotices.mask("11010519491231002X"));
        assertEquals("Dear A, case c1", PersonNotices.fill("Dear {name}, case {case_id}", Map.of("name", "A",
                "case_id", "c1")));
    }

    @Test
    void plantedDeliveryRepeatsTheHeaderAndTheFixedRecords(@TempDir Path dir) throws IOException {
        Charset gbk = Charset.forName("GBK");
        Path src = dir.resolve("HJ_1.csv");
        Files.write(src, List.of("GMSFHM,XM,SWRQ", "1,王伟,20251345", "2,李娜,20250101"), gbk);
        Path out = CorrectionDelivery.write(src, gbk, true,
                Map.of(1L, (UnaryOperator<String>) s -> s.replace("20251345", "20251231")), dir.resolve("HJ_2.csv"));
        assertEquals(List.of("GMSFHM,XM,SWRQ", "1,王伟,20251231"), Files.readAllLines(out, gbk));
        assertThrows(IllegalArgumentException.class, () -> CorrectionDelivery.write(src, gbk, true,
                Map.of(3L, UnaryOperator.identity()), dir.resolve("HJ_3.csv")));
    }
}
