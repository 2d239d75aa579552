package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.ingest.IngestJob;
import org.crosscheck.ingest.Mapping;
import org.junit.jupiter.api.Test;

/** The registry's own death-date precision column, when a mapping maps it; inference from the format otherwise. */
class DeathDatePrecisionTest extends SparkTestSupport {
    private static Mapping registry(Map<String, String> precisionCodes) {
        Map<String, String> columns = new HashMap<>(Map.of("national_id", "ID", "full_name", "NAME", "sex", "SEX",
                "birth_date", "DOB", "death_date", "DOD", "record_status", "ST", "updated_at", "UPD", "region", "REG"));
        columns.put("death_date_precision", "DODP");
        Map<String, Map<String, String>> codes = new HashMap<>(Map.of("sex", Map.of("1", "M", "2", "F"),
                "record_status", Map.of("0", "alive", "1", "deceased")));
        if (precisionCodes != null) {
            codes.put("death_date_precision", precisionCodes);
        }
        return new Mapping("registry_with_precision", "civil_registry", "civil affairs", "reg/*.csv", "csv", "UTF-8",
                ",", true, null, columns, Map.of(),
                Map.of("birth_date", List.of("yyyyMMdd"), "death_date", List.of("yyyyMMdd", "yyyyMM"),
                        "updated_at", List.of("yyyyMMdd")), codes, null);
    }

    private static Dataset<Row> bronze(BronzeFixture fixture, String... deathAndPrecision) {
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < deathAndPrecision.length; i += 2) {
            Map<String, String> m = new HashMap<>();
            m.put("national_id", NormalisationTest.ID_M);
            m.put("death_date", deathAndPrecision[i]);
            m.put("record_status", "1");
            m.put("death_date_precision", deathAndPrecision[i + 1]);
            rows.add(m);
        }
        Dataset<Row> base = fixture.rows(SourceFamily.CIVIL_REGISTRY, "L1", rows);
        // bronze of this version carries the delivered precision as a column
        List<String> precision = new java.util.ArrayList<>();
        for (int i = 1; i < deathAndPrecision.length; i += 2) {
            precision.add(deathAndPrecision[i]);
        }
        return base.withColumn("death_date_precision",
                org.apache.spark.sql.functions.element_at(org.apache.spark.sql.functions.array(
                        precision.stream().map(org.apache.spark.sql.functions::lit).toArray(org.apache.spark.sql.Column[]::new)),
                        col("_record_number").cast("int")));
    }

    @Test
    void aDeliveredPrecisionIsHonouredAndABlankOneIsInferred() {
        Normalisation.registerFunctions(spark());
        BronzeFixture fixture = new BronzeFixture(spark(), tempDir("precision-parse"));
        List<Row> rows = Normalisation.parse(bronze(fixture, "20250315", "M", "20250315", "D", "20250315", "",
                        "202503", "", "20250315", "Y", "20250315", "Q"), SourceFamily.CIVIL_REGISTRY, registry(null))
                .orderBy("_record_number").collectAsList();

        assertEquals(Date.valueOf("2025-03-01"), rows.get(0).getAs("death_date"), "M: only the month is known");
        assertEquals("month", rows.get(0).getAs("death_date_precision"));
        assertEquals(Date.valueOf("2025-03-15"), rows.get(1).getAs("death_date"));
        assertEquals("day", rows.get(1).getAs("death_date_precision"));
        assertEquals("day", rows.get(2).getAs("death_date_precision"), "blank: inferred from the format");
        assertEquals("month", rows.get(3).getAs("death_date_precision"), "blank: inferred from yyyyMM");
        assertEquals(Date.valueOf("2025-01-01"), rows.get(4).getAs("death_date"));
        assertEquals("year", rows.get(4).getAs("death_date_precision"));
        List<Row> errors = rows.get(5).getList(rows.get(5).fieldIndex("_parse_errors"));
        assertEquals(1, errors.size());
        assertEquals("parse_death_date_precision", errors.get(0).getString(0));
        assertTrue(errors.get(0).getString(3).contains("'Q' in death_date_precision is not in the mapping's code list"),
                errors.get(0).getString(3));
    }

    @Test
    void aMappingsOwnPrecisionCodesTranslate() {
        Normalisation.registerFunctions(spark());
        BronzeFixture fixture = new BronzeFixture(spark(), tempDir("precision-codes"));
        List<Row> rows = Normalisation.parse(bronze(fixture, "20250315", "2", "20250315", "1"),
                        SourceFamily.CIVIL_REGISTRY, registry(Map.of("1", "day", "2", "month", "3", "year")))
                .orderBy("_record_number").collectAsList();
        assertEquals("month", rows.get(0).getAs("death_date_precision"));
        assertEquals(Date.valueOf("2025-03-01"), rows.get(0).getAs("death_date"));
        assertEquals("day", rows.get(1).getAs("death_date_precision"));
    }

    @Test
    void aBronzeTableOfThePreviousVersionGainsThePrecisionColumnAndValidates() throws IOException {
        Path root = tempDir("precision-migrate");
        BronzeFixture fixture = new BronzeFixture(spark(), root.resolve("wh"));
        // written as the previous version wrote bronze: no death_date_precision column
        Map<String, String> old = NormalisationTest.person(NormalisationTest.ID_M, "张三", "1", "19491231", "202502", "1");
        fixture.load(SourceFamily.CIVIL_REGISTRY, NormalisationTest.REGISTRY, List.of(old));
        String other = IdentityNumber.build("110105", java.time.LocalDate.of(1950, 1, 1), 3, true);
        Path file = root.resolve("landing/reg/r.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ID,NAME,SEX,DOB,DOD,DODP,ST,UPD,REG\n" + other + ",李四,1,19500101,20250301,M,1,20250401,110105\n");

        IngestJob.run(spark(), fixture.tables, root.resolve("landing").toString(), List.of(registry(null)), "R2");
        assertTrue(Arrays.asList(spark().read().format("delta").load(fixture.tables.bronze(SourceFamily.CIVIL_REGISTRY))
                .columns()).contains("death_date_precision"), "bronze migrated on write");
        ValidateJob.run(spark(), fixture.config(repoRoot()), "R2");

        Map<String, Row> clean = new HashMap<>();
        spark().read().format("delta").load(fixture.tables.clean(SourceFamily.CIVIL_REGISTRY)).collectAsList()
                .forEach(r -> clean.put(r.getAs("national_id"), r));
        assertEquals("month", clean.get(NormalisationTest.ID_M).getAs("death_date_precision"), "old load: inferred");
        assertEquals("month", clean.get(other).getAs("death_date_precision"), "delivered M");
        assertEquals(Date.valueOf("2025-03-01"), clean.get(other).getAs("death_date"));
    }
}
