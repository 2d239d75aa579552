package org.crosscheck.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.crosscheck.ingest.Mapping;
import org.crosscheck.ingest.MappingLoader;
import org.crosscheck.validate.IdentityNumber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataGeneratorTest {
    @TempDir
    static Path dir;
    static Path out;
    static GenerationSummary summary;
    static List<Map<String, String>> truth;
    static Map<String, Mapping> mappings;

    @BeforeAll
    static void generate() throws IOException {
        out = dir.resolve("sample");
        summary = SampleDataGenerator.generate(out, 2000, 42);
        truth = readTruth(out.resolve("truth.csv"));
        mappings = new TreeMap<>();
        for (Mapping m : MappingLoader.loadAll(List.of(out.resolve("mappings").toString()))) {
            mappings.put(m.id(), m);
        }
    }

    // ---- files ------------------------------------------------------------------------------------------------

    @Test
    void sameSeedAndSizeGiveByteIdenticalFiles() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        SampleDataGenerator.generate(a, 400, 7);
        SampleDataGenerator.generate(b, 400, 7);
        SampleDataGenerator.generate(c, 400, 8);
        List<Path> filesA = allFiles(a);
        assertEquals(filesA.stream().map(a::relativize).toList(), allFiles(b).stream().map(b::relativize).toList());
        assertTrue(filesA.size() >= 15, "landing files, mappings and truth: " + filesA);
        for (Path f : filesA) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))), "differs: " + f);
        }
        Path registry = Path.of("landing", LandingZone.REGISTRY_BASE);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve(registry)), Files.readAllBytes(c.resolve(registry))),
                "another seed gives other data");
    }

    @Test
    void committedSampleDataIsWhatTheGeneratorMakes() throws IOException {
        Path committed = Path.of(System.getProperty("crosscheck.repo.root", ".."), "sample-data");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(committed.resolve("landing")));
        for (Path f : allFiles(out)) {
            Path other = committed.resolve(out.relativize(f));
            assertTrue(Files.isRegularFile(other), "committed sample-data lacks " + other);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other),
                    "sample-data is stale, regenerate it (see sample-data/README.md): " + other);
        }
    }

    @Test
    void registryExtractIsGbkWithChineseNames() throws IOException {
        byte[] bytes = Files.readAllBytes(out.resolve("landing").resolve(LandingZone.REGISTRY_BASE));
        String text = new String(bytes, Charset.forName("GBK"));
        assertTrue(text.startsWith("GMSFHM,XM,XB,CSRQ,SWRQ,ZXBZ,DJDQ,GXSJ\n"));
        String twins = truth.stream().filter(t -> t.get("rule_id").equals("duplicate_identity")
                && t.get("expected").equals("no_flag")).findFirst().orElseThrow().get("description");
        String twinName = twins.substring("twins ".length(), twins.indexOf(' ', "twins ".length()));
        assertTrue(twinName.chars().allMatch(ch -> Character.UnicodeScript.of(ch) == Character.UnicodeScript.HAN));
        assertTrue(text.contains("," + twinName + ","), "GBK decoding shows the name " + twinName);
        assertThrows(CharacterCodingException.class, () -> StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)));
    }

    @Test
    void everyMappingLoadsAndMatchesItsFiles() {
        assertEquals(Set.of("psb_registry_gbk", "agency_enrollment_csv", "tax_contributions_gbk",
                "gz_benefits_office_csv", "platform_benefits_jsonl"), mappings.keySet());
        Path landing = out.resolve("landing");
        for (Mapping m : mappings.values()) {
            SampleFiles.Rows rows = SampleFiles.read(landing, m);
            assertFalse(rows.rows().isEmpty(), m.id() + " matches rows");
            assertTrue(rows.headers().containsAll(m.columns().values()), m.id() + " columns exist: " + rows.headers());
            for (Map.Entry<String, Map<String, String>> codes : m.codes().entrySet()) {
                Set<String> unknown = rows.rows().stream().map(r -> r.get(codes.getKey()))
                        .filter(v -> !codes.getValue().containsKey(v)).collect(Collectors.toCollection(TreeSet::new));
                assertTrue(unknown.isEmpty() || unknown.equals(Set.of("999")) || unknown.equals(Set.of("PENSION_X")),
                        m.id() + " " + codes.getKey() + " codes outside the code list: " + unknown);
            }
        }
        long malformed = mappings.values().stream().mapToLong(m -> SampleFiles.read(landing, m).malformed()).sum();
        assertEquals(truth.stream().filter(t -> t.get("rule_id").equals("malformed_row")).count(), malformed);
    }

    @Test
    void summaryCountsTheRowsInTheFiles() throws IOException {
        long lines = 0;
        for (Map.Entry<String, Long> e : summary.rowsPerFile().entrySet()) {
            try (Stream<String> s = Files.lines(out.resolve("landing").resolve(e.getKey()), StandardCharsets.ISO_8859_1)) {
                long n = s.count() - (e.getKey().endsWith(".jsonl") ? 0 : 1);
                assertEquals(n, e.getValue(), e.getKey());
                lines += n;
            }
        }
        assertTrue(lines > 40_000 && lines < 70_000, "about 25 rows per person: " + lines);
    }

    // ---- identity numbers -------------------------------------------------------------------------------------

    @Test
    void identityNumbersAreValidExceptTheDeliberatelyBadOnes() {
        for (Map<String, String> t : truth) {
            if (t.get("kind").equals("screening") && !t.get("subject_type").equals("account")) {
                for (String id : t.get("subject_id").split("\\|")) {
                    assertTrue(IdentityNumber.isValidChecksum(id), t.get("case_id") + " " + id);
                }
            }
        }
        int invalid = 0;
        int empty = 0;
        for (Mapping m : mappings.values()) {
            for (Map<String, String> row : SampleFiles.read(out.resolve("landing"), m).rows()) {
                String id = SampleFiles.nfkc(row.get("national_id"));
                if (id.isEmpty()) {
                    empty++;
                } else if (!IdentityNumber.isValidChecksum(id)) {
                    invalid++;
                }
            }
        }
        assertEquals(count("quality", "invalid_id_checksum", "quarantine"), invalid);
        assertEquals(truth.stream().filter(t -> t.get("description").equals("id_number is empty")).count(), empty);
        assertTrue(invalid >= 2);
    }

    // ---- truth ------------------------------------------------------------------------------------------------

    @Test
    void truthFlagsEveryRuleAndListsTheTraps() {
        for (String rule : PlantedCases.RULE_IDS) {
            assertTrue(count("screening", rule, "flag") >= 3, rule);
        }
        assertEquals(4, count("screening", "deceased_recipient", "no_flag"));
        for (String rule : List.of("activity_after_death", "duplicate_enrollment_scheme", "benefit_while_employed",
                "claim_before_coverage", "shared_bank_account", "duplicate_identity")) {
            assertTrue(count("screening", rule, "no_flag") >= 1, rule);
        }
        assertEquals(2, count("screening", "duplicate_enrollment_region", "no_flag"));
        for (Map<String, String> t : truth) {
            assertEquals(t.get("rule_id").equals("deceased_recipient") && t.get("expected").equals("flag"),
                    !t.get("amount_at_risk").isEmpty(), t.get("case_id"));
        }
        Set<String> expected = truth.stream().filter(t -> t.get("kind").equals("quality")).map(t -> t.get("expected"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("quarantine", "warn", "clean"), expected);
    }

    @Test
    void deceasedRecipientAmountsEqualTheImproperPaymentsInTheFiles() {
        Map<String, Map<String, String>> registry = latestRegistry();
        Mapping reg = mappings.get("psb_registry_gbk");
        Map<String, Long> improper = new TreeMap<>();
        for (Payment p : payments()) {
            Map<String, String> person = registry.get(p.id());
            if (person == null || !SampleFiles.code(reg, "record_status", person.get("record_status")).equals("deceased")) {
                continue;
            }
            SampleFiles.PreciseDate death = SampleFiles.date(reg, "death_date", person.get("death_date"));
            if (p.scheme().endsWith("pension") && p.month().isAfter(death.lastProperMonth())) {
                improper.merge(p.id(), p.cents(), Long::sum);
            }
        }
        Map<String, Long> promised = new TreeMap<>();
        for (Map<String, String> t : rows("deceased_recipient", "flag")) {
            promised.put(t.get("subject_id"), new java.math.BigDecimal(t.get("amount_at_risk")).movePointRight(2)
                    .longValueExact());
        }
        assertEquals(promised, improper, "every improper payment is planted and summed in the truth file");
        assertTrue(promised.size() >= 4);
        for (Map<String, String> t : rows("deceased_recipient", "no_flag")) {
            assertFalse(improper.containsKey(t.get("subject_id")), t.get("description"));
        }
    }

    // ---- the normal population stays quiet ------------------------------------------------------------------------

    @Test
    void sharedAccountsAreOnlyThePlantedOnes() {
        Map<String, Set<String>> payees = new TreeMap<>();
        for (Payment p : payments()) {
            if (IdentityNumber.isValidChecksum(p.id())) { // others are quarantined
                payees.computeIfAbsent(p.account(), k -> new TreeSet<>()).add(p.id());
            }
        }
        Set<String> shared = payees.entrySet().stream().filter(e -> e.getValue().size() >= 4).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(subjects("shared_bank_account", "flag"), shared);
        Set<String> couples = payees.entrySet().stream().filter(e -> e.getValue().size() == 2).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(subjects("shared_bank_account", "no_flag"), couples);
    }

    @Test
    void sameNameAndBirthDateOnlyForPlantedDuplicateIdentities() {
        Map<String, Set<String>> byNameAndBirth = new TreeMap<>();
        latestRegistry().forEach((id, r) -> byNameAndBirth
                .computeIfAbsent(r.get("full_name") + " " + r.get("birth_date"), k -> new TreeSet<>()).add(id));
        Set<String> pairs = byNameAndBirth.values().stream().filter(ids -> ids.size() > 1)
                .map(ids -> String.join("|", ids)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> planted = subjects("duplicate_identity", "flag");
        assertTrue(planted.containsAll(pairs), "every registered pair with one name and birth date is planted: " + pairs);
        // the same name and region, the other region; the homophone, retyped and ghost kinds are not such pairs
        assertTrue(pairs.size() >= 2 && pairs.size() < planted.size(), pairs + " of " + planted);
    }

    @Test
    void everyKindOfSecondIdentityIsPlanted() {
        Map<String, String> registry = new TreeMap<>();
        latestRegistry().forEach((id, r) -> registry.put(id, r.get("full_name")));
        Set<String> unknown = subjects("payee_unknown_to_registry", "flag");
        int sameName = 0;
        int homophone = 0;
        int otherRegion = 0;
        int retyped = 0;
        int ghost = 0;
        for (String pair : subjects("duplicate_identity", "flag")) {
            String[] ids = pair.split("\\|");
            assertEquals(2, ids.length, pair);
            String a = ids[0];
            String b = ids[1];
            assertTrue(IdentityNumber.isValidChecksum(a) && IdentityNumber.isValidChecksum(b), pair);
            assertEquals(IdentityNumber.birthDate(a), IdentityNumber.birthDate(b), pair);
            boolean bothRegistered = registry.containsKey(a) && registry.containsKey(b);
            if (!bothRegistered) {
                assertTrue(registry.containsKey(a) || registry.containsKey(b), "one of " + pair + " is registered");
                String outside = registry.containsKey(a) ? b : a;
                assertTrue(unknown.contains(outside), outside + " is also a planted unknown payee");
                int differing = 0;
                for (int i = 0; i < 17; i++) {
                    differing += a.charAt(i) == b.charAt(i) ? 0 : 1;
                }
                if (differing == 1) {
                    retyped++;
                } else {
                    ghost++;
                }
            } else if (!a.substring(0, 6).equals(b.substring(0, 6))) {
                otherRegion++;
            } else if (registry.get(a).equals(registry.get(b))) {
                sameName++;
            } else {
                assertEquals(org.crosscheck.linkage.Pinyin.of(registry.get(a)),
                        org.crosscheck.linkage.Pinyin.of(registry.get(b)), pair + " sound the same");
                homophone++;
            }
        }
        assertEquals(List.of(1, 1, 1, 1, 1), List.of(Math.min(1, sameName), Math.min(1, homophone),
                Math.min(1, otherRegion), Math.min(1, retyped), Math.min(1, ghost)),
                "same name " + sameName + ", homophone " + homophone + ", other region " + otherRegion + ", retyped "
                        + retyped + ", ghost " + ghost);
    }

    @Test
    void homophonesSoundTheSameAndLieOutsideTheGivenNamePool() {
        String pool = ChineseNames.givenPool();
        java.nio.charset.CharsetEncoder gbk = Charset.forName("GBK").newEncoder();
        for (String h : ChineseNames.homophonePairs()) {
            assertTrue(pool.indexOf(h.charAt(0)) >= 0, h);
            assertTrue(pool.indexOf(h.charAt(1)) < 0, h);
            assertEquals(org.crosscheck.linkage.Pinyin.of(h.substring(0, 1)), org.crosscheck.linkage.Pinyin.of(h.substring(1)), h);
            assertTrue(gbk.canEncode(h), h);
        }
        assertEquals("王玮", ChineseNames.homophone("王伟"));
        assertEquals("李静玮", ChineseNames.homophone("李静伟"));
    }

    @Test
    void unregisteredPayeesAreOnlyThePlantedOnes() {
        Set<String> registered = latestRegistry().keySet();
        Set<String> unknown = payments().stream().map(Payment::id)
                .filter(id -> IdentityNumber.isValidChecksum(id) && !registered.contains(id))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(subjects("payee_unknown_to_registry", "flag"), unknown);
    }

    @Test
    void registryConflictsWithTheIdOnlyForPlantedCases() {
        Mapping reg = mappings.get("psb_registry_gbk");
        Set<String> conflicts = new TreeSet<>();
        latestRegistry().forEach((id, r) -> {
            SampleFiles.PreciseDate birth = SampleFiles.date(reg, "birth_date", r.get("birth_date"));
            if (!IdentityNumber.isValidChecksum(id) || birth == null) {
                return; // quarantined by validation
            }
            boolean birthDiffers = !IdentityNumber.birthDate(id).orElseThrow().equals(birth.date());
            boolean sexDiffers = !IdentityNumber.sex(id).orElseThrow().equals(SampleFiles.code(reg, "sex", r.get("sex")));
            if (birthDiffers || sexDiffers) {
                conflicts.add(id);
            }
        });
        assertEquals(subjects("identity_conflict", "flag"), conflicts);
    }

    @Test
    void duplicatePaymentsAreOnlyThePlantedOnes() {
        Map<String, Set<String>> paymentIds = new TreeMap<>();
        for (Payment p : payments()) {
            paymentIds.computeIfAbsent(p.id() + " " + p.scheme() + " " + p.benefit() + " " + p.month(),
                    k -> new TreeSet<>()).add(p.paymentId());
        }
        Set<String> twice = paymentIds.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey().substring(0, 18)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(subjects("duplicate_payment", "flag"), twice);
    }

    @Test
    void unemploymentBenefitOverlapsContributionsOnlyForPlantedCases() {
        Mapping tax = mappings.get("tax_contributions_gbk");
        Set<String> contributed = new TreeSet<>();
        for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), tax).rows()) {
            SampleFiles.PreciseDate month = SampleFiles.date(tax, "contribution_month", r.get("contribution_month"));
            if (month != null && SampleFiles.code(tax, "scheme", r.get("scheme")).equals("employee_pension")) {
                contributed.add(SampleFiles.nfkc(r.get("national_id")) + " " + YearMonth.from(month.date()));
            }
        }
        Set<String> overlapping = payments().stream()
                .filter(p -> p.benefit().equals("unemployment_benefit") && contributed.contains(p.id() + " " + p.month()))
                .map(Payment::id).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(subjects("benefit_while_employed", "flag"), overlapping);
    }

    @Test
    void enrollmentOverlapsAreOnlyThePlantedOnes() {
        Mapping agency = mappings.get("agency_enrollment_csv");
        Map<String, List<Map<String, String>>> byPerson = new TreeMap<>();
        for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), agency).rows()) {
            if (SampleFiles.date(agency, "coverage_start", r.get("coverage_start")) != null) {
                byPerson.computeIfAbsent(SampleFiles.nfkc(r.get("national_id")), k -> new ArrayList<>()).add(r);
            }
        }
        Set<String> twoSchemes = new TreeSet<>();
        Set<String> twoRegions = new TreeSet<>();
        byPerson.forEach((id, list) -> {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Map<String, String> a = list.get(i);
                    Map<String, String> b = list.get(j);
                    String sa = SampleFiles.code(agency, "scheme", a.get("scheme"));
                    String sb = SampleFiles.code(agency, "scheme", b.get("scheme"));
                    long months = overlapMonths(agency, a, b);
                    if (!sa.equals(sb) && Set.of(sa, sb).equals(Set.of("employee_pension", "urban_rural_resident_pension")) && months > 0) {
                        twoSchemes.add(id);
                    }
                    if (sa.equals(sb) && !a.get("region").equals(b.get("region")) && months > 1) {
                        twoRegions.add(id);
                    }
                }
            }
        });
        assertEquals(subjects("duplicate_enrollment_scheme", "flag"), twoSchemes);
        assertEquals(subjects("duplicate_enrollment_region", "flag"), twoRegions);
    }

    @Test
    void activityAfterDeathOnlyForPlantedCases() {
        Mapping reg = mappings.get("psb_registry_gbk");
        Map<String, YearMonth> lastProperMonth = new HashMap<>();
        Map<String, LocalDate> deathDay = new HashMap<>();
        latestRegistry().forEach((id, r) -> {
            SampleFiles.PreciseDate death = SampleFiles.date(reg, "death_date", r.get("death_date"));
            if (SampleFiles.code(reg, "record_status", r.get("record_status")).equals("deceased") && death != null) {
                lastProperMonth.put(id, death.lastProperMonth());
                deathDay.put(id, death.precision().equals("day") ? death.date()
                        : death.lastProperMonth().atEndOfMonth());
            }
        });
        Set<String> active = new TreeSet<>();
        Mapping tax = mappings.get("tax_contributions_gbk");
        for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), tax).rows()) {
            String id = SampleFiles.nfkc(r.get("national_id"));
            SampleFiles.PreciseDate month = SampleFiles.date(tax, "contribution_month", r.get("contribution_month"));
            if (month != null && lastProperMonth.containsKey(id)
                    && YearMonth.from(month.date()).isAfter(lastProperMonth.get(id))) {
                active.add(id);
            }
        }
        Mapping agency = mappings.get("agency_enrollment_csv");
        for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), agency).rows()) {
            String id = SampleFiles.nfkc(r.get("national_id"));
            SampleFiles.PreciseDate start = SampleFiles.date(agency, "coverage_start", r.get("coverage_start"));
            if (start != null && deathDay.containsKey(id) && start.date().isAfter(deathDay.get(id))) {
                active.add(id);
            }
        }
        for (Payment p : payments()) {
            if (p.eventDate() != null && deathDay.containsKey(p.id()) && p.eventDate().isAfter(deathDay.get(p.id()))) {
                active.add(p.id());
            }
        }
        assertEquals(subjects("activity_after_death", "flag"), active);
    }

    @Test
    void workInjuryClaimsOutsideCoverageOnlyForPlantedCases() {
        Mapping agency = mappings.get("agency_enrollment_csv");
        Map<String, List<LocalDate[]>> coverage = new HashMap<>();
        for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), agency).rows()) {
            SampleFiles.PreciseDate start = SampleFiles.date(agency, "coverage_start", r.get("coverage_start"));
            if (start != null && SampleFiles.code(agency, "scheme", r.get("scheme")).equals("work_injury")) {
                coverage.computeIfAbsent(SampleFiles.nfkc(r.get("national_id")), k -> new ArrayList<>())
                        .add(new LocalDate[] {start.date(), end(agency, r)});
            }
        }
        Set<String> outside = new TreeSet<>();
        for (Payment p : payments()) {
            if (p.scheme().equals("work_injury") && coverage.getOrDefault(p.id(), List.of()).stream()
                    .noneMatch(c -> !p.eventDate().isBefore(c[0]) && !p.eventDate().isAfter(c[1]))) {
                outside.add(p.id());
            }
        }
        assertEquals(subjects("claim_before_coverage", "flag"), outside);
        assertTrue(payments().stream().filter(p -> p.scheme().equals("work_injury")).map(Payment::id).distinct().count()
                > outside.size() + 5, "normal work-injury claims exist beside the planted ones");
    }

    @Test
    void amountsTenTimesThePeerMedianOnlyForPlantedOutliers() {
        Map<String, List<Payment>> peers = new TreeMap<>();
        for (Payment p : payments()) {
            if (p.cents() > 0) {
                peers.computeIfAbsent(p.scheme() + " " + p.benefit() + " " + p.region() + " " + p.month(),
                        k -> new ArrayList<>()).add(p);
            }
        }
        Set<String> outliers = new TreeSet<>();
        peers.values().forEach(group -> {
            long[] sorted = group.stream().mapToLong(Payment::cents).sorted().toArray();
            long median = sorted[sorted.length / 2];
            group.stream().filter(p -> p.cents() >= 10 * median).forEach(p -> outliers.add(p.id()));
        });
        assertEquals(subjects("amount_outlier", "flag"), outliers);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    record Payment(String paymentId, String id, String scheme, String benefit, String region, YearMonth month,
                   long cents, String account, LocalDate eventDate) {
    }

    /** Pension and benefit payments of both layouts, well-formed rows with a parseable amount. */
    static List<Payment> payments() {
        List<Payment> all = new ArrayList<>();
        for (String mappingId : List.of("gz_benefits_office_csv", "platform_benefits_jsonl")) {
            Mapping m = mappings.get(mappingId);
            for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), m).rows()) {
                SampleFiles.PreciseDate start = SampleFiles.date(m, "period_start", r.get("period_start"));
                SampleFiles.PreciseDate event = SampleFiles.date(m, "event_date", r.get("event_date"));
                all.add(new Payment(r.get("payment_id"), SampleFiles.nfkc(r.get("national_id")),
                        SampleFiles.code(m, "scheme", r.get("scheme")), SampleFiles.code(m, "benefit_type",
                        r.get("benefit_type")), r.get("region"), YearMonth.from(start.date()),
                        SampleFiles.cents(m, r.get("amount")), r.get("bank_account"),
                        event == null ? null : event.date()));
            }
        }
        return all;
    }

    /** Registry rows by normalised id, the latest update time winning (update extract over full extract). */
    static Map<String, Map<String, String>> latestRegistry() {
        Map<String, Map<String, String>> latest = new HashMap<>();
        for (Map<String, String> r : SampleFiles.read(out.resolve("landing"), mappings.get("psb_registry_gbk")).rows()) {
            latest.merge(SampleFiles.nfkc(r.get("national_id")), r,
                    (a, b) -> a.get("updated_at").compareTo(b.get("updated_at")) >= 0 ? a : b);
        }
        return latest;
    }

    private static long overlapMonths(Mapping m, Map<String, String> a, Map<String, String> b) {
        LocalDate start = max(SampleFiles.date(m, "coverage_start", a.get("coverage_start")).date(),
                SampleFiles.date(m, "coverage_start", b.get("coverage_start")).date());
        LocalDate end = min(end(m, a), end(m, b));
        if (end.isBefore(start)) {
            return 0;
        }
        return YearMonth.from(start).until(YearMonth.from(end), java.time.temporal.ChronoUnit.MONTHS) + 1;
    }

    private static LocalDate end(Mapping m, Map<String, String> r) {
        SampleFiles.PreciseDate d = SampleFiles.date(m, "coverage_end", r.get("coverage_end"));
        return d == null ? LocalDate.of(9999, 12, 31) : d.date();
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static List<Map<String, String>> rows(String rule, String expected) {
        return truth.stream().filter(t -> t.get("rule_id").equals(rule) && t.get("expected").equals(expected)).toList();
    }

    private static Set<String> subjects(String rule, String expected) {
        return rows(rule, expected).stream().map(t -> t.get("subject_id"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static long count(String kind, String rule, String expected) {
        return truth.stream().filter(t -> t.get("kind").equals(kind) && t.get("rule_id").equals(rule)
                && t.get("expected").equals(expected)).count();
    }

    private static List<Map<String, String>> readTruth(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = SampleFiles.split(lines.get(0), ',');
        assertEquals(TruthCase.HEADER, header);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = SampleFiles.split(line, ',');
            assertEquals(header.size(), f.size(), line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), f.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Path> allFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
