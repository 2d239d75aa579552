package org.crosscheck.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The comparisons' levels on hand-made pairs (plain JUnit, no Spark). */
class ComparisonLevelsTest {
    private static final IdentityNumberComparison ID = new IdentityNumberComparison("id", 6, 8, true);
    private static final NameComparison NAME = new NameComparison("name", "name_pinyin", "surname", 0.9, 0.85);
    private static final BirthDateComparison BIRTH = new BirthDateComparison("birth", 31);

    private static String level(Comparison c, String column, String a, String b) {
        return c.levels().get(c.level(pair(column, a, b))).name();
    }

    private static PairValues pair(String column, String a, String b) {
        Map<String, String> l = new HashMap<>();
        Map<String, String> r = new HashMap<>();
        l.put(column, a);
        r.put(column, b);
        return PairValues.of(l, r);
    }

    private static String nameLevel(String a, String b) {
        Map<String, String> l = Map.of("name", a, "name_pinyin", Pinyin.of(a), "surname", LinkageRecords.surname(a));
        Map<String, String> r = Map.of("name", b, "name_pinyin", Pinyin.of(b), "surname", LinkageRecords.surname(b));
        return NAME.levels().get(NAME.level(PairValues.of(l, r))).name();
    }

    @Test
    void identityNumberLevels() {
        assertEquals("IdentityNumbersEqual", level(ID, "id", "110101195803140021", "110101195803140021"));
        // one digit retyped; the check character recomputed (or not) does not matter
        assertEquals("IdentityNumberOneDigitApart", level(ID, "id", "110101195803140021", "110101195803170025"));
        assertEquals("IdentityNumberDigitsTransposed", level(ID, "id", "110101195803140021", "110101195830140021"));
        assertEquals("IdentityNumberSameRegionAndBirthPart", level(ID, "id", "110101195803140021", "110101195803147734"));
        assertEquals("IdentityNumberRegionPartOnly", level(ID, "id", "110101195803140021", "110101196201017734"));
        assertEquals("IdentityNumbersDiffer", level(ID, "id", "110101195803140021", "440104196201017734"));
        assertEquals("IdentityNumberMissing", level(ID, "id", "110101195803140021", null));
    }

    @Test
    void homophonesSoundTheSameAndTraditionalFormsToo() {
        assertEquals("wang wei", Pinyin.of("王伟"));
        assertEquals("NamesEqual", nameLevel("王伟", "王伟"));
        assertEquals("NamesSoundTheSame", nameLevel("张伟", "张玮"));
        assertEquals("NamesSoundTheSame", nameLevel("王静", "王靜"));
        assertEquals("SurnameOnly", nameLevel("李明", "李华"));
        assertEquals("NamesDiffer", nameLevel("李明", "赵华"));
    }

    @Test
    void latinNamesWork() {
        assertEquals("michaela", Pinyin.of("Michaela"));
        // a Latin-script name is its own "pinyin" (lower-cased letters), so a typo is a similar-pinyin level
        assertEquals("NamesSoundAlike", nameLevel("michaela neumann", "micheala neumann"));
        assertEquals("neumann", LinkageRecords.surname("michaela neumann"));
        assertEquals("欧阳", LinkageRecords.surname("欧阳娜娜"));
    }

    @Test
    void birthDateLevels() {
        assertEquals("BirthDatesEqual", level(BIRTH, "birth", "1958-03-04", "19580304"));
        assertEquals("BirthDateDayMonthSwapped", level(BIRTH, "birth", "1958-03-04", "1958-04-03"));
        assertEquals("BirthDateOneDigitApart", level(BIRTH, "birth", "1958-03-04", "1958-03-07"));
        assertEquals("BirthDatesWithinDays", level(BIRTH, "birth", "1958-03-04", "1958-03-21"));
        assertEquals("BirthDatesDiffer", level(BIRTH, "birth", "1958-03-04", "1961-08-21"));
        assertEquals("BirthDateMissing", level(BIRTH, "birth", "", "1961-08-21"));
        // an impossible date (FEBRL has some) compares as digits
        assertEquals("BirthDatesDiffer", level(BIRTH, "birth", "19581304", "19620899"));
    }

    @Test
    void stringLevelsAndExactMatch() {
        StringComparison street = new StringComparison("street", "s", "Street", "streets", true,
                new double[]{0.9, 0.7}, true);
        assertEquals("StreetEqual", level(street, "s", "stanley street", "stanley street"));
        assertEquals("StreetOneCharacterApart", level(street, "s", "stanley street", "stanlay street"));
        assertEquals("StreetJaroWinklerAtLeast0.90", level(street, "s", "stanley street", "stanley st"));
        assertEquals("StreetDiffer", level(street, "s", "stanley street", "pinkerton circuit"));
        assertEquals("s_tf", street.termFrequencyColumn(1));
        StringComparison region = StringComparison.exact("region", "r", "Region", "regions");
        assertEquals(List.of("RegionMissing", "RegionEqual", "RegionDiffer"),
                region.levels().stream().map(Comparison.Level::name).toList());
    }

