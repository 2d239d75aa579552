package org.crosscheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.crosscheck.SparkTestSupport;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.ExitCode;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.ingest.Mapping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every check kind on one small registry batch and one payment batch, evaluated once. */
class QualityChecksTest extends SparkTestSupport {
    static final String ID_M = IdentityNumber.build("110105", LocalDate.of(1949, 12, 31), 1, true);
    static final String ID_1880 = IdentityNumber.build("110105", LocalDate.of(1880, 1, 1), 3, true);
    static final String ID_1890 = IdentityNumber.build("110105", LocalDate.of(1890, 1, 1), 5, true);
    static final String ID_2 = IdentityNumber.build("110105", LocalDate.of(1960, 5, 5), 2, false);
    static final String ID_3 = IdentityNumber.build("110105", LocalDate.of(1970, 6, 6), 7, true);
    static final String ID_4 = IdentityNumber.build("110105", LocalDate.of(1980, 7, 7), 9, true);
    static final String BAD_CHECK = ID_M.substring(0, 17) + (ID_M.charAt(17) == '0' ? '1' : '0');

    static final QualityRules REGISTRY_RULES = new QualityRules("civil_registry", List.of(
            check("name_required", "error", "not_blank", List.of("full_name"), Map.of()),
            check("region_code", "warn", "pattern", List.of("region"), Map.of("pattern", "^[0-9]{6}$")),
            check("sex_code", "error", "in_list", List.of("sex"), Map.of("values", List.of("M", "F", "U"))),
            check("birth_plausible", "error", "range", List.of("birth_date"), Map.of("min", "1890-01-01", "max", "today")),
            check("death_after_birth", "error", "date_order", List.of("birth_date", "death_date"), Map.of()),
            check("age_at_death", "error", "max_age", List.of("birth_date", "death_date"), Map.of("years", 120)),
            check("id_valid", "error", "identity_number", List.of("national_id"), Map.of()),
            check("id_birth", "error", "identity_birth_date", List.of("national_id", "birth_date"), Map.of()),
            check("id_sex", "error", "identity_sex", List.of("national_id", "sex"), Map.of()),
            check("one_content", "warn", "unique", List.of("national_id", "updated_at"), Map.of()),
            check("in_reference", "warn", "reference", List.of("national_id"), Map.of("tables", List.of("civil_registry"))),
            check("alive_no_death", "error", "expression", List.of("record_status", "death_date"),
                    Map.of("sql", "record_status <> 'alive' OR death_date IS NULL")),
            new QualityCheck("deceased_has_date", "warn", "not_blank", List.of("death_date"), Map.of(),
                    "record_status = 'deceased'", "deceased without a death date")));

    static final QualityRules PAYMENT_RULES = new QualityRules("benefit_payment", List.of(
            check("amount_positive", "error", "range", List.of("amount"), Map.of("above", 0)),
            check("amount_cap", "warn", "range", List.of("amount"), Map.of("max", "50000")),
            check("payment_unique", "error", "unique", List.of("payment_id"), Map.of())));

    static Map<Long, Row> registry;
    static Map<Long, Row> payments;

    static QualityCheck check(String name, String crit, String kind, List<String> fields, Map<String, Object> args) {
        return new QualityCheck(name, crit, kind, fields, args, null, name + " failed");
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
        m.put("updated_at", String.format("2024-01-01 00:00:%02d", ++updates));
        return m;
    }

    static int updates;

    static Map<String, String> at(Map<String, String> person, String updatedAt) {
        person.put("updated_at", updatedAt);
        return person;
    }

