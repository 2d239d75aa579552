package org.crosscheck.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.crosscheck.core.Scheme;
import org.crosscheck.core.SourceFamily;

/**
 * The pieces a person's history is made of (registry records, employment, pensions, benefits), written to the
 * landing zone. Used alike by the normal population and the planted cases, so both look the same in the files.
 */
final class LifeEvents {
    /** Contribution rates in per mille of the base. */
    private static final int PENSION_EMPLOYEE = 80;
    private static final int PENSION_EMPLOYER = 140;
    private static final int MEDICAL_EMPLOYEE = 20;
    private static final int MEDICAL_EMPLOYER = 55;
    private static final long MIN_BASE = 458_800;
    private static final long MAX_BASE = 3_400_000;

    final LandingZone zone;
    final TruthLog truth;

    LifeEvents(LandingZone zone, TruthLog truth) {
        this.zone = zone;
        this.truth = truth;
    }

    // ---- civil registry -------------------------------------------------------------------------------------

    /** An alive person; a few get an unchanged re-issue in the update extract (latest record wins, same content). */
    void registryAlive(Person p, SplittableRandom rng, boolean mayReissue) {
        LocalDateTime at = StudyPeriod.at(rng, StudyPeriod.day(rng, LocalDate.of(2010, 1, 1), LocalDate.of(2025, 11, 25)));
        zone.registry(RegistryRecord.alive(p, at), false, null);
        if (mayReissue && rng.nextInt(100) == 0) {
            zone.registry(RegistryRecord.alive(p, StudyPeriod.at(rng,
                    StudyPeriod.day(rng, LocalDate.of(2025, 12, 2), LocalDate.of(2026, 1, 3)))), true, null);
        }
    }

    /**
     * A death registered {@code delayDays} after it happened: in the full extract if registered before its
     * cut-off, otherwise the full extract still shows the person alive and the update brings the death
     * (or, registered after the update's cut-off, no extract knows of it yet).
     */
    RegistryRecord registryDeath(Person p, String deathText, LocalDate death, int delayDays, SplittableRandom rng) {
        LocalDateTime registered = StudyPeriod.at(rng, death.plusDays(delayDays));
        RegistryRecord deceased = RegistryRecord.deceased(p, deathText, registered);
        if (registered.isBefore(StudyPeriod.BASE_CUTOFF)) {
            zone.registry(deceased, false, null);
        } else {
            LocalDate aliveUpdate = StudyPeriod.day(rng, LocalDate.of(2010, 1, 1), LocalDate.of(2023, 12, 31));
            zone.registry(RegistryRecord.alive(p, StudyPeriod.at(rng, aliveUpdate)), false, null);
            if (registered.isBefore(StudyPeriod.UPDATE_CUTOFF)) {
                zone.registry(deceased, true, null);
            }
        }
        return deceased;
    }

    // ---- employment -----------------------------------------------------------------------------------------

    /**
     * Employee pension, medical, unemployment and work-injury coverage from {@code start} to {@code end} (null:
     * open) with one employer, and monthly pension and medical contributions for the months of the study period
     * it covers. A {@code defect} goes onto the medical enrollment or the medical contribution of {@code defectMonth}.
     */
    void employment(Person p, String employer, long wageCents, LocalDate start, LocalDate end, Defect defect,
                    YearMonth defectMonth) {
        for (Scheme s : new Scheme[] {Scheme.EMPLOYEE_PENSION, Scheme.MEDICAL, Scheme.UNEMPLOYMENT, Scheme.WORK_INJURY}) {
            Enrollment e = new Enrollment(p, s, p.region(), employer, start, end);
            boolean defective = s == Scheme.MEDICAL && defect != null && defect.family == SourceFamily.ENROLLMENT;
            if (defective && defect == Defect.ENROLLMENT_UNKNOWN_SCHEME) {
                zone.enrollment(e, null);
                truth.quality(defect, zone.enrollment(e, defect), "");
            } else if (defective) {
                truth.quality(defect, zone.enrollment(e, defect), "");
            } else {
                zone.enrollment(e, null);
            }
        }
        YearMonth from = StudyPeriod.max(YearMonth.from(start), StudyPeriod.FIRST);
        YearMonth to = end == null ? StudyPeriod.LAST : StudyPeriod.min(YearMonth.from(end), StudyPeriod.LAST);
        contributions(p, employer, p.region(), wageCents, from, to, true, defect, defectMonth);
    }

