package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.anomaly.AnomalyFeatures;
import org.crosscheck.core.SourceFamily;
import org.junit.jupiter.api.Test;

class AnomalyFeaturesTest extends RuleFixtureTest {
    private static final String A = CleanFixtures.id(1);
    private static final String B = CleanFixtures.id(2);
    private static final String C = CleanFixtures.id(3);

    /** March 2025 pensions of three people; C is paid twice, into two accounts. */
    private static Map<String, Row> features() {
        CleanFixtures f = new CleanFixtures()
                .alive(A).alive(B).alive(C)
                .enrollment(A, "employee_pension", CleanFixtures.REGION, "2024-03-01", null)
                .enrollment(A, "medical", CleanFixtures.REGION, "2024-06-01", null)
                .pension("PA", A, "2025-03", "2025-03-10", "3000.00")
                .pension("PB", B, "2025-03", "2025-03-10", "3000.00")
                .pension("PC1", C, "2025-03", "2025-03-10", "3000.00")
                .pension("PC2", C, "2025-03", "2025-03-12", "3000.00")
                .monthly("UC", C, "unemployment", "unemployment_benefit", "2025-03", "2025-03-15", "500.00");
        for (int m = 3; m <= 12; m++) {
            f.contribution(A, "employee_pension", "EMP1", String.format(Locale.ROOT, "2024-%02d", m));
            f.contribution(A, "medical", "EMP1", String.format(Locale.ROOT, "2024-%02d", m));
        }
        for (int m = 1; m <= 4; m++) {
            f.contribution(A, "employee_pension", "EMP1", String.format(Locale.ROOT, "2025-%02d", m));
        }
        Map<SourceFamily, Dataset<Row>> t = f.tables(spark());
        Dataset<Row> pm = AnomalyFeatures.personMonths(t.get(SourceFamily.BENEFIT_PAYMENT),
                t.get(SourceFamily.ENROLLMENT), t.get(SourceFamily.CONTRIBUTION), t.get(SourceFamily.CIVIL_REGISTRY));
        Map<String, Row> byPerson = new HashMap<>();
        for (Row r : AnomalyFeatures.features(pm).collectAsList()) {
            byPerson.put(r.getString(r.fieldIndex("national_id")) + "|" + r.getString(r.fieldIndex("period")), r);
        }
        return byPerson;
    }

    private static double d(Row r, String col) {
        return r.getDouble(r.fieldIndex(col));
    }

    @Test
    void featuresOfAPersonMonthCompareWithPeersAndTheRecords() {
        Map<String, Row> rows = features();
        assertEquals(3, rows.size());
        Row a = rows.get(A + "|2025-03");
        Row c = rows.get(C + "|2025-03");

        // peers of the pension group are paid 3,000, 3,000 and 6,000 (C twice): median 3,000
        assertEquals(3000.0, d(a, "amount"));
        assertEquals(1.0, d(a, "amount_to_peer_median"));
        assertEquals(6500.0, d(c, "amount"));
        assertEquals(3500.0, d(c, "peer_median"), "pension median plus the unemployment group's median");
        assertEquals(6500.0 / 3500.0, d(c, "amount_to_peer_median"), 1e-9);
        assertEquals(3.0, d(c, "payments"));
        assertEquals(3.0, d(c, "bank_accounts"), "ACC-PC1, ACC-PC2, ACC-UC");
        assertEquals(2.0, d(c, "schemes"));
        assertEquals("employee_pension", c.getString(c.fieldIndex("scheme")), "the largest group's scheme");
        assertEquals(1.0, d(a, "bank_accounts"));

        // A's coverage began 2024-03 (the earliest enrollment): 12 months before 2025-03
        assertEquals(12.0, d(a, "months_since_coverage"));
        assertTrue(c.isNullAt(c.fieldIndex("months_since_coverage")), "no enrollment: missing");
        // contributions 2024-04 .. 2025-03 fall in the 12 months ending 2025-03; 2025-04 does not; two schemes count once
        assertEquals(12.0, d(a, "contribution_months_12"));
        assertEquals(0.0, d(c, "contribution_months_12"));
        assertEquals(75.0, d(a, "age"), "born 1950-01-02");
        assertEquals(1.0, d(a, "amount_to_own_median"));
    }

    @Test
    void featuresAreMadeRelativeToPeersAndMissingValuesSitAtThePeerMedian() {
        CleanFixtures f = new CleanFixtures()
                .enrollment(A, "employee_pension", CleanFixtures.REGION, "2024-03-01", null)
                .enrollment(B, "employee_pension", CleanFixtures.REGION, "2024-01-01", null)
                .pension("PA", A, "2025-03", "2025-03-10", "3000.00")
                .pension("PB", B, "2025-03", "2025-03-10", "3000.00")
                .pension("PC", C, "2025-03", "2025-03-10", "3000.00");
        Map<SourceFamily, Dataset<Row>> t = f.tables(spark());
        Dataset<Row> pm = AnomalyFeatures.personMonths(t.get(SourceFamily.BENEFIT_PAYMENT),
                t.get(SourceFamily.ENROLLMENT), t.get(SourceFamily.CONTRIBUTION), t.get(SourceFamily.CIVIL_REGISTRY));
        Map<String, Row> rows = new HashMap<>();
        for (Row r : AnomalyFeatures.relativeToPeers(AnomalyFeatures.features(pm), 1).collectAsList()) {
            rows.put(r.getString(r.fieldIndex("national_id")), r);
        }
        Row b = rows.get(B);
        Row c = rows.get(C);
        assertEquals("employee_pension, basic_pension", c.getString(c.fieldIndex("peer_group")));
        // months since coverage: A 12, B 14, C unknown; median 12, MAD 0, mean absolute deviation 1
        assertEquals(12.0, d(b, "months_since_coverage_peer_median"));
        assertEquals(2 / 1.2533, d(b, "months_since_coverage_z"), 1e-9);
        assertTrue(c.isNullAt(c.fieldIndex("months_since_coverage")), "the evidence keeps the gap");
        assertEquals(0.0, d(c, "months_since_coverage_z"), "missing: at the peer median");
        assertEquals(0.0, d(c, "age_z"), "nobody in the registry");
        for (Row r : rows.values()) {
            for (String name : AnomalyFeatures.names()) {
                assertFalse(r.isNullAt(r.fieldIndex(name + "_z")), name + " of " + r);
            }
        }
        // fewer peers than asked for: everyone is the peer group
        Row wide = AnomalyFeatures.relativeToPeers(AnomalyFeatures.features(pm), 30).first();
        assertEquals("all person-months", wide.getString(wide.fieldIndex("peer_group")));
    }

    @Test
    void noFeatureIsOrReadsAProtectedTrait() {
        for (AnomalyFeatures.Feature f : AnomalyFeatures.FEATURES) {
            String text = (f.name() + " " + f.words() + " " + f.expression()).toLowerCase(Locale.ROOT);
            for (String trait : AnomalyFeatures.PROTECTED_TRAITS) {
                assertFalse(text.contains(trait), f.name() + " mentions " + trait + ": " + text);
            }
        }
        for (String trait : List.of("ethnicity", "nationality")) {
            assertFalse(AnomalyFeatures.names().contains(trait));
            assertFalse(AnomalyFeatures.CONTEXT.contains(trait));
        }
    }
}
