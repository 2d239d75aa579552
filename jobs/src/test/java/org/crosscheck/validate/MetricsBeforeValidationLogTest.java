package org.crosscheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckConfig;
import org.junit.jupiter.api.Test;

/**
 * A run that dies at the validation-log commit (here: the commit fails) has already recorded its metrics, and the
 * re-run records its own: no validated batch is ever without its accounting.
 */
class MetricsBeforeValidationLogTest extends SparkTestSupport {
    @Test
    void aRunThatDiesAtTheValidationLogCommitKeepsItsMetricsAndTheReRunCompletesThem() throws Exception {
        BronzeFixture fx = new BronzeFixture(spark(), tempDir("metrics-order"));
        fx.load(ValidateJobTest.REG, ValidateJobTest.REGISTRY, List.of(
                ValidateJobTest.person(ValidateJobTest.A, "张三", "1", "19491231", "", "0", "2024-01-01 00:00:00")));
        CrossCheckConfig config = fx.config(repoRoot());
        // a validation log whose schema refuses the append: the run dies at exactly that commit
        spark().sql("SELECT CAST(NULL AS STRING) AS load_id, 1 AS not_a_validation_log_column").where("false")
                .write().format("delta").save(fx.tables.validationLog());

        assertThrows(Exception.class, () -> ValidateJob.run(spark(), config, "run-1"));
        Dataset<Row> metrics = spark().read().format("delta").load(fx.tables.metrics());
        assertEquals(1, metrics.where("run_id = 'run-1' AND family = 'civil_registry' AND inserted = 1").count(),
                "the dying run's metrics row is there");

        org.apache.commons.io.FileUtils.deleteDirectory(new java.io.File(fx.tables.validationLog()));
        ValidateJob.run(spark(), config, "run-2");
        metrics = spark().read().format("delta").load(fx.tables.metrics());
        assertEquals(1, metrics.where("run_id = 'run-2' AND family = 'civil_registry' AND unchanged = 1").count(),
                "the re-run validates the pending load again, changes nothing and accounts for it");
        Dataset<Row> validated = spark().read().format("delta").load(fx.tables.validationLog()).select("run_id", "family");
        assertEquals(List.of(), validated.exceptAll(metrics.select("run_id", "family")).collectAsList());
        assertEquals(1, spark().read().format("delta").load(fx.tables.clean(ValidateJobTest.REG)).count());
    }
}
