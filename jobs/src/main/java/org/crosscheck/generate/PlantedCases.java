package org.crosscheck.generate;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.crosscheck.core.Scheme;
import org.crosscheck.core.SourceFamily;

/**
 * The screening cases the truth file promises, and the traps beside them (look-alikes that must not be flagged).
 * Built up front (they are few: {@code perRule} of each) with their truth rows; their rows are written
 * interleaved with the normal population at random positions.
 */
final class PlantedCases {
    static final String DECEASED_RECIPIENT = "deceased_recipient";
    static final String ACTIVITY_AFTER_DEATH = "activity_after_death";
    static final String DUPLICATE_ENROLLMENT_SCHEME = "duplicate_enrollment_scheme";
    static final String DUPLICATE_ENROLLMENT_REGION = "duplicate_enrollment_region";
    static final String DUPLICATE_PAYMENT = "duplicate_payment";
    static final String BENEFIT_WHILE_EMPLOYED = "benefit_while_employed";
    static final String CLAIM_BEFORE_COVERAGE = "claim_before_coverage";
    static final String SHARED_BANK_ACCOUNT = "shared_bank_account";
    static final String IDENTITY_CONFLICT = "identity_conflict";
    static final String PAYEE_UNKNOWN_TO_REGISTRY = "payee_unknown_to_registry";
    static final String DUPLICATE_IDENTITY = "duplicate_identity";
    static final String AMOUNT_OUTLIER = "amount_outlier";

    static final List<String> RULE_IDS = List.of(DECEASED_RECIPIENT, ACTIVITY_AFTER_DEATH,
            DUPLICATE_ENROLLMENT_SCHEME, DUPLICATE_ENROLLMENT_REGION, DUPLICATE_PAYMENT, BENEFIT_WHILE_EMPLOYED,
            CLAIM_BEFORE_COVERAGE, SHARED_BANK_ACCOUNT, IDENTITY_CONFLICT, PAYEE_UNKNOWN_TO_REGISTRY,
            DUPLICATE_IDENTITY, AMOUNT_OUTLIER);

    private static final String PERSON = "person";
    private static final String ACCOUNT = "account";
    private static final String PERSON_PAIR = "person_pair";

    private final int persons;
    private final IdentityPool pool;
    private final TruthLog truth;
    private final SplittableRandom rng;
    private final long lastIndex;
    private long nextIndex;
    private final List<PlantedCase> cases = new ArrayList<>();

    private PlantedCases(int persons, long seed, IdentityPool pool, TruthLog truth) {
        this.persons = persons;
        this.pool = pool;
        this.truth = truth;
        this.rng = new SplittableRandom(Population.personSeed(seed, -1));
        this.nextIndex = persons;
        this.lastIndex = persons + reserve(persons);
    }

    /** Indices above the population kept for planted persons; twin names come from above this range. */
    static long reserve(int persons) {
        return 1_000L + persons / 5;
    }

    /** How many flagged cases of each rule: at least 3, then 3 per 2,000 persons. */
    static int perRule(int persons) {
        return Math.max(3, (int) Math.round(persons * 3.0 / 2000));
    }

    /** Builds every planted case, records its truth rows, and returns the cases ordered by slot. */
    static List<PlantedCase> plant(int persons, long seed, IdentityPool pool, TruthLog truth) {
        PlantedCases p = new PlantedCases(persons, seed, pool, truth);
        int n = perRule(persons);
        int traps = Math.max(1, n / 3);
        for (int k = 0; k < Math.max(4, n); k++) {
            p.deceasedRecipient(k % 4);
        }
        for (int k = 0; k < traps; k++) {
            for (int v = 0; v < 4; v++) {
                p.deceasedRecipientTrap(v);
            }
        }
        for (int k = 0; k < n; k++) {
            p.activityAfterDeath(k % 2);
        }
        for (int k = 0; k < traps; k++) {
            p.contributionInMonthOfDeath();
        }
        for (int k = 0; k < n; k++) {
            p.duplicateEnrollmentScheme();
        }
        for (int k = 0; k < traps; k++) {
            p.schemeSwitch();
        }
        for (int k = 0; k < n; k++) {
            p.regionOverlap(-1);
        }
        for (int k = 0; k < traps; k++) {
            p.regionOverlap(0);
            p.regionOverlap(1);
        }
        for (int k = 0; k < n; k++) {
            p.duplicatePayment();
        }
        for (int k = 0; k < n; k++) {
            p.benefitWhileEmployed(false);
        }
        for (int k = 0; k < traps; k++) {
            p.benefitWhileEmployed(true);
        }
        for (int k = 0; k < n; k++) {
            p.claimOutsideCoverage(k % 3 == 2);
        }
        for (int k = 0; k < traps; k++) {
            p.accidentOnFirstDayOfCoverage();
        }
        for (int k = 0; k < n; k++) {
            p.sharedAccount(4 + k % 3, true);
        }
        for (int k = 0; k < traps; k++) {
            p.sharedAccount(2, false);
        }
        for (int k = 0; k < n; k++) {
            p.identityConflict(k % 3 == 2);
        }
        for (int k = 0; k < n; k++) {
            p.payeeUnknownToRegistry();
        }
        for (int k = 0; k < Math.max(DUPLICATE_IDENTITY_KINDS, n); k++) {
            p.duplicateIdentity(k % DUPLICATE_IDENTITY_KINDS);
        }
        for (int k = 0; k < traps; k++) {
            p.twins();
        }
        for (int k = 0; k < n; k++) {
            p.amountOutlier();
        }
        List<PlantedCase> sorted = new ArrayList<>(p.cases);
        sorted.sort(Comparator.comparingInt(PlantedCase::slot));
        return sorted;
    }