    @BeforeAll
    static void evaluate() {
        Normalisation.registerFunctions(spark());
        BronzeFixture fx = new BronzeFixture(spark(), tempDir("checks"));
        Mapping m = BronzeFixture.mapping(SourceFamily.CIVIL_REGISTRY,
                Map.of("birth_date", List.of("yyyy-MM-dd"), "death_date", List.of("yyyy-MM-dd")), Map.of());
        Map<String, String> badRegion = person(ID_M, "A", "M", "1949-12-31", null, "alive");
        badRegion.put("region", "11010");
        Map<String, String> malformed = person(ID_M, null, null, null, null, null);
        malformed.put("_malformed", "x,y,z,too,many");
        List<Map<String, String>> rows = List.of(
                person(ID_M, "A", "M", "1949-12-31", null, "alive"),                   // 1 clean
                person(ID_M, "  ", "M", "1949-12-31", null, "alive"),                  // 2 not_blank
                badRegion,                                                             // 3 pattern (warn)
                person(ID_M, "A", "X", "1949-12-31", null, "alive"),                   // 4 in_list
                person(ID_1880, "A", "M", "1880-01-01", null, "alive"),                // 5 range
                person(ID_M, "A", "M", "1949-12-31", "1940-01-01", "deceased"),        // 6 date_order
                person(ID_1890, "A", "M", "1890-01-01", "2011-01-01", "deceased"),     // 7 max_age
                person(ID_1890, "A", "M", "1890-01-01", "2010-12-31", "deceased"),     // 8 age exactly 120: ok
                person(BAD_CHECK, "A", "M", "1949-12-31", null, "alive"),              // 9 identity_number
                person(ID_M, "A", "M", "1950-01-01", null, "alive"),                   // 10 identity_birth_date
                person(ID_M, "A", "F", "1949-12-31", null, "alive"),                   // 11 identity_sex
                at(person(ID_2, "B", "F", "1960-05-05", null, "alive"), "2024-06-01 00:00:00"),                   // 12 unique conflict
                at(person(ID_2, "B2", "F", "1960-05-05", null, "alive"), "2024-06-01 00:00:00"),                  // 13 unique conflict
                at(person(ID_3, "C", "M", "1970-06-06", null, "alive"), "2024-06-01 00:00:00"),                   // 14 exact duplicate
                at(person(ID_3, "C", "M", "1970-06-06", null, "alive"), "2024-06-01 00:00:00"),                   // 15 exact duplicate
                person(ID_4, "D", "M", "1980-07-07", null, "alive"),                   // 16 reference (warn)
                person(ID_M, "A", "M", "1949-12-31", "2020-01-01", "alive"),           // 17 expression
                person(ID_M, "A", "M", "1949-12-31", null, "deceased"),                // 18 filter applies (warn)
                malformed);                                                            // 19 malformed
        Dataset<Row> refIds = spark().createDataset(List.of(ID_M, ID_2, ID_3), Encoders.STRING()).toDF("national_id");
        Dataset<Row> parsed = Normalisation.parse(fx.rows(SourceFamily.CIVIL_REGISTRY, "L1", rows),
                SourceFamily.CIVIL_REGISTRY, m);
        registry = byRecord(QualityEvaluation.apply(parsed, SourceFamily.CIVIL_REGISTRY, REGISTRY_RULES,
                (family, column) -> refIds));

        Mapping pm = BronzeFixture.mapping(SourceFamily.BENEFIT_PAYMENT, Map.of(), Map.of());
        List<Map<String, String>> pay = List.of(
                Map.of("payment_id", "P1", "amount", "10.00"),
                Map.of("payment_id", "P2", "amount", "0"),
                Map.of("payment_id", "P3", "amount", "-1"),
                Map.of("payment_id", "P4", "amount", "60000"),
                Map.of("amount", "5"),
                Map.of("payment_id", "P6", "amount", "5"),
                Map.of("payment_id", "P6", "amount", "6"));
        payments = byRecord(QualityEvaluation.apply(Normalisation.parse(fx.rows(SourceFamily.BENEFIT_PAYMENT, "L2", pay),
                SourceFamily.BENEFIT_PAYMENT, pm), SourceFamily.BENEFIT_PAYMENT, PAYMENT_RULES, (f, c) -> null));
    }

    static Map<Long, Row> byRecord(Dataset<Row> checked) {
        Map<Long, Row> out = new TreeMap<>();
        checked.collectAsList().forEach(r -> out.put(r.getAs("_record_number"), r));
        return out;
    }

    static Set<String> errors(Map<Long, Row> rows, long record) {
        return names(rows.get(record), "_reasons");
    }

    static Set<String> warnings(Map<Long, Row> rows, long record) {
        return names(rows.get(record), "_warnings");
    }

    static Set<String> names(Row r, String column) {
        return r.<Row>getList(r.fieldIndex(column)).stream().map(x -> x.getString(0)).collect(Collectors.toSet());
    }

    static Row reason(Map<Long, Row> rows, long record, String column, String check) {
        Row r = rows.get(record);
        return r.<Row>getList(r.fieldIndex(column)).stream().filter(x -> x.getString(0).equals(check)).findFirst()
                .orElseThrow();
    }

    @Test
    void aValidRowHasNoReasons() {
        assertEquals(Set.of(), errors(registry, 1));
        assertEquals(Set.of(), warnings(registry, 1));
    }

    @Test
    void notBlankFlagsWhitespaceOnlyValues() {
        assertEquals(Set.of("name_required"), errors(registry, 2));
        assertEquals("  ", reason(registry, 2, "_reasons", "name_required").getString(2));
    }

    @Test
    void patternIsAWarningWhenDeclaredSo() {
        assertEquals(Set.of(), errors(registry, 3));
        assertEquals(Set.of("region_code"), warnings(registry, 3));
    }

