package org.crosscheck.review;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;
import org.junit.jupiter.api.Test;

/**
 * The exception list and review log that version 1 wrote (src/test/resources/legacy-v1: the sample data run by
 * commit bc312c1, 89 exceptions, 26 of them confirmed or dismissed by a review import) are migrated in place by the
 * first merge of this version; a screening run that finds the same problems again keeps every disposition.
 */
class CaseMigrationTest extends SparkTestSupport {
    /** The case keys of the shipped rules (rule files and anomaly_score). */
    private static final Map<String, List<String>> KEYS = Map.of("amount_outlier", List.of("period"),
            "anomaly_score", List.of("period"));

    private static Tables legacyWarehouse() throws IOException {
        Path wh = tempDir("legacy-wh");
        FileUtils.copyDirectory(repoRoot().resolve("jobs/src/test/resources/legacy-v1").toFile(), wh.toFile());
        return new Tables(wh.toString());
    }

    @Test
    void aVersionOneExceptionListIsMigratedInPlaceAndTheNextRunKeepsEveryDisposition() throws IOException {
        Tables tables = legacyWarehouse();
        Dataset<Row> old = spark().read().format("delta").load(tables.exceptions());
        assertFalse(Arrays.asList(old.columns()).contains("revision"), "the resource is a version 1 table");
        List<Row> oldRows = old.collectAsList();
        assertEquals(89, oldRows.size());
        Map<String, String> oldStatus = new HashMap<>();
        for (Row r : oldRows) {
            oldStatus.put(key(r), r.getAs("status"));
        }

        // the same findings again, as the first run of the new version would produce them
        Dataset<Row> findings = old.select(Arrays.stream(Findings.SCHEMA.fieldNames())
                .map(f -> f.equals(Findings.CASE_KEY)
                        ? org.apache.spark.sql.functions.when(col("rule_id").isin("amount_outlier", "anomaly_score"),
                        col("period")).as(f)
                        : col(f)).toArray(Column[]::new));
        Map<String, List<String>> rules = new LinkedHashMap<>();
        oldRows.stream().map(r -> r.<String>getAs("rule_id")).distinct()
                .forEach(id -> rules.put(id, KEYS.getOrDefault(id, List.of())));
        ExceptionList.MergeSummary s = ExceptionList.merge(spark(), tables, findings, "run-2", rules,
                new CrossCheckConfig.BackForReview(null, null, null));

        assertEquals(0, s.inserted(), "no case duplicated: " + s);
        assertEquals(0, s.noLongerFound(), "no case lost: " + s);
        assertEquals(89, s.active());
        Dataset<Row> migrated = ExceptionList.read(spark(), tables);
        assertEquals(ExceptionList.SCHEMA, migrated.schema());
        int confirmed = 0;
        int dismissed = 0;
        for (Row r : migrated.collectAsList()) {
            String before = oldStatus.get(key(r));
            String expected = before.equals("confirmed") || before.equals("dismissed") ? before : "none";
            assertEquals(expected, r.getAs("disposition"), "disposition of " + key(r));
            assertEquals("active", r.getAs("state"));
            confirmed += expected.equals("confirmed") ? 1 : 0;
            dismissed += expected.equals("dismissed") ? 1 : 0;
            assertEquals(expected.equals("none") ? 0L : 1L, r.<Long>getAs("revision"));
            assertEquals("run-2", r.getAs("last_seen_run"));
        }
        assertEquals(13, confirmed);
        assertEquals(13, dismissed);

        Dataset<Row> log = ReviewLog.read(spark(), tables);
        assertEquals(26, log.where(col("action").isNull()).count(), "version 1 log rows are kept as they were");
        assertEquals(26, log.where(col("action").equalTo("migrate")).count());
        assertTrue(log.where(col("action").equalTo("migrate")).first().<String>getAs("reason").contains("old ids"));

        // a reviewer's change after the migration works on the migrated revision
        Row one = migrated.where(col("disposition").equalTo("none")).orderBy("exception_id").first();
        CaseReview.ApplyResult r = CaseReview.apply(spark(), tables, List.of(new CaseReview.ReviewAction(
                one.getAs("exception_id"), 0, Disposition.CONFIRMED, null, "after upgrade", null, "li.wei", "test")),
                List.of(), true, KEYS);
        assertEquals(1, r.applied());
    }

    private static String key(Row r) {
        String rule = r.getAs("rule_id");
        String period = KEYS.containsKey(rule) ? r.getAs("period") : "";
        return rule + "|" + r.getAs("subject_type") + "|" + r.getAs("subject_id") + "|" + r.getAs("scheme") + "|" + period;
    }
}
