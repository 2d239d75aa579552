package org.crosscheck.generate;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.SplittableRandom;

import org.crosscheck.core.Scheme;

/**
 * The normal population: person {@code i} is drawn from its own random stream, so it does not depend on any
 * other person. By construction it triggers no screening rule: payments stop with the month of death,
 * contributions stop before it, every payee is registered and has an own account, names are unique, nobody is
 * in two pension schemes or two regions, unemployment benefit starts after the last contribution and
 * work-injury accidents happen inside coverage.
 */
final class Population {
    private static final long[] RESIDENT_GRADES = {20_000, 30_000, 50_000, 100_000, 200_000, 300_000};

    private final long seed;
    private final IdentityPool pool;
    private final LifeEvents life;
    private final QualityPlan quality;
    private final int employersPerRegion;

    Population(long seed, int persons, IdentityPool pool, LifeEvents life, QualityPlan quality) {
        this.seed = seed;
        this.pool = pool;
        this.life = life;
        this.quality = quality;
        this.employersPerRegion = Math.max(20, persons / 40);
    }

    static long personSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    void emit(int i) {
        SplittableRandom rng = new SplittableRandom(personSeed(seed, i));
        String region = StudyPeriod.region(rng);
        double kind = rng.nextDouble();
        if (kind < 0.03) {
            deadBeforePeriod(i, rng, region);
        } else if (kind < 0.25) {
            uninsured(i, rng, region);
        } else if (kind < 0.50) {
            worker(i, rng, region);
        } else if (kind < 0.55) {
            unemployed(i, rng, region);
        } else if (kind < 0.63) {
            residentContributor(i, rng, region);
        } else if (kind < 0.70) {
            residentPensioner(i, rng, region);
        } else {
            retiree(i, rng, region);
        }
    }

