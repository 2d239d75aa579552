package org.crosscheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.ingest.Mapping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NormalisationTest extends SparkTestSupport {
    static final String ID_M = IdentityNumber.build("110105", java.time.LocalDate.of(1949, 12, 31), 1, true);
    static final Mapping REGISTRY = BronzeFixture.mapping(SourceFamily.CIVIL_REGISTRY,
            Map.of("birth_date", List.of("yyyyMMdd"), "death_date", List.of("yyyyMMdd", "yyyyMM", "yyyy"),
                    "updated_at", List.of("yyyy-MM-dd HH:mm:ss")),
            Map.of("sex", Map.of("1", "M", "2", "F", "0", "U", "9", "U"),
                    "record_status", Map.of("0", "alive", "1", "deceased", "C", "cancelled")));
    static BronzeFixture fixture;

    @BeforeAll
    static void setUp() {
        Normalisation.registerFunctions(spark());
        fixture = new BronzeFixture(spark(), tempDir("norm"));
    }

    static Map<String, String> person(String id, String name, String sex, String birth, String death, String status) {
        Map<String, String> m = new HashMap<>();
        m.put("national_id", id);
        m.put("full_name", name);
        m.put("sex", sex);
        m.put("birth_date", birth);
        m.put("death_date", death);
        m.put("record_status", status);
        m.put("region", "110105");
        m.put("updated_at", "2024-01-01 00:00:00");
        return m;
    }

    private static List<Row> parse(SourceFamily family, Mapping mapping, List<Map<String, String>> rows) {
        return Normalisation.parse(fixture.rows(family, "L1", rows), family, mapping)
                .orderBy("_record_number").collectAsList();
    }

    private static List<String> parseErrors(Row r) {
        return r.<Row>getList(r.fieldIndex("_parse_errors")).stream().map(x -> x.getString(0)).toList();
    }

    @Test
    void fullWidthDigitsLettersAndSpacesAreNormalised() {
        String fullWidthId = ID_M.chars().mapToObj(c -> String.valueOf((char) (c - '0' + '０'))).reduce("", String::concat);
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person(fullWidthId, "\u3000张 三\u3000", "１", "１９４９１２３１", null, "0"),
                person(ID_M.substring(0, 17) + "x", "ＪＯＨＮ  Smith", "1", "19491231", null, "0")));
        Row r = rows.get(0);
        assertEquals(ID_M, r.getAs("national_id"));
        assertEquals("张 三", r.getAs("full_name"));
        assertEquals("张三", r.getAs("full_name_norm"));
        assertEquals("M", r.getAs("sex"));
        assertEquals(Date.valueOf("1949-12-31"), r.getAs("birth_date"));
        assertEquals("johnsmith", rows.get(1).getAs("full_name_norm"));
        assertTrue(parseErrors(r).isEmpty());
    }

    @Test
    void lowerCaseXAndLegacyFifteenDigitNumbersAreNormalised() {
        String legacy = "440524800101001"; // 15 digits: 1980-01-01
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person("11010519491231002x", "A", "2", "19491231", null, "0"),
                person(legacy, "B", "1", "19800101", null, "0")));
        assertEquals("11010519491231002X", rows.get(0).getAs("national_id"));
        String upgraded = rows.get(1).getAs("national_id");
        assertEquals(18, upgraded.length());
        assertTrue(IdentityNumber.isValidChecksum(upgraded));
        assertEquals("44052419800101001", upgraded.substring(0, 17));
    }

    @Test
    void emptyAndWhitespaceOnlyValuesBecomeNull() {
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person(ID_M, "", "1", "19491231", "   ", "0"),
                person(ID_M, " \t\u3000 ", "1", "19491231", "", "0")));
        for (Row r : rows) {
            assertNull(r.getAs("full_name"));
            assertNull(r.getAs("death_date"));
            assertTrue(parseErrors(r).isEmpty(), "blank is missing, not unparseable");
        }
    }

    @Test
    void deathDatePrecisionComesFromThePatternThatMatched() {
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person(ID_M, "A", "1", "19491231", "20200315", "1"),
                person(ID_M, "A", "1", "19491231", "202003", "1"),
                person(ID_M, "A", "1", "19491231", "2020", "1")));
        assertEquals(Date.valueOf("2020-03-15"), rows.get(0).getAs("death_date"));
        assertEquals("day", rows.get(0).getAs("death_date_precision"));
        assertEquals(Date.valueOf("2020-03-01"), rows.get(1).getAs("death_date"));
        assertEquals("month", rows.get(1).getAs("death_date_precision"));
        assertEquals(Date.valueOf("2020-01-01"), rows.get(2).getAs("death_date"));
        assertEquals("year", rows.get(2).getAs("death_date_precision"));
        assertEquals("deceased", rows.get(2).getAs("record_status"));
    }

    @Test
    void unparseableAndMonthOnlyDatesAreParseErrorsNamingFieldAndValue() {
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person(ID_M, "A", "1", "19490230", null, "0"),
                person(ID_M, "A", "1", "194912", null, "0"),
                person(ID_M, "A", "1", "1949-12-31", "2020031", "1")));
        Row feb30 = rows.get(0).<Row>getList(rows.get(0).fieldIndex("_parse_errors")).get(0);
        assertEquals("parse_birth_date", feb30.getString(0));
        assertEquals("birth_date", feb30.getString(1));
        assertEquals("19490230", feb30.getString(2));
        assertTrue(feb30.getString(3).contains("'19490230' in birth_date is not a date"), feb30.getString(3));
        Row monthOnly = rows.get(1).<Row>getList(rows.get(1).fieldIndex("_parse_errors")).get(0);
        assertTrue(monthOnly.getString(3).contains("month only"), monthOnly.getString(3));
        assertEquals(List.of("parse_birth_date", "parse_death_date"), parseErrors(rows.get(2)));
        assertNull(rows.get(2).getAs("death_date_precision"));
    }

    @Test
    void unknownCodesAreParseErrorsAndCanonicalValuesAreAccepted() {
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person(ID_M, "A", "7", "19491231", null, "0"),
                person(ID_M, "A", "M", "19491231", null, "alive")));
        assertEquals(List.of("parse_sex"), parseErrors(rows.get(0)));
        assertNull(rows.get(0).getAs("sex"));
        assertTrue(parseErrors(rows.get(1)).isEmpty());
        assertEquals("M", rows.get(1).getAs("sex"));
    }

    @Test
    void cancelledDeathRecordLosesItsDeathDate() {
        List<Row> rows = parse(SourceFamily.CIVIL_REGISTRY, REGISTRY, List.of(
                person(ID_M, "A", "1", "19491231", "202003", "C"),
                person(ID_M, "A", "1", "19491231", "garbage", "C")));
        for (Row r : rows) {
            assertEquals("cancelled", r.getAs("record_status"));
            assertNull(r.getAs("death_date"));
            assertNull(r.getAs("death_date_precision"));
            assertTrue(parseErrors(r).isEmpty());
        }
    }

    @Test
    void amountsFollowTheMappingsDecimalFormat() {
        Mapping dotted = BronzeFixture.mapping(SourceFamily.BENEFIT_PAYMENT, Map.of(), Map.of());
        Mapping european = new Mapping("eu", "benefit_payment", "t", "*", "csv", null, null, null, null, Map.of(),
                Map.of(), Map.of(), Map.of(), new Mapping.DecimalFormat(",", "."));
        List<Map<String, String>> in = List.of(
                Map.of("payment_id", "P1", "amount", "1,234.50"),
                Map.of("payment_id", "P2", "amount", "１２.3"),
                Map.of("payment_id", "P3", "amount", "12.345"),
                Map.of("payment_id", "P4", "amount", "abc"));
        List<Row> rows = parse(SourceFamily.BENEFIT_PAYMENT, dotted, in);
        assertEquals(new BigDecimal("1234.50"), rows.get(0).getAs("amount"));
        assertEquals(new BigDecimal("12.30"), rows.get(1).getAs("amount"));
        assertEquals(List.of("parse_amount"), parseErrors(rows.get(2)));
        assertEquals(List.of("parse_amount"), parseErrors(rows.get(3)));
        List<Row> eu = parse(SourceFamily.BENEFIT_PAYMENT, european, List.of(Map.of("payment_id", "P1", "amount", "1.234,50")));
        assertEquals(new BigDecimal("1234.50"), eu.get(0).getAs("amount"));
    }

    @Test
    void monthPatternsGiveTheFirstOfTheMonthAndSchemeOfficialCodesTranslate() {
        Mapping m = BronzeFixture.mapping(SourceFamily.CONTRIBUTION, Map.of("contribution_month", List.of("yyyyMM")), Map.of());
        List<Row> rows = parse(SourceFamily.CONTRIBUTION, m, List.of(
                Map.of("national_id", ID_M, "scheme", "110", "contribution_month", "202406"),
                Map.of("national_id", ID_M, "scheme", "Medical", "contribution_month", "2024-06")));
        assertEquals(Date.valueOf("2024-06-01"), rows.get(0).getAs("contribution_month"));
        assertEquals("employee_pension", rows.get(0).getAs("scheme"));
        assertEquals("medical", rows.get(1).getAs("scheme"));
        assertEquals(List.of("parse_contribution_month"), parseErrors(rows.get(1)));
    }
}
