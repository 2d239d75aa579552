package org.crosscheck.report;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.Tables;

/**
 * Fixture tables in the case model's schema (issue #11's contract: screening/exceptions, screening/case_history,
 * meta/rule_precision) and two validation runs in meta/metrics, for the run report's tests.
 */
final class CaseFixtures {
    private CaseFixtures() {
    }

    static void write(SparkSession spark, Tables tables) {
        String r0 = RunReportTest.R0;
        String r1 = RunReportTest.R1;
        String r2 = RunReportTest.R2;
        save(spark, tables.exceptions(), """
                SELECT exception_id, rule_id, '1' AS rule_version, severity, 'person' AS subject_type, subject_id,
                       'employee_pension' AS scheme, region, period, CAST(amount AS DECIMAL(18,2)) AS amount_at_risk,
                       '[{"payment_id":"P-1","amount":"100.00"}]' AS evidence, explanation, CAST(NULL AS STRING) AS case_key,
                       'Zhang San' AS subject_name, first_seen_run, last_seen_run, state, disposition,
                       CAST(NULL AS STRING) AS disposition_reason, CAST(NULL AS STRING) AS reviewer,
                       CAST(NULL AS STRING) AS review_note, CAST(NULL AS TIMESTAMP) AS reviewed_at,
                       CAST(NULL AS DECIMAL(18,2)) AS reviewed_amount, CAST(NULL AS STRING) AS assignee, needs_review,
                       CAST(NULL AS STRING) AS review_reason, 0L AS revision, current_timestamp() AS updated_at
                FROM VALUES
                  ('c1', 'rule_a', 'high',   'P1', 'east', '2026-02', 100, 'paid after the recorded death', '%3$s', '%3$s', 'active', 'none', false),
                  ('c2', 'rule_a', 'medium', 'P2', 'east', '2026-01', 50,  'two enrollments', '%2$s', '%3$s', 'active', 'confirmed', false),
                  ('c6', 'rule_a', 'low',    'P6', 'west', '2025-12', 20,  'claim before coverage', '%1$s', '%3$s', 'active', 'none', false),
                  ('c3', 'rule_b', 'low',    'P3', 'west', '2025-11', 30,  'shared account', '%2$s', '%2$s', 'no_longer_found', 'none', false),
                  ('c4', 'rule_b', 'high',   'P4', 'west', '2026-02', 70,  'shared account', '%2$s', '%3$s', 'active', 'dismissed', true),
                  ('c5', 'rule_b', 'medium', 'P1', 'east', '2026-02', 100, 'benefit while employed', '%3$s', '%3$s', 'active', 'none', false)
                  AS t(exception_id, rule_id, severity, subject_id, region, period, amount, explanation, first_seen_run,
                       last_seen_run, state, disposition, needs_review)
                """.formatted(r0, r1, r2));
        save(spark, tables.caseHistory(), """
                SELECT run_id, exception_id, rule_id, current_timestamp() + make_interval(0, 0, 0, ord) AS recorded_at,
                       state, severity, '2026-02' AS period, CAST(10 AS DECIMAL(18,2)) AS amount_at_risk, 1 AS evidence_count
                FROM VALUES
                  ('%1$s', 'c6', 'rule_a', 'active', 'low', 0),
                  ('%2$s', 'c6', 'rule_a', 'no_longer_found', 'low', 1),
                  ('%3$s', 'c6', 'rule_a', 'active', 'low', 2),
                  ('%2$s', 'c2', 'rule_a', 'active', 'medium', 1),
                  ('%3$s', 'c2', 'rule_a', 'active', 'medium', 2),
                  ('%2$s', 'c3', 'rule_b', 'active', 'low', 1),
                  ('%3$s', 'c3', 'rule_b', 'no_longer_found', 'low', 2),
                  ('%2$s', 'c4', 'rule_b', 'active', 'high', 1),
                  ('%3$s', 'c4', 'rule_b', 'active', 'high', 2),
                  ('%3$s', 'c1', 'rule_a', 'active', 'high', 2),
                  ('%3$s', 'c5', 'rule_b', 'active', 'medium', 2)
                  AS t(run_id, exception_id, rule_id, state, severity, ord)
                """.formatted(r0, r1, r2));
        save(spark, tables.rulePrecision(), """
                SELECT run_id, rule_id, '1' AS rule_version, CAST(c AS BIGINT) AS confirmed, CAST(d AS BIGINT) AS dismissed,
                       CAST(u AS BIGINT) AS undecided, CAST(p AS DOUBLE) AS precision
                FROM VALUES ('%1$s', 'rule_a', 0, 0, 2, NULL), ('%2$s', 'rule_a', 1, 1, 1, 0.5), ('%2$s', 'rule_b', 0, 0, 2, NULL)
                  AS t(run_id, rule_id, c, d, u, p)
                """.formatted(r1, r2));
        save(spark, tables.metrics(), """
                SELECT run_id, 'benefit_payment' AS family, 'incremental' AS mode, 1 AS loads, CAST(n AS BIGINT) AS rows_read,
                       CAST(n - q - dup AS BIGINT) AS inserted, 0L AS updated, 0L AS unchanged, 0L AS superseded,
                       CAST(q AS BIGINT) AS quarantined, CAST(dup AS BIGINT) AS duplicates, 0L AS warnings, true AS balanced,
                       CAST(v AS MAP<STRING, BIGINT>) AS check_violations, map('amount', 1.0D) AS completeness,
                       CAST(t AS TIMESTAMP) AS recorded_at
                FROM VALUES ('%1$s', 900, 3, 0, map('amount_positive', 3), '2026-02-01 00:00:00'),
                            ('%2$s', 1000, 7, 3, map('amount_positive', 7, 'parse_scheme', 2), '2026-03-01 00:00:00')
                  AS t(run_id, n, q, dup, v, t)
                """.formatted(r1, r2));
    }

    private static void save(SparkSession spark, String path, String sql) {
        spark.sql(sql).write().format("delta").mode("overwrite").save(path);
    }
}
