package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.Test;

/** meta/runs shows every run, also one that was killed before it could record how it ended. */
class RunManifestTest extends SparkTestSupport {
    @Test
    void aRunThatNeverEndedIsMarkedKilledByTheNextAndAFinishedRunReplacesItsStartedRow() {
        Tables tables = new Tables(tempDir("runs").resolve("wh").toString());
        RunManifest killed = new RunManifest("R1", "run");
        killed.start(spark(), tables); // ... and SIGKILL: no write()
        RunManifest next = new RunManifest("R2", "run");
        next.start(spark(), tables);
        assertEquals("started", status(tables, "R2"));
        next.write(spark(), tables, ExitCode.FINDINGS_PRESENT, null);

        List<Row> runs = spark().read().format("delta").load(tables.runs()).orderBy("run_id").collectAsList();
        assertEquals(2, runs.size(), "one row per run");
        assertEquals("killed", runs.get(0).getAs("status"));
        assertTrue(((String) runs.get(0).getAs("message")).contains("noticed by run R2"));
        assertEquals("succeeded", runs.get(1).getAs("status"));
        assertEquals(5, (int) runs.get(1).getAs("exit_code"));
    }

    private static String status(Tables tables, String runId) {
        return spark().read().format("delta").load(tables.runs()).where("run_id = '" + runId + "'")
                .first().getAs("status");
    }
}