    // ---- deaths ---------------------------------------------------------------------------------------------

    private void deceasedRecipient(int variant) {
        Person p = pensioner();
        long base = pensionBase();
        SplittableRandom r = rng.split();
        String deathText;
        LocalDate registeredFrom;
        YearMonth lastProper;
        String how;
        int delay;
        switch (variant) {
            case 0 -> {
                LocalDate death = StudyPeriod.day(r, LocalDate.of(2024, 5, 1), LocalDate.of(2025, 6, 30));
                deathText = FieldText.compact(death);
                registeredFrom = death;
                delay = 3 + r.nextInt(12);
                lastProper = YearMonth.from(death);
                how = "died " + death + " (day precision)";
            }
            case 1 -> {
                YearMonth month = StudyPeriod.month(r, YearMonth.of(2024, 5), YearMonth.of(2025, 6));
                deathText = FieldText.compact(month);
                registeredFrom = month.atEndOfMonth();
                delay = 3 + r.nextInt(12);
                lastProper = month;
                how = "died in " + month + " (month-only death date " + deathText + ")";
            }
            case 2 -> {
                deathText = "2024";
                registeredFrom = LocalDate.of(2025, 1, 6);
                delay = r.nextInt(20);
                lastProper = YearMonth.of(2024, 12);
                how = "died in 2024 (year-only death date; 2024 payments are not counted)";
            }
            default -> {
                LocalDate death = StudyPeriod.day(r, LocalDate.of(2025, 5, 1), LocalDate.of(2025, 10, 15));
                deathText = FieldText.compact(death);
                registeredFrom = death;
                // registered in December: only the update extract knows of the death
                delay = (int) ChronoUnit.DAYS.between(death, LocalDate.of(2025, 12, 2)) + r.nextInt(25);
                lastProper = YearMonth.from(death);
                how = "died " + death + ", a late death that appears only in the update extract";
            }
        }
        YearMonth lastPaid = variant >= 2 ? StudyPeriod.LAST
                : StudyPeriod.min(lastProper.plusMonths(2 + r.nextInt(6)), StudyPeriod.LAST);
        List<Payment> pensions = LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST, lastPaid, 10, 0);
        List<Payment> improper = pensions.stream().filter(x -> x.month().isAfter(lastProper)).toList();
        truth.flag(DECEASED_RECIPIENT, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                FieldText.period(lastProper.plusMonths(1), lastPaid), LifeEvents.sum(improper),
                how + "; pension still paid for " + improper.size() + " months after the month of death");
        add(life -> {
            life.registryDeath(p, deathText, registeredFrom, delay, r);
            retiredCoverage(life, p, r);
            life.pay(pensions);
        });
    }

    private void deceasedRecipientTrap(int variant) {
        Person p = pensioner();
        long base = pensionBase();
        SplittableRandom r = rng.split();
        YearMonth month = StudyPeriod.month(r, YearMonth.of(2024, 6), YearMonth.of(2025, 10));
        LocalDate death = month.atDay(12 + r.nextInt(17));
        switch (variant) {
            case 0 -> {
                List<Payment> pensions = LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST, month,
                        10, 1);
                truth.noFlag(DECEASED_RECIPIENT, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                        FieldText.period(month), "died " + death + "; the pension for the month of death " + month
                                + " was paid on " + month.plusMonths(1).atDay(10)
                                + ", after the death, which policy allows (paid in arrears)");
                add(life -> {
                    life.registryDeath(p, FieldText.compact(death), death, 3 + r.nextInt(10), r);
                    retiredCoverage(life, p, r);
                    life.pay(pensions);
                });
            }
            case 1 -> {
                LocalDate wrongDeath = StudyPeriod.day(r, LocalDate.of(2024, 6, 1), LocalDate.of(2025, 3, 31));
                truth.noFlag(DECEASED_RECIPIENT, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                        FieldText.period(YearMonth.from(wrongDeath).plusMonths(1), StudyPeriod.LAST),
                        "death on " + wrongDeath + " in the full extract was cancelled (ZXBZ 2) in the update extract;"
                                + " the person is alive and payments continued");
                add(life -> {
                    RegistryRecord dead = RegistryRecord.deceased(p, FieldText.compact(wrongDeath),
                            StudyPeriod.at(r, wrongDeath.plusDays(5)));
                    life.zone.registry(dead, false, null);
                    life.zone.registry(dead.cancelled(StudyPeriod.at(r, StudyPeriod.day(r, LocalDate.of(2025, 12, 2),
                            LocalDate.of(2026, 1, 3)))), true, null);
                    retiredCoverage(life, p, r);
                    life.pay(LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST, StudyPeriod.LAST,
                            10, 0));
                });
            }
            case 2 -> {
                truth.noFlag(DECEASED_RECIPIENT, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                        FieldText.period(month), "month-only death date " + FieldText.compact(month)
                                + " with a pension for that same month; nothing after it");
                add(life -> {
                    life.registryDeath(p, FieldText.compact(month), month.atEndOfMonth(), 3 + r.nextInt(10), r);
                    retiredCoverage(life, p, r);
                    life.pay(LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST, month, 10, 0));
                });
            }
            default -> {
                truth.noFlag(DECEASED_RECIPIENT, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                        FieldText.period(StudyPeriod.FIRST, month.minusMonths(1)),
                        "died " + death + "; pensions were paid only for months before the month of death");
                add(life -> {
                    life.registryDeath(p, FieldText.compact(death), death, 3 + r.nextInt(10), r);
                    retiredCoverage(life, p, r);
                    life.pay(LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST,
                            month.minusMonths(1), 10, 0));
                });
            }
        }
    }

    private void activityAfterDeath(int variant) {
        SplittableRandom r = rng.split();
        if (variant == 0) {
            Person p = worker();
            YearMonth month = StudyPeriod.month(r, YearMonth.of(2024, 4), YearMonth.of(2025, 6));
            LocalDate death = month.atDay(25 + r.nextInt(4));
            YearMonth last = month.plusMonths(2 + r.nextInt(4));
            truth.flag(ACTIVITY_AFTER_DEATH, SourceFamily.CONTRIBUTION, PERSON, p.nationalId(),
                    FieldText.period(month.plusMonths(1), last), null,
                    "died " + death + "; the employer kept paying pension and medical contributions for "
                            + FieldText.period(month.plusMonths(1), last));
            add(life -> {
                life.registryDeath(p, FieldText.compact(death), death, 3 + r.nextInt(10), r);
                life.employment(p, employer(p, r), wage(r), careerStart(r), last.atEndOfMonth(), null, null);
            });
        } else {
            Person p = pool.person(nextIndex(), StudyPeriod.region(rng),
                    StudyPeriod.day(rng, LocalDate.of(1950, 1, 1), LocalDate.of(1975, 12, 31)), rng.nextBoolean(), rng);
            LocalDate death = StudyPeriod.day(r, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 12, 31));
            LocalDate start = YearMonth.from(death).plusMonths(2 + r.nextInt(5)).atDay(1);
            truth.flag(ACTIVITY_AFTER_DEATH, SourceFamily.ENROLLMENT, PERSON, p.nationalId(),
                    FieldText.period(YearMonth.from(start)), null,
                    "died " + death + "; enrolled in urban_rural_resident_pension from " + start);
            add(life -> {
                life.registryDeath(p, FieldText.compact(death), death, 3 + r.nextInt(10), r);
                life.zone.enrollment(new Enrollment(p, Scheme.URBAN_RURAL_RESIDENT_PENSION, p.region(), null, start,
                        null), null);
            });
        }
    }

    private void contributionInMonthOfDeath() {
        SplittableRandom r = rng.split();
        Person p = worker();
        YearMonth month = StudyPeriod.month(r, YearMonth.of(2024, 4), YearMonth.of(2025, 10));
        LocalDate death = month.atDay(20 + r.nextInt(9));
        truth.noFlag(ACTIVITY_AFTER_DEATH, SourceFamily.CONTRIBUTION, PERSON, p.nationalId(), FieldText.period(month),
                "died " + death + "; the last contribution is for the month of death " + month + ", none after");
        add(life -> {
            life.registryDeath(p, FieldText.compact(death), death, 3 + r.nextInt(10), r);
            life.employment(p, employer(p, r), wage(r), careerStart(r), month.atEndOfMonth(), null, null);
        });
    }

    // ---- enrollment overlaps ----------------------------------------------------------------------------------

    private void duplicateEnrollmentScheme() {
        SplittableRandom r = rng.split();
        Person p = worker();
        LocalDate residentStart = StudyPeriod.month(r, YearMonth.of(2024, 3), YearMonth.of(2025, 6)).atDay(1);
        truth.flag(DUPLICATE_ENROLLMENT_SCHEME, SourceFamily.ENROLLMENT, PERSON, p.nationalId(),
                FieldText.period(YearMonth.from(residentStart), StudyPeriod.LAST), null,
                "covered by employee_pension (open) and by urban_rural_resident_pension from " + residentStart);
        add(life -> {
            life.registryAlive(p, r, false);
            life.employment(p, employer(p, r), wage(r), careerStart(r), null, null, null);
            life.zone.enrollment(new Enrollment(p, Scheme.URBAN_RURAL_RESIDENT_PENSION, p.region(), null,
                    residentStart, null), null);
            Population.residentContributions(life, p, r, residentStart);
        });
    }

    private void schemeSwitch() {
        SplittableRandom r = rng.split();
        Person p = worker();
        LocalDate jobStart = StudyPeriod.month(r, YearMonth.of(2024, 4), YearMonth.of(2025, 6)).atDay(1);
        truth.noFlag(DUPLICATE_ENROLLMENT_SCHEME, SourceFamily.ENROLLMENT, PERSON, p.nationalId(),
                FieldText.period(YearMonth.from(jobStart)),
                "switched from urban_rural_resident_pension (ended " + jobStart.minusDays(1)
                        + ") to employee_pension (from " + jobStart + "); no overlap");
        add(life -> {
            life.registryAlive(p, r, false);
            life.zone.enrollment(new Enrollment(p, Scheme.URBAN_RURAL_RESIDENT_PENSION, p.region(), null,
                    LocalDate.of(2016, 1, 1), jobStart.minusDays(1)), null);
            if (jobStart.isAfter(LocalDate.of(2024, 3, 31))) {
                life.zone.contribution(new Contribution(p, Scheme.URBAN_RURAL_RESIDENT_PENSION,
                        IdentityPool.streetOffice(p.region()), p.region(), YearMonth.of(2024, 3), 50_000, 50_000,
                        3_000), null);
            }
            life.employment(p, employer(p, r), wage(r), jobStart, null, null, null);
        });
    }

    /**
     * overlapKind -1: the old region's coverage stays open (flag); 0: clean transfer; 1: exactly one month of
     * overlap (both trap: not more than one month).
     */
    private void regionOverlap(int overlapKind) {
        SplittableRandom r = rng.split();
        Person p = worker();
        String newRegion = StudyPeriod.REGIONS.get((StudyPeriod.regionIndex(p.region()) + 1 + r.nextInt(4)) % 5);
        YearMonth moved = StudyPeriod.month(r, YearMonth.of(2024, 3), YearMonth.of(2025, 5));
        LocalDate oldEnd = switch (overlapKind) {
            case -1 -> null;
            case 0 -> moved.atDay(1).minusDays(1);
            default -> moved.atEndOfMonth();
        };
        String what = "employee_pension in " + p.region() + " from 2016 and in " + newRegion + " from "
                + moved.atDay(1);
        if (overlapKind == -1) {
            truth.flag(DUPLICATE_ENROLLMENT_REGION, SourceFamily.ENROLLMENT, PERSON, p.nationalId(),
                    FieldText.period(moved, StudyPeriod.LAST), null,
                    what + "; the old coverage was never closed ("
                            + (moved.until(StudyPeriod.LAST, ChronoUnit.MONTHS) + 1) + " months of overlap)");
        } else {
            truth.noFlag(DUPLICATE_ENROLLMENT_REGION, SourceFamily.ENROLLMENT, PERSON, p.nationalId(),
                    FieldText.period(moved), what + (overlapKind == 0
                            ? "; transfer: old coverage ended " + oldEnd + ", no overlap"
                            : "; transfer: old coverage ended " + oldEnd + ", overlap of exactly one month"));
        }
        add(life -> {
            life.registryAlive(p, r, false);
            LocalDate start = LocalDate.of(2016, 1 + r.nextInt(12), 1);
            String oldEmployer = employer(p, r);
            String newEmployer = pool.employer(newRegion, r.nextInt(20));
            life.zone.enrollment(new Enrollment(p, Scheme.EMPLOYEE_PENSION, p.region(), oldEmployer, start, oldEnd),
                    null);
            life.zone.enrollment(new Enrollment(p, Scheme.EMPLOYEE_PENSION, newRegion, newEmployer, moved.atDay(1),
                    null), null);
            long wage = wage(r);
            life.contributions(p, oldEmployer, p.region(), wage, StudyPeriod.FIRST, moved.minusMonths(1), false,
                    null, null);
            life.contributions(p, newEmployer, newRegion, wage, moved, StudyPeriod.LAST, false, null, null);
        });
    }

    // ---- payments -------------------------------------------------------------------------------------------

    private void duplicatePayment() {
        SplittableRandom r = rng.split();
        Person p = pensioner();
        long base = pensionBase();
        YearMonth twice = StudyPeriod.month(r, StudyPeriod.FIRST, StudyPeriod.LAST);
        LocalDate again = twice.atDay(13 + r.nextInt(10));
        truth.flag(DUPLICATE_PAYMENT, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(), FieldText.period(twice),
                null, "employee_pension basic_pension for " + twice + " paid twice (again on " + again
                        + ", different payment id)");
        add(life -> {
            life.registryAlive(p, r, false);
            retiredCoverage(life, p, r);
            List<Payment> pensions = LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST,
                    StudyPeriod.LAST, 10, 0);
            for (Payment pay : pensions) {
                life.zone.payment(pay, null);
                if (pay.month().equals(twice)) {
                    life.zone.payment(pay.withPaymentDate(again), null);
                }
            }
        });
    }

    private void benefitWhileEmployed(boolean trap) {
        SplittableRandom r = rng.split();
        Person p = worker();
        YearMonth lastContribution = StudyPeriod.month(r, YearMonth.of(2024, 9), YearMonth.of(2025, 6));
        YearMonth benefitFrom = trap ? lastContribution.plusMonths(1) : lastContribution.minusMonths(1 + r.nextInt(3));
        YearMonth benefitTo = StudyPeriod.min(benefitFrom.plusMonths(5), StudyPeriod.LAST);
        if (trap) {
            truth.noFlag(BENEFIT_WHILE_EMPLOYED, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                    FieldText.period(benefitFrom, benefitTo), "employee_pension contributions stopped after "
                            + lastContribution + "; unemployment benefit starts the month after");
        } else {
            truth.flag(BENEFIT_WHILE_EMPLOYED, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                    FieldText.period(benefitFrom, lastContribution), null,
                    "unemployment benefit from " + benefitFrom + " while employee_pension contributions were paid up to "
                            + lastContribution);
        }
        long cents = 150_000 + r.nextInt(100_001);
        add(life -> {
            life.registryAlive(p, r, false);
            life.employment(p, employer(p, r), wage(r), careerStart(r), lastContribution.atEndOfMonth(), null, null);
            life.pay(LifeEvents.monthlyBenefit(p, Scheme.UNEMPLOYMENT, DepartmentCodes.UNEMPLOYMENT_BENEFIT, cents,
                    benefitFrom, benefitTo, 15, null));
        });
    }

    private void claimOutsideCoverage(boolean afterEnd) {
        SplittableRandom r = rng.split();
        Person p = worker();
        long cents = 250_000 + r.nextInt(350_001);
        if (afterEnd) {
            YearMonth lastMonth = StudyPeriod.month(r, YearMonth.of(2024, 3), YearMonth.of(2025, 3));
            LocalDate end = lastMonth.atEndOfMonth();
            LocalDate accident = end.plusDays(10 + r.nextInt(31));
            YearMonth first = YearMonth.from(accident).plusMonths(1);
            truth.flag(CLAIM_BEFORE_COVERAGE, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                    FieldText.period(YearMonth.from(accident)), null,
                    "work-injury accident on " + accident + ", after work_injury coverage ended " + end);
            add(life -> {
                life.registryAlive(p, r, false);
                life.employment(p, employer(p, r), wage(r), careerStart(r), end, null, null);
                life.pay(LifeEvents.monthlyBenefit(p, Scheme.WORK_INJURY, DepartmentCodes.INJURY_ALLOWANCE, cents,
                        first, first.plusMonths(2), 20, accident));
            });
        } else {
            LocalDate start = StudyPeriod.month(r, YearMonth.of(2024, 4), YearMonth.of(2025, 3)).atDay(1);
            LocalDate accident = start.minusDays(5 + r.nextInt(56));
            truth.flag(CLAIM_BEFORE_COVERAGE, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                    FieldText.period(YearMonth.from(accident)), null,
                    "work-injury accident on " + accident + ", before work_injury coverage started " + start);
            add(life -> {
                life.registryAlive(p, r, false);
                life.employment(p, employer(p, r), wage(r), start, null, null, null);
                life.pay(LifeEvents.monthlyBenefit(p, Scheme.WORK_INJURY, DepartmentCodes.INJURY_ALLOWANCE, cents,
                        YearMonth.from(start), YearMonth.from(start).plusMonths(2), 20, accident));
            });
        }
    }

    private void accidentOnFirstDayOfCoverage() {
        SplittableRandom r = rng.split();
        Person p = worker();
        long cents = 250_000 + r.nextInt(350_001);
        LocalDate start = StudyPeriod.month(r, YearMonth.of(2024, 4), YearMonth.of(2025, 3)).atDay(1);
        truth.noFlag(CLAIM_BEFORE_COVERAGE, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                FieldText.period(YearMonth.from(start)),
                "work-injury accident on " + start + ", the day work_injury coverage started");
        add(life -> {
            life.registryAlive(p, r, false);
            life.employment(p, employer(p, r), wage(r), start, null, null, null);
            YearMonth first = YearMonth.from(start).plusMonths(1);
            life.pay(LifeEvents.monthlyBenefit(p, Scheme.WORK_INJURY, DepartmentCodes.INJURY_ALLOWANCE, cents, first,
                    first.plusMonths(2), 20, start));
        });
    }

    private void sharedAccount(int members, boolean flag) {
        SplittableRandom r = rng.split();
        String account = pool.spareAccount();
        String region = StudyPeriod.region(rng);
        List<Person> payees = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            payees.add(pensioner(region).withAccount(account));
        }
        String ids = payees.stream().map(Person::nationalId).collect(Collectors.joining(" "));
        if (flag) {
            truth.flag(SHARED_BANK_ACCOUNT, SourceFamily.BENEFIT_PAYMENT, ACCOUNT, account,
                    FieldText.period(StudyPeriod.FIRST, StudyPeriod.LAST), null,
                    "pensions of " + members + " unrelated persons paid into one account: " + ids);
        } else {
            truth.noFlag(SHARED_BANK_ACCOUNT, SourceFamily.BENEFIT_PAYMENT, ACCOUNT, account,
                    FieldText.period(StudyPeriod.FIRST, StudyPeriod.LAST),
                    "a couple's two pensions paid into their joint account: " + ids);
        }
        List<Long> bases = payees.stream().map(x -> pensionBase()).toList();
        add(life -> {
            for (int m = 0; m < payees.size(); m++) {
                Person p = payees.get(m);
                life.registryAlive(p, r, false);
                retiredCoverage(life, p, r);
                life.pay(LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, bases.get(m), StudyPeriod.FIRST,
                        StudyPeriod.LAST, 10, 0));
            }
        });
    }

    // ---- identity -------------------------------------------------------------------------------------------

    private void identityConflict(boolean sex) {
        SplittableRandom r = rng.split();
        Person p = pensioner();
        long base = pensionBase();
        LocalDate registered = p.birth().plusDays((r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(200)));
        String what = sex
                ? "registry XB says " + (p.male() ? "female (2)" : "male (1)") + " but the id's sequence digit says "
                        + (p.male() ? "male" : "female")
                : "registry CSRQ " + FieldText.compact(registered) + " differs from the birth date "
                        + FieldText.compact(p.birth()) + " in the id";
        truth.flag(IDENTITY_CONFLICT, SourceFamily.CIVIL_REGISTRY, PERSON, p.nationalId(), "", null,
                what + "; the person receives a pension");
        add(life -> {
            RegistryRecord rec = RegistryRecord.alive(p, StudyPeriod.at(r, LocalDate.of(2018, 4, 2)));
            life.zone.registry(sex ? rec.withSex(p.male() ? "2" : "1") : rec.withBirth(FieldText.compact(registered)),
                    false, null);
            retiredCoverage(life, p, r);
            life.pay(LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST, StudyPeriod.LAST, 10, 0));
        });
    }

    private void payeeUnknownToRegistry() {
        SplittableRandom r = rng.split();
        Person p = pensioner();
        long base = pensionBase();
        YearMonth from = StudyPeriod.month(r, YearMonth.of(2024, 3), YearMonth.of(2025, 6));
        truth.flag(PAYEE_UNKNOWN_TO_REGISTRY, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(),
                FieldText.period(from, StudyPeriod.LAST), null,
                "pension paid to a valid identity number the civil registry does not contain");
        add(life -> life.pay(LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, from, StudyPeriod.LAST, 10, 0)));
    }

    /** The kinds of second identity planted, each at least once: see {@link #duplicateIdentity(int)}. */
    static final int DUPLICATE_IDENTITY_KINDS = 5;

    /**
     * One person under two identity numbers, both paid a pension: 0 the same name, birth date and region registered
     * under a second number; 1 the second registration's name written with a homophone (王伟/王玮); 2 a second
     * registration in another region (another number, region part included); 3 a retyped digit: the enrollment
     * and the payments carry the person's number with one digit retyped (check character recomputed), a number the
     * registry never had; 4 a ghost: a made-up valid number in the enrollment and the payments only. Kinds 3 and 4
     * are also payees unknown to the registry.
     */
    private void duplicateIdentity(int kind) {
        SplittableRandom r = rng.split();
        Person first = pensioner();
        while (kind == 1 && ChineseNames.homophone(first.name()) == null) {
            first = pensioner();
        }
        long index = nextIndex();
        String region = first.region();
        if (kind == 2) {
            List<String> others = new ArrayList<>(StudyPeriod.REGIONS);
            others.remove(first.region());
            region = others.get(rng.nextInt(others.size()));
        }
        String number = kind == 3 ? pool.retypedNumber(first, rng)
                : pool.identityNumber(region, first.birth(), first.male(), rng);
        String name = kind == 1 ? ChineseNames.homophone(first.name()) : first.name();
        Person second = new Person(index, number, name, first.male(), first.birth(), region, pool.account(index));
        Person one = first;
        long base = pensionBase();
        YearMonth from = StudyPeriod.month(r, YearMonth.of(2024, 2), YearMonth.of(2025, 3));
        String how = switch (kind) {
            case 0 -> "is registered under two identity numbers";
            case 1 -> "is registered a second time as " + name + " (a homophone, the same pinyin)";
            case 2 -> "is registered a second time in region " + region + " under number " + number;
            case 3 -> "is enrolled and paid a second time under " + number
                    + ", the number with one digit retyped, which the registry does not know";
            default -> "has a ghost identity " + number + ", a made-up number only the insurance agency and the"
                    + " benefits office know";
        };
        truth.flag(DUPLICATE_IDENTITY, SourceFamily.CIVIL_REGISTRY, PERSON_PAIR, pair(first, second),
                FieldText.period(from, StudyPeriod.LAST), null,
                first.name() + " born " + first.birth() + " in " + first.region() + " " + how
                        + "; a pension is paid under both");
        boolean registered = kind <= 2;
        if (!registered) {
            truth.flag(PAYEE_UNKNOWN_TO_REGISTRY, SourceFamily.BENEFIT_PAYMENT, PERSON, number,
                    FieldText.period(from, StudyPeriod.LAST), null,
                    "pension paid to " + number + ", which the civil registry does not contain: " + first.name()
                            + "'s second identity");
        }
        add(life -> {
            life.registryAlive(one, r, false);
            if (registered) {
                life.registryAlive(second, r, false);
            }
            retiredCoverage(life, one, r);
            retiredCoverage(life, second, r);
            life.pay(LifeEvents.pensions(one, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST, StudyPeriod.LAST, 10,
                    0));
            life.pay(LifeEvents.pensions(second, Scheme.EMPLOYEE_PENSION, base, from, StudyPeriod.LAST, 10, 0));
        });
    }

    private void twins() {
        SplittableRandom r = rng.split();
        Person first = pensioner();
        long index = nextIndex();
        boolean male = rng.nextBoolean();
        Person second = new Person(index, pool.identityNumber(first.region(), first.birth(), male, rng),
                pool.names().twinName(first.index(), lastIndex, rng), male, first.birth(), first.region(),
                pool.account(index));
        long base1 = pensionBase();
        long base2 = pensionBase();
        truth.noFlag(DUPLICATE_IDENTITY, SourceFamily.CIVIL_REGISTRY, PERSON_PAIR, pair(first, second), "",
                "twins " + first.name() + " and " + second.name() + ", both born " + first.birth() + " in "
                        + first.region() + ": same surname and birth date, different given names");
        add(life -> {
            life.registryAlive(first, r, false);
            life.registryAlive(second, r, false);
            retiredCoverage(life, first, r);
            retiredCoverage(life, second, r);
            life.pay(LifeEvents.pensions(first, Scheme.EMPLOYEE_PENSION, base1, StudyPeriod.FIRST, StudyPeriod.LAST, 10,
                    0));
            life.pay(LifeEvents.pensions(second, Scheme.EMPLOYEE_PENSION, base2, StudyPeriod.FIRST, StudyPeriod.LAST,
                    10, 0));
        });
    }

    private void amountOutlier() {
        SplittableRandom r = rng.split();
        Person p = pensioner();
        long base = pensionBase();
        YearMonth month = StudyPeriod.month(r, StudyPeriod.FIRST, StudyPeriod.LAST);
        // 15-30 times a typical pension of 4,000: at least ten times the largest normal pension (6,180)
        long cents = 400_000L * (15 + r.nextInt(16)) + r.nextInt(100) * 100L;
        truth.flag(AMOUNT_OUTLIER, SourceFamily.BENEFIT_PAYMENT, PERSON, p.nationalId(), FieldText.period(month), null,
                "employee_pension basic_pension of " + FieldText.amount(cents, true) + " for " + month + " in "
                        + p.region() + "; the person's usual pension is "
                        + FieldText.amount(LifeEvents.pensionCents(base, month), true));
        add(life -> {
            life.registryAlive(p, r, false);
            retiredCoverage(life, p, r);
            for (Payment pay : LifeEvents.pensions(p, Scheme.EMPLOYEE_PENSION, base, StudyPeriod.FIRST,
                    StudyPeriod.LAST, 10, 0)) {
                life.zone.payment(pay.month().equals(month) ? pay.withCents(cents) : pay, null);
            }
        });
    }

    // ---- building blocks ------------------------------------------------------------------------------------

    private void add(java.util.function.Consumer<LifeEvents> history) {
        cases.add(new PlantedCase(rng.nextInt(persons), history));
    }

    private long nextIndex() {
        if (nextIndex >= lastIndex) {
            throw new IllegalStateException("more planted persons than the reserve of " + reserve(persons));
        }
        return nextIndex++;
    }

    private Person pensioner() {
        return pensioner(StudyPeriod.region(rng));
    }

    private Person pensioner(String region) {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1940, 1, 1), LocalDate.of(1960, 12, 31));
        return pool.person(nextIndex(), region, birth, rng.nextBoolean(), rng);
    }

    private Person worker() {
        LocalDate birth = StudyPeriod.day(rng, LocalDate.of(1970, 1, 1), LocalDate.of(1995, 12, 31));
        return pool.person(nextIndex(), StudyPeriod.region(rng), birth, rng.nextBoolean(), rng);
    }

    private long pensionBase() {
        return 200_000 + rng.nextInt(400_001);
    }

    private String employer(Person p, SplittableRandom r) {
        return pool.employer(p.region(), r.nextInt(20));
    }

    private static long wage(SplittableRandom r) {
        return 458_800 + r.nextInt(2_000_000);
    }

    private static LocalDate careerStart(SplittableRandom r) {
        return LocalDate.of(2014 + r.nextInt(8), 1 + r.nextInt(12), 1);
    }

    private void retiredCoverage(LifeEvents life, Person p, SplittableRandom r) {
        LocalDate retired = p.birth().plusYears(60).plusMonths(1).withDayOfMonth(1);
        life.retiredCoverage(p, pool.employer(p.region(), r.nextInt(20)),
                p.birth().plusYears(22).withDayOfMonth(1), retired);
    }

    private static String pair(Person a, Person b) {
        return a.nationalId().compareTo(b.nationalId()) < 0
                ? a.nationalId() + "|" + b.nationalId()
                : b.nationalId() + "|" + a.nationalId();
    }
}