    private void deadBeforePeriod(int i, SplittableRandom rng, String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1920, 1, 1), LocalDate.of(1955, 12, 31));
        Person p = pool.person(i, region, birth, rng.nextBoolean(), rng);
        LocalDate death = StudyPeriod.day(rng, later(birth.plusYears(45), LocalDate.of(2005, 1, 1)),
                LocalDate.of(2023, 12, 31));
        RegistryRecord r = RegistryRecord.deceased(p, FieldText.compact(death),
                StudyPeriod.at(rng, death.plusDays(3 + rng.nextInt(18))));
        Defect d = quality.take(i, Defect.Target.DEAD_BEFORE_PERIOD);
        if (d == Defect.REGISTRY_DEATH_BEFORE_BIRTH) {
            r = r.withDeath(FieldText.compact(birth.minusYears(1 + rng.nextInt(5))));
        } else if (d == Defect.REGISTRY_UNPARSEABLE_BIRTH) {
            r = r.withBirth(birth.getYear() + "1345");
        }
        String key = life.zone.registry(r, false, d);
        if (d != null) {
            life.truth.quality(d, key, "");
        }
    }

    private void uninsured(int i, SplittableRandom rng, String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1925, 1, 1), LocalDate.of(2020, 12, 31));
        Person p = pool.person(i, region, birth, rng.nextBoolean(), rng);
        Defect d = quality.take(i, Defect.Target.UNINSURED);
        if (d == null) {
            life.registryAlive(p, rng, true);
        } else {
            RegistryRecord r = RegistryRecord.alive(p, StudyPeriod.at(rng, LocalDate.of(2019, 6, 3)));
            life.truth.quality(d, life.zone.registry(r, false, d), "");
        }
    }

    private void worker(int i, SplittableRandom rng, String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1966, 1, 1), LocalDate.of(2003, 12, 31));
        Person p = pool.person(i, region, birth, rng.nextBoolean(), rng);
        String employer = pool.employer(region, rng.nextInt(employersPerRegion));
        LocalDate earliest = later(birth.plusYears(20), LocalDate.of(2005, 1, 1));
        LocalDate start = rng.nextInt(100) < 85 && earliest.isBefore(LocalDate.of(2023, 12, 1))
                ? StudyPeriod.day(rng, earliest, LocalDate.of(2023, 12, 1)).withDayOfMonth(1)
                : StudyPeriod.month(rng, YearMonth.of(2024, 2), YearMonth.of(2025, 10)).atDay(1);
        long wage = 458_800 + (long) (2_941_200 * Math.pow(rng.nextDouble(), 2));
        double fate = rng.nextDouble();
        LocalDate deathFrom = later(start.plusMonths(2), LocalDate.of(2024, 3, 1));
        if (fate < 0.003 && deathFrom.isBefore(StudyPeriod.END)) {
            // dies in service: the employer stops contributing with the month before the death
            LocalDate death = StudyPeriod.day(rng, deathFrom, StudyPeriod.END);
            YearMonth last = YearMonth.from(death).minusMonths(1);
            life.registryDeath(p, FieldText.compact(death), death, 2 + rng.nextInt(19), rng);
            life.employment(p, employer, wage, start, last.atEndOfMonth(), null, null);
            return;
        }
        life.registryAlive(p, rng, true);
        LocalDate accidentFrom = later(start.plusDays(30), StudyPeriod.START);
        if (fate < 0.013 && accidentFrom.isBefore(LocalDate.of(2025, 9, 30))) {
            // a work injury inside coverage, compensated from the month after the accident
            life.employment(p, employer, wage, start, null, null, null);
            LocalDate accident = StudyPeriod.day(rng, accidentFrom, LocalDate.of(2025, 9, 30));
            YearMonth first = YearMonth.from(accident).plusMonths(1);
            long cents = 250_000 + rng.nextInt(350_001);
            life.pay(LifeEvents.monthlyBenefit(p, Scheme.WORK_INJURY, DepartmentCodes.INJURY_ALLOWANCE, cents, first,
                    first.plusMonths(1 + rng.nextInt(5)), 20, accident));
            return;
        }
        Defect d = p.nationalId().endsWith("X")
                ? quality.take(i, Defect.Target.WORKER_X, Defect.Target.WORKER)
                : quality.take(i, Defect.Target.WORKER);
        YearMonth defectMonth = StudyPeriod.month(rng, StudyPeriod.max(YearMonth.from(start), StudyPeriod.FIRST),
                StudyPeriod.LAST);
        life.employment(p, employer, wage, start, null, d, defectMonth);
    }

    private void unemployed(int i, SplittableRandom rng, String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1968, 1, 1), LocalDate.of(2000, 12, 31));
        Person p = pool.person(i, region, birth, rng.nextBoolean(), rng);
        life.registryAlive(p, rng, true);
        String employer = pool.employer(region, rng.nextInt(employersPerRegion));
        LocalDate start = StudyPeriod.day(rng, later(birth.plusYears(20), LocalDate.of(2008, 1, 1)),
                LocalDate.of(2021, 12, 1)).withDayOfMonth(1);
        YearMonth lastContribution = StudyPeriod.month(rng, YearMonth.of(2023, 6), YearMonth.of(2025, 6));
        life.employment(p, employer, 458_800 + rng.nextInt(1_000_000), start, lastContribution.atEndOfMonth(),
                null, null);
        // benefit from the first or second month after contributions stopped, never while they run
        YearMonth first = StudyPeriod.max(lastContribution.plusMonths(1 + rng.nextInt(2)), StudyPeriod.FIRST);
        long cents = 150_000 + rng.nextInt(100_001);
        life.pay(LifeEvents.monthlyBenefit(p, Scheme.UNEMPLOYMENT, DepartmentCodes.UNEMPLOYMENT_BENEFIT, cents, first,
                first.plusMonths(2 + rng.nextInt(10)), 15, null));
    }

    private void residentContributor(int i, SplittableRandom rng, String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1966, 1, 1), LocalDate.of(2000, 12, 31));
        Person p = pool.person(i, region, birth, rng.nextBoolean(), rng);
        life.registryAlive(p, rng, true);
        LocalDate start = StudyPeriod.day(rng, later(birth.plusYears(18), LocalDate.of(2012, 1, 1)),
                LocalDate.of(2023, 6, 30)).withDayOfMonth(1);
        life.zone.enrollment(new Enrollment(p, Scheme.URBAN_RURAL_RESIDENT_PENSION, region, null, start, null), null);
        residentContributions(p, rng, start);
    }

    /** Resident pension contributions are paid once a year, in March, through the street office. */
    static void residentContributions(LifeEvents life, Person p, SplittableRandom rng, LocalDate start) {
        long grade = RESIDENT_GRADES[rng.nextInt(RESIDENT_GRADES.length)];
        long subsidy = grade >= 100_000 ? 6_000 : 3_000;
        for (YearMonth m : List.of(YearMonth.of(2024, 3), YearMonth.of(2025, 3))) {
            if (!YearMonth.from(start).isAfter(m)) {
                life.zone.contribution(new Contribution(p, Scheme.URBAN_RURAL_RESIDENT_PENSION,
                        IdentityPool.streetOffice(p.region()), p.region(), m, grade, grade, subsidy), null);
            }
        }
    }

    private void residentContributions(Person p, SplittableRandom rng, LocalDate start) {
        residentContributions(life, p, rng, start);
    }

    private void residentPensioner(int i, SplittableRandom rng, String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1935, 1, 1), LocalDate.of(1963, 6, 30));
        Person p = pool.person(i, region, birth, rng.nextBoolean(), rng);
        life.zone.enrollment(new Enrollment(p, Scheme.URBAN_RURAL_RESIDENT_PENSION, region, null,
                LocalDate.of(2011, 7, 1), null), null);
        long cents = 18_000 + rng.nextInt(36_001);
        YearMonth last = deathOrEnd(p, rng, 0.04);
        life.pay(LifeEvents.pensions(p, Scheme.URBAN_RURAL_RESIDENT_PENSION, cents, StudyPeriod.FIRST, last, 10, 0));
    }

    private void retiree(int i, SplittableRandom rng, String region) {
        boolean male = rng.nextBoolean();
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1935, 1, 1), LocalDate.of(1963, 6, 30));
        Person p = pool.person(i, region, birth, male, rng);
        LocalDate retired = birth.plusYears(male ? 60 : rng.nextBoolean() ? 55 : 50).plusMonths(1).withDayOfMonth(1);
        LocalDate careerStart = StudyPeriod.day(rng, later(birth.plusYears(18), LocalDate.of(1985, 1, 1)),
                retired.minusYears(10)).withDayOfMonth(1);
        life.retiredCoverage(p, pool.employer(region, rng.nextInt(employersPerRegion)), careerStart, retired);
        long cents = 200_000 + (long) (400_000 * Math.pow(rng.nextDouble(), 1.5));
        YearMonth last = deathOrEnd(p, rng, 0.05);
        List<Payment> pensions = LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, cents, StudyPeriod.FIRST, last, 10, 0);
        Defect d = null;
        if (last.equals(StudyPeriod.LAST)) {
            boolean office = StudyPeriod.paidByCsvOffice(region);
            if (office && p.nationalId().endsWith("X")) {
                d = quality.take(i, Defect.Target.RETIREE_CSV_X, Defect.Target.RETIREE_CSV);
            } else {
                d = quality.take(i, office ? Defect.Target.RETIREE_CSV : Defect.Target.RETIREE_JSON);
            }
        }
        life.pay(pensions, d, StudyPeriod.month(rng, StudyPeriod.FIRST, StudyPeriod.LAST));
    }

    /**
     * Writes the registry record of a pensioner, who dies during the period with the given probability; returns
     * the last month paid (the month of death: the policy pays through it).
     */
    private YearMonth deathOrEnd(Person p, SplittableRandom rng, double mortality) {
        if (rng.nextDouble() < mortality) {
            LocalDate death = StudyPeriod.day(rng, LocalDate.of(2024, 1, 15), StudyPeriod.END);
            life.registryDeath(p, FieldText.compact(death), death, 2 + rng.nextInt(19), rng);
            return YearMonth.from(death);
        }
        life.registryAlive(p, rng, true);
        return StudyPeriod.LAST;
    }

    static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
