package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.Test;

class SparkSessionsTest extends SparkTestSupport {

    @Test
    void writesAndReadsADeltaTable() {
        Path dir = tempDir("delta");
        String path = dir.resolve("t").toString();
        spark().range(5).write().format("delta").save(path);
        Dataset<Row> back = spark().read().format("delta").load(path);
        assertEquals(5, back.count());
        assertEquals("true", spark().conf().get("spark.sql.legacy.javaCharsets"));
    }
}
