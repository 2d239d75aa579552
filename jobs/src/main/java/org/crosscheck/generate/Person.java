package org.crosscheck.generate;

import java.time.LocalDate;

/**
 * One generated person as the registry knows them.
 *
 * @param index       position in the name and account sequences (unique per person)
 * @param region      6-digit region code of residence; the identity number starts with it
 * @param bankAccount the person's own account for benefit payments
 */
record Person(long index, String nationalId, String name, boolean male, LocalDate birth, String region,
              String bankAccount) {

    /** GB/T 2261.1 sex code. */
    String sexCode() {
        return male ? "1" : "2";
    }

    Person withAccount(String account) {
        return new Person(index, nationalId, name, male, birth, region, account);
    }

    Person inRegion(String otherRegion) {
        return new Person(index, nationalId, name, male, birth, otherRegion, bankAccount);
    }
}
