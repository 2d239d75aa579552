package org.crosscheck.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crosscheck.linkage.DuplicateIdentityRule;
import org.crosscheck.linkage.LinkagePipeline;
import org.crosscheck.linkage.PersonClusters;
import org.crosscheck.validate.IdentityNumber;
import org.junit.jupiter.api.Test;

/**
 * duplicate_identity end to end on a small population (blocking, u from random pairs, EM, scoring, clusters,
 * findings, the parameter file). The rule's cases (typo, homophone, ghost, twins, a shared account) are its fixture
 * file, rules/screening/duplicate_identity.fixtures.yaml. Here a population of 310 identities (300 others with
 * distinct names and birth dates): every kind of second identity (a retyped digit, a homophone under another
 * number, a ghost the registry does not know, a registration in another region) is linked, the twins are not.
 * (On a few dozen identities the model cannot be sure: u from so few random pairs counts the planted pairs' own
 * agreement, and the prior of two random records matching is high.)
 */
class DuplicateIdentityRuleTest extends RuleFixtureTest {
    private static final String SURNAMES = "赵钱孙周吴郑冯褚卫蒋沈韩杨朱秦尤许何吕施";
    private static final String GIVEN = "一鸣小红立新海燕国平丽娟志远春梅卫东秀兰文斌玉珍建华桂英振宇淑芬德明红霞永强美玲";

    /** Filler name k: a surname and two given characters, distinct for k < 20 * 40 * 40 and none of the planted ones. */
    private static String filler(int k) {
        return "" + SURNAMES.charAt(k % 20) + GIVEN.charAt((k / 20) % 40) + GIVEN.charAt((k / 800 + k / 20 + 7) % 40);
    }

    private static String id(String region, String birth, int seq, boolean male) {
        return IdentityNumber.build(region, LocalDate.parse(birth), seq, male);
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    @Test
    void typoAndGhostAreFlaggedTwinsAreNotAndClustersKeepTheirIds() throws Exception {
        String r = CleanFixtures.REGION;
        CleanFixtures f = new CleanFixtures();
        for (int i = 0; i < 300; i++) {
            String filler = id(r, LocalDate.of(1940, 1, 3).plusDays(71L * i).toString(), 11 + i % 400, i % 2 == 0);
            f.named(filler, filler(i), r).pension("F" + i, filler, "2025-03", "2025-03-10", "2000.00");
        }
        String typoA = id(r, "1958-03-14", 21, true);
        String typoB = id(r, "1958-03-14", 27, true); // one digit retyped, check character recomputed
        String homA = id(r, "1962-07-01", 35, true);
        String homB = id(r, "1962-07-01", 81, true);
        String real = id(r, "1949-11-23", 44, false);
        String ghost = id(r, "1949-11-23", 92, false); // made up: never in the registry
        String here = id(r, "1955-05-05", 13, true);
        String there = id("440106", "1955-05-05", 57, true);
        String twin1 = id(r, "1950-10-04", 37, true);
        String twin2 = id(r, "1950-10-04", 39, true);
        f.named(typoA, "王建国", r).named(typoB, "王建国", r)
                .named(homA, "张伟", r).named(homB, "张玮", r)
                .named(real, "李秀英", r)
                .named(here, "陈志强", r).named(there, "陈志强", "440106")
                .named(twin1, "黎志兵", r).named(twin2, "黎嘉超", r);
        for (String[] p : new String[][]{{typoA, "王建国", r}, {typoB, "王建国", r}, {homA, "张伟", r}, {homB, "张玮", r},
                {real, "李秀英", r}, {ghost, "李秀英", r}, {here, "陈志强", r}, {there, "陈志强", "440106"},
                {twin1, "黎志兵", r}, {twin2, "黎嘉超", r}}) {
            for (int m = 4; m <= 5; m++) {
                f.pensionTo(p[0].substring(14) + m, p[0], p[1], p[2], "2025-0" + m, "3000.00");
            }
        }
        DuplicateIdentityRule rule = new DuplicateIdentityRule(repoRoot().resolve("rules/linkage/identity.yaml"),
                tempDir("linkage").resolve("identity-parameters.json"));
        List<Row> rows = ScreeningEngine.of(spark(), List.of(rule)).run(f.tables(spark()), AS_OF).findings()
                .collectAsList();
        Map<String, Row> bySubject = new TreeMap<>();
        rows.forEach(x -> bySubject.put(str(x, "subject_id"), x));
        assertEquals(new TreeSet<>(List.of(pair(typoA, typoB), pair(real, ghost), pair(homA, homB), pair(here, there))),
                bySubject.keySet(), () -> rows.stream().map(x -> str(x, "explanation"))
                .collect(Collectors.joining("\n")));
        Row typo = bySubject.get(pair(typoA, typoB));
        assertEquals("person_pair", str(typo, "subject_type"));
        assertEquals("2025-04..2025-05", str(typo, "period"));
        assertEquals("6000.00", amount(typo)); // the later identity's two pensions for the common months
        String why = str(typo, "explanation");
        assertTrue(why.contains("identity numbers differ in one digit +") && why.contains("names equal +"), why);
        assertTrue(str(bySubject.get(pair(real, ghost)), "explanation").contains(ghost + " is not in the civil registry"));
        assertTrue(str(typo, "evidence").contains("\"comparisons\""), str(typo, "evidence"));

        // clusters: stable ids on a re-run, the twins apart
        LinkagePipeline.Result run = rule.lastRun();
        Dataset<Row> first = PersonClusters.assign(spark(), run.records(), run.links(), null).localCheckpoint();
        Dataset<Row> second = PersonClusters.assign(spark(), run.records(), run.links(), first);
        Map<String, String> c1 = clusters(first);
        assertEquals(c1, clusters(second));
        assertEquals(c1.get(typoA), c1.get(typoB));
        assertEquals(c1.get(real), c1.get(ghost));
        assertEquals(c1.get(homA), c1.get(homB));
        assertEquals(c1.get(here), c1.get(there));
        assertTrue(!c1.get(twin1).equals(c1.get(twin2)));
        assertTrue(Files.exists(rule.parametersFile()), "trained parameters are written for reuse");
        assertTrue(Files.readString(rule.parametersFile()).contains("\"IdentityNumberOneDigitApart\""));
        run.release();
    }

    private static Map<String, String> clusters(Dataset<Row> t) {
        Map<String, String> m = new TreeMap<>();
        t.collectAsList().forEach(x -> m.put(x.getString(0), x.getString(1)));
        return m;
    }
}
