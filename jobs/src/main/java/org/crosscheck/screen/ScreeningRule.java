package org.crosscheck.screen;

import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.SourceFamily;

/**
 * One screening rule: a pure function of the cleaned tables that yields findings (leads for human review, never
 * decisions). SQL rules come from files under {@code rules/screening/} ({@link SqlRule}); rules SQL cannot express
 * well (record linkage, model scoring) implement this interface in Java.
 *
 * <p>When {@link #findings} is called, the cleaned tables are registered as temp views named after
 * {@link SourceFamily#id()}. The result may carry any columns; the engine keeps those of {@link Findings#SCHEMA}
 * and fills {@code rule_id}, {@code rule_version} and (when absent) {@code severity}.
 */
public interface ScreeningRule {
    String id();

    String version();

    String title();

    /** Severity when the rule's output has no {@code severity} column of its own. */
    String severity();

    /**
     * Output columns that, beside rule, subject and scheme, tell one case of this rule from another (e.g.
     * {@code period} for a rule that flags single months). Empty for most rules: a case then keeps its identity while
     * its period grows. See {@link Findings#CASE_KEY}.
     */
    default List<String> caseKey() {
        return List.of();
    }

    /** Cleaned tables the rule reads. */
    Set<SourceFamily> reads();

    Dataset<Row> findings(SparkSession spark, ScreeningContext context);
}