    @Test
    void inListFlagsUnknownCodes() {
        assertEquals(Set.of("sex_code"), errors(registry, 4));
    }

    @Test
    void dateRangeFlagsImplausibleBirthDates() {
        assertEquals(Set.of("birth_plausible"), errors(registry, 5));
    }

    @Test
    void deathBeforeBirthIsFlaggedWithBothValues() {
        assertEquals(Set.of("death_after_birth"), errors(registry, 6));
        Row r = reason(registry, 6, "_reasons", "death_after_birth");
        assertEquals("birth_date,death_date", r.getString(1));
        assertEquals("birth_date=1949-12-31; death_date=1940-01-01", r.getString(2));
    }

    @Test
    void ageAtDeathAbove120IsImplausibleButExactly120IsNot() {
        assertEquals(Set.of("age_at_death"), errors(registry, 7));
        assertEquals(Set.of(), errors(registry, 8));
    }

    @Test
    void invalidCheckCharacterIsFlaggedWithTheExpectedOne() {
        assertEquals(Set.of("id_valid"), errors(registry, 9));
        String msg = reason(registry, 9, "_reasons", "id_valid").getString(3);
        assertTrue(msg.contains("check character should be " + ID_M.charAt(17)), msg);
    }

    @Test
    void birthDateMustMatchTheIdentityNumber() {
        assertEquals(Set.of("id_birth"), errors(registry, 10));
        assertTrue(reason(registry, 10, "_reasons", "id_birth").getString(3).contains("1949-12-31"));
    }

    @Test
    void sexMustMatchTheParityOfThe17thDigit() {
        assertEquals(Set.of("id_sex"), errors(registry, 11));
    }

    @Test
    void sameKeyWithDifferentContentViolatesUniquenessButExactDuplicatesDoNot() {
        assertEquals(Set.of("one_content"), warnings(registry, 12));
        assertEquals(Set.of("one_content"), warnings(registry, 13));
        assertEquals(Set.of(), warnings(registry, 14));
        assertEquals(Set.of(), warnings(registry, 15));
        assertEquals(Set.of("payment_unique"), errors(payments, 6));
        assertEquals(Set.of("payment_unique"), errors(payments, 7));
    }

    @Test
    void idMissingFromTheReferencedTableIsAWarning() {
        assertEquals(Set.of("in_reference"), warnings(registry, 16));
        assertEquals(Set.of(), errors(registry, 16));
    }

    @Test
    void customSqlExpressionMustHold() {
        assertEquals(Set.of("alive_no_death"), errors(registry, 17));
    }

    @Test
    void filterRestrictsACheckToMatchingRows() {
        assertEquals(Set.of("deceased_has_date"), warnings(registry, 18));
        assertEquals(Set.of(), warnings(registry, 1));
    }

    @Test
    void malformedLineGetsOneReasonSayingSo() {
        assertEquals(Set.of(QualityEvaluation.MALFORMED_LINE), errors(registry, 19));
        Row r = reason(registry, 19, "_reasons", QualityEvaluation.MALFORMED_LINE);
        assertEquals("x,y,z,too,many", r.getString(2));
        assertTrue(r.getString(3).contains("too many or too few fields"));
        assertEquals(Set.of(), warnings(registry, 19));
    }

    @Test
    void numericRangesAndPlausibility() {
        assertEquals(Set.of(), errors(payments, 1));
        assertEquals(Set.of("amount_positive"), errors(payments, 2));
        assertEquals(Set.of("amount_positive"), errors(payments, 3));
        assertEquals(Set.of(), errors(payments, 4));
        assertEquals(Set.of("amount_cap"), warnings(payments, 4));
    }

    @Test
    void missingBusinessKeyIsAlwaysAnError() {
        assertEquals(Set.of(QualityEvaluation.BUSINESS_KEY_MISSING), errors(payments, 5));
    }

    @Test
    void invalidSqlInARuleIsAConfigurationError() {
        QualityRules bad = new QualityRules("benefit_payment", List.of(
                check("broken", "error", "expression", List.of("amount"), Map.of("sql", "amount >>> 3 AND"))));
        Dataset<Row> parsed = Normalisation.parse(new BronzeFixture(spark(), tempDir("sql"))
                        .rows(SourceFamily.BENEFIT_PAYMENT, "L", List.of(Map.of("payment_id", "P"))),
                SourceFamily.BENEFIT_PAYMENT, BronzeFixture.mapping(SourceFamily.BENEFIT_PAYMENT, Map.of(), Map.of()));
        CrossCheckException e = assertThrows(CrossCheckException.class,
                () -> QualityEvaluation.apply(parsed, SourceFamily.BENEFIT_PAYMENT, bad, (f, c) -> null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
    }
}