    @Test
    void jaroWinklerKnownValues() {
        assertEquals(0.961, StringSimilarity.jaroWinkler("martha", "marhta"), 0.001);
        assertEquals(0.840, StringSimilarity.jaroWinkler("dwayne", "duane"), 0.001);
        assertEquals(1.0, StringSimilarity.jaroWinkler("", ""));
        assertTrue(StringSimilarity.adjacentTransposition("1234", "1324"));
    }

    @Test
    void emLearnsThatAgreementIsLikelierAmongMatches() {
        List<Comparison> cs = List.of(StringComparison.exact("a", "a", "A", "a"), StringComparison.exact("b", "b", "B", "b"));
        double[][] u = {{1, 0.01, 0.99}, {1, 0.05, 0.95}};
        // 100 pairs agree on both (matches), 900 on neither
        FellegiSunterModel m = FellegiSunterModel.train(cs, u, List.of(new int[]{1, 1}, new int[]{2, 2}),
                List.of(100L, 900L), 100, 0, Map.of());
        assertEquals(0.1, m.lambda(), 0.02);
        assertTrue(m.m(0, 1) > 0.95, "m of agreement " + m.m(0, 1));
        assertTrue(m.weight(0, 1) > 6 && m.weight(0, 2) < -3);
        // a common value agreeing is weaker evidence than a rare one
        assertTrue(m.weight(0, 1, 0.2) < m.weight(0, 1, 0.0001));
    }

    @Test
    void lambdaIsTheMatchProbabilityOfTwoRandomRecordsNotOfTwoCandidates() {
        List<Comparison> cs = List.of(StringComparison.exact("a", "a", "A", "a"), StringComparison.exact("b", "b", "B", "b"));
        double[][] u = {{1, 0.0001, 0.9999}, {1, 0.0002, 0.9998}};
        List<int[]> patterns = List.of(new int[]{1, 1}, new int[]{2, 2});
        List<Long> counts = List.of(100L, 900L);
        boolean[] fixesNothing = {false, false};
        FellegiSunterModel.RulePatterns rule = new FellegiSunterModel.RulePatterns("r", patterns, counts, fixesNothing);
        // 1,000 candidates out of 1,000,000 record pairs, 100 of them matches: lambda is 100 / 1,000,000, not 0.1
        FellegiSunterModel m = FellegiSunterModel.trainPerRule(cs, u, patterns, counts, List.of(rule), 1_000_000, 100,
                0, Map.of());
        assertEquals(1e-4, m.lambda(), 2e-5);
        assertEquals(1_000_000.0, (Double) m.training().get("record_pairs"));
        // agreement on both still links: prior -13.3, weights about +13.3 and +12.3
        assertTrue(FellegiSunterModel.probability(m.patternWeight(new int[]{1, 1}, null)) > 0.99);
        assertTrue(FellegiSunterModel.probability(m.patternWeight(new int[]{2, 2}, null)) < 0.001);
    }

    @Test
    void uLeavesOutTheRandomPairsTheModelTakesForMatches() {
        List<Comparison> cs = List.of(StringComparison.exact("a", "a", "A", "a"));
        // 10 of 1,000 random pairs agree; under a model that calls agreement a match they are left out of u
        List<int[]> patterns = List.of(new int[]{1}, new int[]{2});
        List<Long> counts = List.of(10L, 990L);
        double[][] plain = FellegiSunterModel.uFromPatterns(cs, patterns, counts, null);
        assertEquals(11.0 / 1002, plain[0][1], 1e-9);
        FellegiSunterModel sure = new FellegiSunterModel(0.5, new double[][]{{1, 0.999999, 0.000001}},
                new double[][]{{1, 0.000001, 0.999999}}, new double[]{Double.POSITIVE_INFINITY}, Map.of());
        double[][] corrected = FellegiSunterModel.uFromPatterns(cs, patterns, counts, sure);
        assertTrue(corrected[0][1] < 0.0011, "agreeing random pairs that are matches do not count: " + corrected[0][1]);
    }

    @Test
    void aComparisonThatPresumesNothingStartsFromTheRandomPairs() {
        StringComparison account = StringComparison.exact("acct", "acct", "Acct", "accounts");
        account.presumeAgreement(false);
        double[][] u = {{1, 0.001, 0.999}};
        double[] prior = FellegiSunterModel.randomPairPrior(u[0]);
        assertEquals(0.001, prior[1], 1e-9);
        // no data: m stays at u, so differing accounts weigh nothing (with agreement presumed: about -3.3)
        FellegiSunterModel none = FellegiSunterModel.train(List.of(account), u, List.of(new int[]{2}), List.of(1L), 50,
                100, Map.of());
        assertEquals(0.0, none.weight(0, 2), 0.05);
        StringComparison presumed = StringComparison.exact("acct", "acct", "Acct", "accounts");
        FellegiSunterModel some = FellegiSunterModel.train(List.of(presumed), u, List.of(new int[]{2}), List.of(1L), 50,
                100, Map.of());
        assertTrue(some.weight(0, 2) < -2, "presumed agreement: " + some.weight(0, 2));
        // names: "equal" and "sound the same" share the prior
        double[] names = NAME.agreementPrior();
        assertEquals(0.7, names[1], 1e-9);
        assertEquals(0.2, names[2], 1e-9);
    }
}
