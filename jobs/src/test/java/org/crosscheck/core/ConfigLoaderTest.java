package org.crosscheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    static Path scratch;


    private static Path projectWithFolders() throws IOException {
        Path dir = Files.createTempDirectory(scratch, "crosscheck-config");
        for (String d : new String[] {"landing", "mappings", "rules/quality", "rules/screening"}) {
            Files.createDirectories(dir.resolve(d));
        }
        return dir;
    }

    private static Path write(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("crosscheck.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void emptyFileGivesLocalDefaultsResolvedAgainstTheFilesFolder() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckConfig c = ConfigLoader.load(write(dir, ""));
        assertEquals("local[*]", c.spark().master());
        assertEquals(dir.resolve("warehouse").toString(), c.storage().warehouse());
        assertEquals(dir.resolve("landing").toString(), c.ingest().landing());
    }

    @Test
    void unknownKeyIsReportedByItsDottedName() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> ConfigLoader.load(write(dir, "spark:\n  mastr: local[2]\n")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("'spark.mastr'"), e.getMessage());
    }

    @Test
    void badValueIsReportedByName() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> ConfigLoader.load(write(dir, "spark:\n  shuffle_partitions: many\n")));
        assertTrue(e.getMessage().contains("spark.shuffle_partitions"), e.getMessage());
        CrossCheckException zero = assertThrows(CrossCheckException.class,
                () -> ConfigLoader.load(write(dir, "spark:\n  shuffle_partitions: 0\n")));
        assertTrue(zero.getMessage().contains("spark.shuffle_partitions must be at least 1"), zero.getMessage());
    }

    @Test
    void missingPathsAreAllReportedTogether() throws IOException {
        Path dir = Files.createTempDirectory(scratch, "crosscheck-config-empty");
        Path file = write(dir, "ingest:\n  landing: nowhere\n");
        CrossCheckException e = assertThrows(CrossCheckException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().contains("screening.screening_rules"), e.getMessage());
        assertTrue(e.getMessage().contains("screening.quality_rules"), e.getMessage());
    }

    @Test
    void theLandingFolderIsRequiredOnlyByCommandsThatReadIt() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckConfig c = ConfigLoader.load(write(dir, "ingest:\n  landing: nowhere\n  mappings: [none.yaml]\n"));
        List<String> problems = ConfigLoader.ingestProblems(c);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("ingest.landing: folder ") && problems.get(0).endsWith("nowhere does not exist"),
                problems.toString());
        assertTrue(problems.get(1).startsWith("ingest.mappings[0]: "), problems.toString());
    }

    @Test
    void remotePathsAreKeptAndNotCheckedLocally() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckConfig c = ConfigLoader.load(write(dir, """
                spark:
                  master: spark://10.0.0.5:7077
                storage:
                  warehouse: s3a://agency-lake/crosscheck
                ingest:
                  landing: hdfs:///landing
                  mappings: [mappings]
                """));
        assertEquals("s3a://agency-lake/crosscheck", c.storage().warehouse());
        assertEquals("hdfs:///landing", c.ingest().landing());
        assertEquals(dir.resolve("_catalog").toString(), c.catalog().derbyDir(), "the embedded metastore stays local");
    }

    @Test
    void catalogDefaultsToAnEmbeddedMetastoreBesideTheWarehouse() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckConfig c = ConfigLoader.load(write(dir, "storage:\n  warehouse: wh\n"));
        assertEquals("derby", c.catalog().metastore());
        assertEquals("crosscheck", c.catalog().database());
        assertEquals("crosscheck_analyst", c.catalog().analystDatabase());
        assertEquals(dir.resolve("wh/_catalog").toString(), c.catalog().derbyDir());
        assertEquals(dir.resolve("reports").toString(), c.storage().reports());
        java.util.Map<String, String> conf = SparkSessions.catalogSettings(c.catalog());
        assertEquals("hive", conf.get("spark.sql.catalogImplementation"));
        assertTrue(conf.get("spark.hadoop.javax.jdo.option.ConnectionURL")
                .startsWith("jdbc:derby:;databaseName=" + dir.resolve("wh/_catalog/metastore_db")), conf.toString());

        CrossCheckException e = assertThrows(CrossCheckException.class, () -> ConfigLoader.load(write(dir, """
                catalog:
                  metastore: glue
                  analyst_database: "analyst-db"
                """)));
        assertTrue(e.getMessage().contains("catalog.metastore must be derby, external or none"), e.getMessage());
        assertTrue(e.getMessage().contains("'analyst-db'"), e.getMessage());
        assertTrue(SparkSessions.catalogSettings(new CrossCheckConfig.CatalogSettings("none", null, null, null)).isEmpty());
    }

    @Test
    void secretsAreMaskedInTheLoggedConfiguration() throws IOException {
        Path dir = projectWithFolders();
        CrossCheckConfig c = ConfigLoader.load(write(dir, """
                spark:
                  conf:
                    spark.hadoop.fs.s3a.secret.key: hunter2
                    spark.executor.memory: 4g
                """));
        String shown = ConfigLoader.describe(c);
        assertFalse(shown.contains("hunter2"), shown);
        assertTrue(shown.contains("4g"), shown);
    }
}
