package org.crosscheck.generate;

import java.time.YearMonth;

import org.crosscheck.core.Scheme;

/** One month's contribution of one person to one scheme, amounts in cents. */
record Contribution(Person person, Scheme scheme, String employerId, String region, YearMonth month, long baseCents,
                    long employeeCents, long employerCents) {
}
