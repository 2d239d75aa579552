package org.crosscheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class IdentityNumberTest {

    @Test
    void publishedVectorsAreValid() {
        assertTrue(IdentityNumber.isValidChecksum("11010519491231002X"));
        assertTrue(IdentityNumber.isValidChecksum("440524188001010014"));
    }

    @Test
    void lowerCaseXIsNormalised() {
        assertEquals("11010519491231002X", IdentityNumber.normalise(" 11010519491231002x "));
        assertTrue(IdentityNumber.isValidChecksum("11010519491231002x"));
    }

    @Test
    void wrongCheckCharacterIsInvalid() {
        assertFalse(IdentityNumber.isValidChecksum("110105194912310021"));
        assertFalse(IdentityNumber.isValidChecksum("440524188001010015"));
    }

    @Test
    void wrongLengthOrLettersAreInvalid() {
        assertFalse(IdentityNumber.isValidChecksum("1101051949123100"));
        assertFalse(IdentityNumber.isValidChecksum("11010519491231A02X"));
        assertFalse(IdentityNumber.isValidChecksum(null));
        assertFalse(IdentityNumber.isValidChecksum(""));
    }

    @Test
    void legacyFifteenDigitNumberIsUpgradedWithCentury19() {
        // 15-digit form of 110105491231002: region 110105, born 491231, sequence 002
        String upgraded = IdentityNumber.normalise("110105491231002");
        assertEquals("11010519491231002X", upgraded);
        assertTrue(IdentityNumber.isValidChecksum(upgraded));
    }

    @Test
    void embeddedBirthDateAndSex() {
        assertEquals(Optional.of(LocalDate.of(1949, 12, 31)), IdentityNumber.birthDate("11010519491231002X"));
        assertEquals(Optional.of("F"), IdentityNumber.sex("11010519491231002X"));
        assertEquals(Optional.of("M"), IdentityNumber.sex("440524188001010014"));
    }

    @Test
    void impossibleEmbeddedBirthDateIsEmpty() {
        String first17 = "11010519490231002";
        String id = first17 + IdentityNumber.checkCharacter(first17);
        assertTrue(IdentityNumber.isValidChecksum(id));
        assertEquals(Optional.empty(), IdentityNumber.birthDate(id));
    }

    @Test
    void builtNumbersAreValidAndCarryTheirParts() {
        for (int seq = 0; seq < 1000; seq += 37) {
            for (boolean male : new boolean[] {true, false}) {
                String id = IdentityNumber.build("440106", LocalDate.of(1960, 2, 29), seq, male);
                assertTrue(IdentityNumber.isValidChecksum(id), id);
                assertEquals(Optional.of(male ? "M" : "F"), IdentityNumber.sex(id));
                assertEquals(Optional.of(LocalDate.of(1960, 2, 29)), IdentityNumber.birthDate(id));
            }
        }
    }
}
