package org.crosscheck.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.crosscheck.core.CrossCheckConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpectedDeliveriesTest {
    @TempDir
    Path landing;

    private static final Mapping REGISTRY = new Mapping("psb_registry", "civil_registry", "public security bureau",
            "psb/*.csv", null, null, null, null, null, Map.of("national_id", "ID"), null, null, null, null);
    private static final List<CrossCheckConfig.ExpectedDelivery> MONTHLY =
            List.of(new CrossCheckConfig.ExpectedDelivery("psb_registry", null, "monthly", null));

    private List<String> problems(List<IngestLog.Entry> log, Instant now) {
        return ExpectedDeliveries.problems(new Configuration(), landing.toString(), List.of(REGISTRY), log, MONTHLY, now);
    }

    @Test
    void aDeliveryThatNeverArrivedIsMissing() {
        List<String> p = problems(List.of(), Instant.now());
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("expected delivery missing: public security bureau delivers civil_registry monthly"),
                p.get(0));
    }

    @Test
    void aDeliveryOlderThanItsPeriodIsLateUnlessLoadedRecently() throws IOException {
        Path file = landing.resolve("psb/HJ_202501.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ID\n1\n");
        Instant now = Instant.now();
        Files.setLastModifiedTime(file, FileTime.from(now.minus(Duration.ofDays(40))));
        List<String> late = problems(List.of(), now);
        assertEquals(1, late.size());
        assertTrue(late.get(0).contains("late") && late.get(0).contains("40 days ago (allowed: 34)"), late.get(0));

        assertTrue(problems(List.of(), now.minus(Duration.ofDays(10))).isEmpty(), "within the month");
        IngestLog.Entry recent = new IngestLog.Entry("L1", "civil_registry", "psb_registry", "{}", "/elsewhere/x.csv",
                "h", 1, Timestamp.from(now.minus(Duration.ofDays(2))), null);
        assertTrue(problems(List.of(recent), now).isEmpty(), "a load two days ago counts though the landing file is old");
    }
}
