package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.SourceFamily;

/**
 * The quarantine table of a family ({@code quarantine/<family>}): every bronze column as delivered, plus
 * {@code _reasons}, {@code _run_id} and {@code _quarantined_at}.
 *
 * <p>Writing replaces the quarantine rows of the loads being validated ({@code replaceWhere} on
 * {@code _load_id}), so re-validating a load (full run) does not duplicate its quarantined rows. Nothing is
 * written for a batch without quarantined rows unless earlier rows of the same loads must be removed.
 */
public final class Quarantine {
    private Quarantine() {
    }

    /**
     * Quarantine layout of the rows with at least one error (exactly the rows classified
     * {@link Outcome#QUARANTINED}; this needs no comparison with the cleaned table): raw fields,
     * {@code _malformed}, lineage, reasons, run.
     */
    public static Dataset<Row> rows(Dataset<Row> checked, SourceFamily family, String runId) {
        List<Column> cols = new ArrayList<>();
        Normalisation.rawFields(family).forEach(f -> cols.add(col("_raw." + f).as(f)));
        cols.add(col(Normalisation.MALFORMED));
        Normalisation.LINEAGE.forEach(l -> cols.add(col(l)));
        cols.add(col("_reasons"));
        cols.add(lit(runId).as("_run_id"));
        cols.add(current_timestamp().as("_quarantined_at"));
        return checked.filter(size(col("_reasons")).gt(0)).select(cols.toArray(Column[]::new));
    }

    /**
     * Writes the quarantined rows of {@code loadIds}. With {@code replacing} false and no rows, nothing is
     * written (no empty commit).
     */
    public static void write(SparkSession spark, String path, Dataset<Row> rows, List<String> loadIds, long count,
                             boolean replacing) {
        boolean exists = DeltaTable.isDeltaTable(spark, path);
        if (count == 0 && (!replacing || !exists)) {
            return;
        }
        if (!exists) {
            rows.write().format("delta").mode("append").save(path);
            return;
        }
        String predicate = "_load_id IN (" + loadIds.stream().map(Quarantine::sqlString)
                .collect(Collectors.joining(", ")) + ")";
        rows.write().format("delta").mode("overwrite").option("replaceWhere", predicate).save(path);
    }

    static String sqlString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
