package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.SparkTestSupport;
import org.junit.jupiter.api.Test;

/** Analyst tables keep no birth date + sex + region at full precision. */
class GeneralisationTest extends SparkTestSupport {

    @Test
    void birthDateBecomesAFiveYearBandRegionThePrefectureDeathTheMonthAndSmallGroupsLoseTheBand() {
        StructType schema = new StructType().add("sex", DataTypes.StringType).add("birth_date", DataTypes.StringType)
                .add("death_date", DataTypes.StringType).add("region", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(RowFactory.create("F", "195" + i + "-0" + (i + 1) + "-1" + i, null, "44010" + i));
        }
        rows.add(RowFactory.create("M", "1931-02-03", "2025-06-17", "110105"));
        Dataset<Row> df = spark().createDataFrame(rows, schema).withColumn("birth_date", to_date(col("birth_date")))
                .withColumn("death_date", to_date(col("death_date")));

        Dataset<Row> out = Generalisation.apply(df);

        assertEquals(Set.of("sex", "birth_year_band", "death_month", "region"), Set.of(out.columns()));
        List<Row> got = out.orderBy("sex").collectAsList();
        assertEquals("1950-1954", got.get(0).getAs("birth_year_band"));
        assertEquals("440100", got.get(0).getAs("region"));
        Row lone = got.get(5);
        assertNull(lone.getAs("birth_year_band"), "a group of one loses its band");
        assertEquals("110100", lone.getAs("region"));
        assertEquals(java.sql.Date.valueOf("2025-06-01"), lone.getAs("death_month"));
    }

    @Test
    void onTheSampleRegistryFewPersonsStayInGroupsBelowK() {
        Dataset<Row> registry = spark().read().option("header", "true").option("encoding", "GBK")
                .csv(repoRoot().resolve("sample-data/landing/public_security/HJ_QL_20251201.csv").toString())
                .dropDuplicates("GMSFHM")
                .select(col("XB").as("sex"), to_date(col("CSRQ"), "yyyyMMdd").as("birth_date"),
                        to_date(col("SWRQ"), "yyyyMMdd").as("death_date"), col("DJDQ").as("region"));
        Generalisation.Anonymity before = Generalisation.measure(registry, "birth_date", "sex", "region");
        Dataset<Row> after = Generalisation.apply(registry);
        Generalisation.Anonymity generalised = Generalisation.measure(after, "birth_year_band", "sex", "region");
        System.out.println("k-anonymity on (birth, sex, region), sample registry: full precision " + before
                + "; generalised " + generalised);
        assertTrue(before.unique() > before.rows() / 2, before.toString());
        assertEquals(0, generalised.unique(), generalised.toString());
        assertTrue(generalised.belowK() * 100 < generalised.rows(), generalised.toString());
        assertFalse(List.of(after.columns()).contains("birth_date"));
    }
}