    /** Pension (and, if {@code withMedical}, medical) contributions for each month from..to. */
    void contributions(Person p, String employer, String region, long wageCents, YearMonth from, YearMonth to,
                       boolean withMedical, Defect defect, YearMonth defectMonth) {
        long base = Math.max(MIN_BASE, Math.min(MAX_BASE, wageCents));
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            zone.contribution(new Contribution(p, Scheme.EMPLOYEE_PENSION, employer, region, m, base,
                    perMille(base, PENSION_EMPLOYEE), perMille(base, PENSION_EMPLOYER)), null);
            if (withMedical) {
                Contribution c = new Contribution(p, Scheme.MEDICAL, employer, region, m, base,
                        perMille(base, MEDICAL_EMPLOYEE), perMille(base, MEDICAL_EMPLOYER));
                if (defect != null && defect.family == SourceFamily.CONTRIBUTION && m.equals(defectMonth)) {
                    truth.quality(defect, zone.contribution(c, defect), FieldText.period(m));
                } else {
                    zone.contribution(c, null);
                }
            }
        }
    }

    /** A career that ended with retirement: employee pension coverage closed, medical coverage still open. */
    void retiredCoverage(Person p, String employer, LocalDate careerStart, LocalDate retired) {
        zone.enrollment(new Enrollment(p, Scheme.EMPLOYEE_PENSION, p.region(), employer, careerStart,
                retired.minusDays(1)), null);
        zone.enrollment(new Enrollment(p, Scheme.MEDICAL, p.region(), employer, careerStart, null), null);
    }

    // ---- benefits ---------------------------------------------------------------------------------------------

    /** The monthly pension: the 2024 amount, raised by 3 % from January 2025. */
    static long pensionCents(long cents2024, YearMonth month) {
        return month.getYear() >= 2025 ? (cents2024 * 103 + 50) / 100 : cents2024;
    }

    /**
     * One pension payment per month from..to (clipped to the study period), each paid on {@code payDay} of the
     * month it covers, or of a later month when {@code monthsLate} > 0.
     */
    static List<Payment> pensions(Person p, Scheme scheme, long cents2024, YearMonth from, YearMonth to, int payDay,
                                  int monthsLate) {
        List<Payment> out = new ArrayList<>(24);
        YearMonth first = StudyPeriod.max(from, StudyPeriod.FIRST);
        YearMonth last = StudyPeriod.min(to, StudyPeriod.LAST);
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            out.add(Payment.monthly(p, scheme, DepartmentCodes.BASIC_PENSION, m,
                    m.plusMonths(monthsLate).atDay(payDay), pensionCents(cents2024, m)));
        }
        return out;
    }

    /** Monthly benefit of a fixed amount from..to (clipped), paid on {@code payDay}. */
    static List<Payment> monthlyBenefit(Person p, Scheme scheme, String benefitType, long cents, YearMonth from,
                                        YearMonth to, int payDay, LocalDate eventDate) {
        List<Payment> out = new ArrayList<>(12);
        YearMonth first = StudyPeriod.max(from, StudyPeriod.FIRST);
        YearMonth last = StudyPeriod.min(to, StudyPeriod.LAST);
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            out.add(Payment.monthly(p, scheme, benefitType, m, m.atDay(payDay), cents).withEventDate(eventDate));
        }
        return out;
    }

    void pay(List<Payment> payments) {
        for (Payment pay : payments) {
            zone.payment(pay, null);
        }
    }

    /** Pays all, putting {@code defect} (if any) on the payment for {@code defectMonth} and noting it in the truth. */
    void pay(List<Payment> payments, Defect defect, YearMonth defectMonth) {
        for (Payment pay : payments) {
            if (defect != null && pay.month().equals(defectMonth)) {
                truth.quality(defect, zone.payment(pay, defect), FieldText.period(defectMonth));
            } else {
                zone.payment(pay, null);
            }
        }
    }

    static long perMille(long cents, int perMille) {
        return (cents * perMille + 500) / 1000;
    }

    static long sum(List<Payment> payments) {
        return payments.stream().mapToLong(Payment::cents).sum();
    }
}
