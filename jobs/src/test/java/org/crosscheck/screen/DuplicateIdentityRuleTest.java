package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.crosscheck.validate.IdentityNumber;
import org.junit.jupiter.api.Test;

class DuplicateIdentityRuleTest extends RuleFixtureTest {
    private static final String RULE = "duplicate_identity";
    private static final LocalDate BIRTH = LocalDate.of(1958, 3, 14);
    private final String first = IdentityNumber.build(CleanFixtures.REGION, BIRTH, 21, true);
    private final String second = IdentityNumber.build(CleanFixtures.REGION, BIRTH, 77, true);

    /** Pensions to both numbers: the first from 2025-01, the second (the later one) from 2025-03, to 2025-04. */
    private CleanFixtures paidUnderBoth(String secondName, String secondRegion) {
        CleanFixtures f = new CleanFixtures().named(first, "王建国", CleanFixtures.REGION)
                .named(second, secondName, secondRegion);
        for (int m = 1; m <= 4; m++) {
            f.pension("A" + m, first, "2025-0" + m, "2025-0" + m + "-10", "3000.00");
        }
        for (int m = 3; m <= 4; m++) {
            f.pension("B" + m, second, "2025-0" + m, "2025-0" + m + "-10", "2800.00");
        }
        return f;
    }

    @Test
    void sameNameBirthDateAndSexUnderTwoNumbersBothPaidIsFlagged() {
        // spaces around the name do not matter: names are compared normalised
        List<Row> rows = findings(RULE, paidUnderBoth(" 王建国 ", CleanFixtures.REGION));
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        String a = first.compareTo(second) < 0 ? first : second;
        String b = first.compareTo(second) < 0 ? second : first;
        assertEquals("person_pair", str(r, "subject_type"));
        assertEquals(a + "|" + b, str(r, "subject_id"));
        assertEquals("high", str(r, "severity"));
        assertEquals("2025-03..2025-04", str(r, "period"));
        assertEquals("5600.00", amount(r)); // the later identity's two pensions for the common months
        assertEquals("王建国, born 1958-03-14, is in the civil registry under two identity numbers, " + a + " and " + b
                + ", with the same name, birth date and sex, and benefits were paid to both numbers for 2 months,"
                + " 2025-03..2025-04. The number whose payments started later, " + second + ", received 5,600.00"
                + " for those months. Check whether these are one person or two.", str(r, "explanation"));
        String evidence = str(r, "evidence");
        assertTrue(evidence.contains("\"payment_id\":\"B3\"") && evidence.contains("\"payment_id\":\"B4\""), evidence);
        assertTrue(!evidence.contains("\"payment_id\":\"A1\""), evidence);
    }

    @Test
    void twinsWithOtherGivenNamesAreNotFlagged() {
        assertEquals(List.of(), findings(RULE, paidUnderBoth("王建军", CleanFixtures.REGION)));
    }

    @Test
    void otherRegionOnlyWhenAllowed() {
        CleanFixtures f = paidUnderBoth("王建国", "440106");
        assertEquals(List.of(), findings(RULE, f));
        assertEquals(1, findings(RULE, Map.of("same_region_only", false), f).size());
    }

    @Test
    void noCommonPaidMonthIsNotFlagged() {
        CleanFixtures f = new CleanFixtures().named(first, "王建国", CleanFixtures.REGION)
                .named(second, "王建国", CleanFixtures.REGION)
                .pension("A1", first, "2025-01", "2025-01-10", "3000.00")
                .pension("B2", second, "2025-02", "2025-02-10", "3000.00");
        assertEquals(List.of(), findings(RULE, f));
    }

    @Test
    void otherSexOrBirthDateIsNotFlagged() {
        String woman = IdentityNumber.build(CleanFixtures.REGION, BIRTH, 40, false);
        String otherDay = IdentityNumber.build(CleanFixtures.REGION, BIRTH.plusDays(1), 21, true);
        CleanFixtures f = new CleanFixtures().named(first, "王建国", CleanFixtures.REGION)
                .named(woman, "王建国", CleanFixtures.REGION)
                .named(otherDay, "王建国", CleanFixtures.REGION)
                .pension("A1", first, "2025-01", "2025-01-10", "3000.00")
                .pension("W1", woman, "2025-01", "2025-01-10", "3000.00")
                .pension("D1", otherDay, "2025-01", "2025-01-10", "3000.00");
        assertEquals(List.of(), findings(RULE, f));
    }
}
