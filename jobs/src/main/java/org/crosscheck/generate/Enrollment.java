package org.crosscheck.generate;

import java.time.LocalDate;

import org.crosscheck.core.Scheme;

/** One coverage period of one person in one scheme and region; {@code end} null means still open. */
record Enrollment(Person person, Scheme scheme, String region, String employerId, LocalDate start, LocalDate end) {
}
