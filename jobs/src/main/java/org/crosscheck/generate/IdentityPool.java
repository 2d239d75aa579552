package org.crosscheck.generate;

import java.time.LocalDate;
import java.util.BitSet;
import java.util.SplittableRandom;

import org.crosscheck.validate.IdentityNumber;

/**
 * Hands out identity numbers, names, bank accounts and employer ids that never collide by accident.
 * Identity numbers are tracked in a bit set over region × birth date × sequence (about 24 MB whatever the
 * population size); names and accounts are injective functions of the person index.
 */
final class IdentityPool {
    static final LocalDate FIRST_BIRTH = LocalDate.of(1920, 1, 1);
    private static final int DAYS = (int) (LocalDate.of(2026, 1, 1).toEpochDay() - FIRST_BIRTH.toEpochDay());
    private static final long ACCOUNT_SPACE = 1_000_000_000_000_000L; // 15 digits
    private static final long ACCOUNT_FACTOR = 1_000_003L; // coprime with 10, so the mapping is a bijection
    private static final long EMPLOYER_SPACE = 10_000_000_000L;
    private static final long EMPLOYER_FACTOR = 7_654_321L;
    private static final long SPARE_ACCOUNT_BASE = 50_000_000L;

    private final BitSet usedIds = new BitSet(StudyPeriod.REGIONS.size() * DAYS * 1000);
    private final ChineseNames names;
    private final long accountOffset;
    private final long employerOffset;
    private long spareAccounts;

    IdentityPool(long seed) {
        this.names = new ChineseNames(seed);
        this.accountOffset = Math.floorMod(seed * 0x9E3779B97F4A7C15L, ACCOUNT_SPACE);
        this.employerOffset = Math.floorMod(seed * 31L + 17L, EMPLOYER_SPACE);
    }

    ChineseNames names() {
        return names;
    }

    /** A new person with a fresh identity number, the name of {@code index} and their own bank account. */
    Person person(long index, String region, LocalDate birth, boolean male, SplittableRandom rng) {
        return new Person(index, identityNumber(region, birth, male, rng), names.nameOf(index), male, birth, region,
                account(index));
    }

    /** A valid identity number no other generated person has. */
    String identityNumber(String region, LocalDate birth, boolean male, SplittableRandom rng) {
        int r = StudyPeriod.regionIndex(region);
        long day = birth.toEpochDay() - FIRST_BIRTH.toEpochDay();
        if (day < 0 || day >= DAYS) {
            throw new IllegalArgumentException("birth date " + birth + " outside the generator's range");
        }
        int seq = rng.nextInt(500) * 2 + (male ? 1 : 0);
        for (int attempt = 0; attempt < 500; attempt++) {
            int bit = (int) (((long) r * DAYS + day) * 1000 + seq);
            if (!usedIds.get(bit)) {
                usedIds.set(bit);
                return IdentityNumber.build(region, birth, seq, male);
            }
            seq = (seq + 2) % 1000;
        }
        throw new IllegalStateException("all sequence numbers used for " + region + " " + birth);
    }

    /**
     * {@code p}'s identity number with one digit of the sequence part retyped (the tens digit, so the sex digit
     * stays) and the check character recomputed, as a clerk's typo that a system then "repaired" would give: a valid
     * number no other generated person has, one digit apart from {@code p}'s in its first 17 characters.
     */
    String retypedNumber(Person p, SplittableRandom rng) {
        int r = StudyPeriod.regionIndex(p.region());
        long day = p.birth().toEpochDay() - FIRST_BIRTH.toEpochDay();
        int seq = Integer.parseInt(p.nationalId().substring(14, 17));
        int tens = (seq / 10) % 10;
        int shift = 1 + rng.nextInt(9);
        for (int attempt = 0; attempt < 9; attempt++) {
            int newTens = (tens + shift + attempt) % 10;
            if (newTens == tens) {
                continue;
            }
            int retyped = seq - tens * 10 + newTens * 10;
            int bit = (int) (((long) r * DAYS + day) * 1000 + retyped);
            if (!usedIds.get(bit)) {
                usedIds.set(bit);
                return IdentityNumber.build(p.region(), p.birth(), retyped, p.male());
            }
        }
        throw new IllegalStateException("no free retyped number for " + p.nationalId());
    }

    /** The bank account of person {@code index}: 6222 followed by 15 digits, distinct for every index. */
    String account(long index) {
        long n = Math.floorMod(Math.addExact(Math.multiplyExact(index, ACCOUNT_FACTOR) % ACCOUNT_SPACE, accountOffset),
                ACCOUNT_SPACE);
        return "6222" + pad(n, 15);
    }

    /** An account that belongs to no generated person (shared accounts of planted cases). */
    String spareAccount() {
        return account(SPARE_ACCOUNT_BASE + spareAccounts++);
    }

    /** A unified social credit code style employer id: 91, the region and ten digits. */
    String employer(String region, long number) {
        long k = StudyPeriod.regionIndex(region) * 100_000_000L + number;
        long n = Math.floorMod(Math.multiplyExact(k, EMPLOYER_FACTOR) + employerOffset, EMPLOYER_SPACE);
        return "91" + region + pad(n, 10);
    }

    /** The street office that collects resident pension contributions (an institution code starting with 12). */
    static String streetOffice(String region) {
        return "12" + region + "0000000001";
    }

    static String pad(long n, int width) {
        String s = Long.toString(n);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
