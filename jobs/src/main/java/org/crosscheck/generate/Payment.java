package org.crosscheck.generate;

import java.time.LocalDate;
import java.time.YearMonth;

import org.crosscheck.core.Scheme;

/**
 * One benefit payment; the payment id is assigned when it is written. {@code eventDate} (the accident date of a
 * work-injury claim) may be null.
 */
record Payment(Person payee, Scheme scheme, String benefitType, String region, LocalDate periodStart,
               LocalDate periodEnd, LocalDate paymentDate, long cents, String bankAccount, LocalDate eventDate) {

    /** A payment covering one calendar month, into the payee's own account. */
    static Payment monthly(Person p, Scheme scheme, String benefitType, YearMonth month, LocalDate paidOn, long cents) {
        return new Payment(p, scheme, benefitType, p.region(), month.atDay(1), month.atEndOfMonth(), paidOn, cents,
                p.bankAccount(), null);
    }

    YearMonth month() {
        return YearMonth.from(periodStart);
    }

    Payment withCents(long other) {
        return new Payment(payee, scheme, benefitType, region, periodStart, periodEnd, paymentDate, other, bankAccount,
                eventDate);
    }

    Payment withPaymentDate(LocalDate other) {
        return new Payment(payee, scheme, benefitType, region, periodStart, periodEnd, other, cents, bankAccount,
                eventDate);
    }

    Payment withEventDate(LocalDate other) {
        return new Payment(payee, scheme, benefitType, region, periodStart, periodEnd, paymentDate, cents, bankAccount,
                other);
    }
}
