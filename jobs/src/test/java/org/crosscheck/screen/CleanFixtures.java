package org.crosscheck.screen;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.validate.IdentityNumber;

/** Tiny cleaned tables for rule tests, built row by row with the canonical schemas. Dates are written yyyy-MM-dd. */
final class CleanFixtures {
    static final String REGION = "110101";

    private final List<Row> registry = new ArrayList<>();
    private final List<Row> enrollments = new ArrayList<>();
    private final List<Row> contributions = new ArrayList<>();
    private final List<Row> payments = new ArrayList<>();

    /** A valid 18-character id of a man born 1950-01-01 plus n days. */
    static String id(int n) {
        return IdentityNumber.build(REGION, LocalDate.of(1950, 1, 1).plusDays(n), n, true);
    }

    static String id(LocalDate birth, boolean male) {
        return IdentityNumber.build(REGION, birth, 10, male);
    }

    CleanFixtures person(String nationalId, String sex, String birthDate, String status, String deathDate,
                         String precision) {
        return registryRow(nationalId, "Name " + nationalId.substring(14), sex, birthDate, status, deathDate,
                precision, REGION);
    }

    /** A living person with the given name, registered in {@code region}; sex and birth date from the number. */
    CleanFixtures named(String nationalId, String fullName, String region) {
        LocalDate birth = IdentityNumber.birthDate(nationalId).orElse(LocalDate.of(1950, 1, 1));
        return registryRow(nationalId, fullName, IdentityNumber.sex(nationalId).orElse("U"), birth.toString(), "alive",
                null, null, region);
    }

    private CleanFixtures registryRow(String nationalId, String fullName, String sex, String birthDate, String status,
                                      String deathDate, String precision, String region) {
        registry.add(RowFactory.create(nationalId, fullName, sex, date(birthDate), date(deathDate), precision, status,
                region, java.sql.Timestamp.valueOf("2025-01-01 00:00:00")));
        return this;
    }

    CleanFixtures alive(String nationalId) {
        LocalDate birth = IdentityNumber.birthDate(nationalId).orElse(LocalDate.of(1950, 1, 1));
        return person(nationalId, IdentityNumber.sex(nationalId).orElse("U"), birth.toString(), "alive", null, null);
    }



    CleanFixtures enrollment(String nationalId, String scheme, String region, String start, String end) {
        enrollments.add(RowFactory.create(nationalId, "Name", scheme, region, "EMP1", date(start), date(end)));
        return this;
    }

    CleanFixtures contribution(String nationalId, String scheme, String employer, String month) {
        contributions.add(RowFactory.create(nationalId, scheme, employer, REGION, date(month + "-01"),
                new BigDecimal("5000.00"), new BigDecimal("400.00"), new BigDecimal("800.00")));
        return this;
    }

    CleanFixtures payment(String paymentId, String nationalId, String scheme, String benefitType, String periodStart,
                          String periodEnd, String paymentDate, String amount, String account, String eventDate) {
        return paymentIn(REGION, paymentId, nationalId, scheme, benefitType, periodStart, periodEnd, paymentDate, amount,
                account, eventDate);
    }

    CleanFixtures paymentIn(String region, String paymentId, String nationalId, String scheme, String benefitType,
                            String periodStart, String periodEnd, String paymentDate, String amount, String account,
                            String eventDate) {
        payments.add(RowFactory.create(paymentId, nationalId, "Payee", scheme, benefitType, region, date(periodStart),
                date(periodEnd), date(paymentDate), new BigDecimal(amount), account, date(eventDate)));
        return this;
    }

    /** A monthly benefit for {@code month} (yyyy-MM), paid on {@code paymentDate}, into account ACC-paymentId. */
    CleanFixtures monthly(String paymentId, String nationalId, String scheme, String benefitType, String month,
                          String paymentDate, String amount) {
        YearMonth m = YearMonth.parse(month);
        return payment(paymentId, nationalId, scheme, benefitType, m.atDay(1).toString(), m.atEndOfMonth().toString(),
                paymentDate, amount, "ACC-" + paymentId, null);
    }

    /** A pension for {@code month} paid to {@code nationalId} under the payee name given, in {@code region}. */
    CleanFixtures pensionTo(String paymentId, String nationalId, String payeeName, String region, String month,
                            String amount) {
        YearMonth m = YearMonth.parse(month);
        payments.add(RowFactory.create(paymentId, nationalId, payeeName, "employee_pension", "basic_pension", region,
                date(m.atDay(1).toString()), date(m.atEndOfMonth().toString()), date(m.atDay(10).toString()),
                new BigDecimal(amount), "ACC-" + paymentId, null));
        return this;
    }

    CleanFixtures pension(String paymentId, String nationalId, String month, String paymentDate, String amount) {
        return monthly(paymentId, nationalId, "employee_pension", "basic_pension", month, paymentDate, amount);
    }

    Map<SourceFamily, Dataset<Row>> tables(SparkSession spark) {
        Map<SourceFamily, Dataset<Row>> m = new EnumMap<>(SourceFamily.class);
        m.put(SourceFamily.CIVIL_REGISTRY, spark.createDataFrame(registry, SourceFamily.CIVIL_REGISTRY.canonicalSchema()));
        m.put(SourceFamily.ENROLLMENT, spark.createDataFrame(enrollments, SourceFamily.ENROLLMENT.canonicalSchema()));
        m.put(SourceFamily.CONTRIBUTION, spark.createDataFrame(contributions, SourceFamily.CONTRIBUTION.canonicalSchema()));
        m.put(SourceFamily.BENEFIT_PAYMENT, spark.createDataFrame(payments, SourceFamily.BENEFIT_PAYMENT.canonicalSchema()));
        return m;
    }

    private static Date date(String s) {
        return s == null ? null : Date.valueOf(s);
    }
}
