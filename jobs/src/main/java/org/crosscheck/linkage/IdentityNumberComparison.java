package org.crosscheck.linkage;


/**
 * Identity numbers: equal; one digit apart ({@code IdentityNumberOneDigitApart}); two adjacent digits swapped
 * ({@code IdentityNumberDigitsTransposed}); the same region and birth-date part ({@code
 * IdentityNumberSameRegionAndBirthPart}, the first {@code regionDigits + birthDigits} characters); the region part
 * only; differ. With {@code checkCharacter} the last character is left out of the one-digit and transposition tests,
 * since a retyped digit changes the check character too (a number whose check character was recomputed after the
 * typo passes validation). {@code regionDigits = birthDigits = 0} (FEBRL's social security ids) leaves those levels
 * out.
 */
public final class IdentityNumberComparison extends ColumnComparison {
    private final int regionDigits;
    private final int birthDigits;
    private final boolean checkCharacter;
    private final int sameRegionAndBirth;
    private final int regionOnly;

    public IdentityNumberComparison(String column, int regionDigits, int birthDigits, boolean checkCharacter) {
        super("identity_number", column);
        this.regionDigits = regionDigits;
        this.birthDigits = birthDigits;
        this.checkCharacter = checkCharacter;
        addLevel("IdentityNumberMissing", "an identity number is missing");
        addLevel("IdentityNumbersEqual", "identity numbers equal");
        addLevel("IdentityNumberOneDigitApart", "identity numbers differ in one digit");
        addLevel("IdentityNumberDigitsTransposed", "identity numbers differ by two swapped digits");
        if (birthDigits > 0) {
            sameRegionAndBirth = addLevel("IdentityNumberSameRegionAndBirthPart", "identity numbers share the region and birth-date part");
        } else {
            sameRegionAndBirth = -1;
        }
        if (regionDigits > 0) {
            regionOnly = addLevel("IdentityNumberRegionPartOnly", "identity numbers share only the region part");
        } else {
            regionOnly = -1;
        }
        addLevel("IdentityNumbersDiffer", "identity numbers differ");
    }

    @Override
    public int level(PairValues pair) {
        String a = pair.left(column);
        String b = pair.right(column);
        if (a == null || b == null) {
            return 0;
        }
        if (a.equals(b)) {
            return 1;
        }
        String bodyA = body(a);
        String bodyB = body(b);
        if (StringSimilarity.oneSubstitutionApart(bodyA, bodyB) || (checkCharacter && bodyA.equals(bodyB))) {
            return 2;
        }
        if (StringSimilarity.adjacentTransposition(bodyA, bodyB)) {
            return 3;
        }
        int prefix = regionDigits + birthDigits;
        if (sameRegionAndBirth > 0 && a.length() >= prefix && b.length() >= prefix
                && a.regionMatches(0, b, 0, prefix)) {
            return sameRegionAndBirth;
        }
        if (regionOnly > 0 && a.length() >= regionDigits && b.length() >= regionDigits
                && a.regionMatches(0, b, 0, regionDigits)) {
            return regionOnly;
        }
        return levels().size() - 1;
    }

    private String body(String id) {
        return checkCharacter && id.length() > 1 ? id.substring(0, id.length() - 1) : id;
    }
}
