package org.crosscheck.review;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import java.util.Collections;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.Money;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;
import org.crosscheck.screen.Findings;

/**
 * The case timeline (Delta at {@link Tables#caseHistory()}): per screening run, one row for every case the run found
 * (state active, with the facts of that run) and for every case it no longer found. With the review log it tells a
 * reviewer what changed since they looked: first seen, amount when reviewed, amount now. Re-recording a run (a run
 * repeated after a crash) replaces that run's rows.
 */
public final class CaseHistory {
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add(ExceptionList.EXCEPTION_ID, DataTypes.StringType)
            .add(Findings.RULE_ID, DataTypes.StringType)
            .add("recorded_at", DataTypes.TimestampType)
            .add(ExceptionList.STATE, DataTypes.StringType)
            .add(Findings.SEVERITY, DataTypes.StringType)
            .add(Findings.PERIOD, DataTypes.StringType)
            .add(Findings.AMOUNT_AT_RISK, Money.TYPE)
            .add(ExceptionList.EVIDENCE_COUNT, DataTypes.IntegerType);

    private CaseHistory() {
    }

    /**
     * @param found cases this run found (case columns: exception_id, findings columns, evidence_count)
     * @param lost  cases this run no longer found, as they were in the exception list
     */
    public static void record(SparkSession spark, Tables tables, String runId, Dataset<Row> found, Dataset<Row> lost) {
        if (!DeltaTable.isDeltaTable(spark, tables.caseHistory())) {
            spark.createDataFrame(Collections.emptyList(), SCHEMA).write().format("delta").save(tables.caseHistory());
        }
        String run = "run_id = '" + runId.replace("'", "") + "'";
        project(found, runId, ExceptionList.ACTIVE).write().format("delta").mode("overwrite")
                .option("replaceWhere", run + " AND state = '" + ExceptionList.ACTIVE + "'").save(tables.caseHistory());
        // a repeated run finds nothing newly lost (the first attempt marked it): keep what that attempt recorded
        Dataset<Row> gone = project(lost, runId, ExceptionList.NO_LONGER_FOUND).cache();
        try {
            if (!gone.isEmpty()) {
                gone.write().format("delta").mode("overwrite")
                        .option("replaceWhere", run + " AND state = '" + ExceptionList.NO_LONGER_FOUND + "'")
                        .save(tables.caseHistory());
            }
        } finally {
            gone.unpersist();
        }
    }

    private static Dataset<Row> project(Dataset<Row> cases, String runId, String state) {
        return cases.select(lit(runId).as("run_id"), col(ExceptionList.EXCEPTION_ID), col(Findings.RULE_ID),
                current_timestamp().as("recorded_at"), lit(state).as(ExceptionList.STATE), col(Findings.SEVERITY),
                col(Findings.PERIOD), col(Findings.AMOUNT_AT_RISK).cast(Money.TYPE),
                col(ExceptionList.EVIDENCE_COUNT).cast(DataTypes.IntegerType));
    }

    public static Dataset<Row> read(SparkSession spark, Tables tables) {
        if (!DeltaTable.isDeltaTable(spark, tables.caseHistory())) {
            return spark.createDataFrame(Collections.emptyList(), SCHEMA);
        }
        return spark.read().format("delta").load(tables.caseHistory());
    }
}
