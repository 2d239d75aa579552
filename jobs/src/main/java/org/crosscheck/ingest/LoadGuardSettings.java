package org.crosscheck.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.crosscheck.core.SourceFamily;

/**
 * The plausibility guards a load is judged by before it is written for good, and their defaults. A wrong mapping
 * (another department's code list, a column mapped to the wrong source column) does not fail parsing: it turns
 * living persons into deceased ones or leaves a key field empty. These guards catch that from the figures of the
 * load itself, and from how far they moved since the previous load of the same mapping.
 *
 * <p>Guards, each overridable per mapping under {@code guards:} ({@code max}, {@code min}, {@code action},
 * {@code min_rows}):
 * <ul>
 *   <li>{@code parse_failure_share}: rows with a value that does not parse (date, amount, code) — max 0.2, stop;</li>
 *   <li>{@code unmapped_code_share}: per code field with a code list, non-blank values not in the list — max 0.05,
 *       stop;</li>
 *   <li>{@code null_share.<field>}: empty values of a field — by default every business-key field, max 0.05,
 *       stop; any other field can be added;</li>
 *   <li>{@code deceased_without_death_date_share} (civil registry): records in status deceased without a death
 *       date — max 0.05, stop (the signature of a status code list that is not the registry's);</li>
 *   <li>{@code share.<field>.<value>}: share of one canonical code value — no default, {@code max}/{@code min} as
 *       configured, stop;</li>
 *   <li>{@code share_jump}: the share of any code value moved by more than {@code max} (absolute) since the
 *       previous load of the same mapping — max 0.3, warn (an incremental file may differ from a full one).</li>
 * </ul>
 * A guard judges only loads of at least {@code min_rows} rows (default 50).
 */
public final class LoadGuardSettings {
    public static final String PARSE_FAILURE_SHARE = "parse_failure_share";
    public static final String UNMAPPED_CODE_SHARE = "unmapped_code_share";
    public static final String NULL_SHARE = "null_share";
    public static final String DECEASED_WITHOUT_DEATH_DATE = "deceased_without_death_date_share";
    public static final String SHARE = "share";
    public static final String SHARE_JUMP = "share_jump";
    public static final long DEFAULT_MIN_ROWS = 50;
    public static final List<String> ACTIONS = List.of("stop", "warn", "off");

    private static final Pattern NULL_SHARE_NAME = Pattern.compile("null_share\\.([a-z_]+)");
    private static final Pattern SHARE_NAME = Pattern.compile("share\\.([a-z_]+)\\.(.+)");

    private LoadGuardSettings() {
    }

    /** A guard with every setting filled in. */
    public record Effective(String name, Double max, Double min, String action, long minRows) {
        public boolean stops() {
            return "stop".equals(action);
        }

        public boolean off() {
            return "off".equals(action);
        }
    }

    /** The guards that apply to loads of {@code m}: the defaults, overridden and extended by its {@code guards}. */
    public static Map<String, Effective> effective(Mapping m) {
        SourceFamily family = m.sourceFamily();
        Map<String, Mapping.Guard> defaults = new LinkedHashMap<>();
        defaults.put(PARSE_FAILURE_SHARE, new Mapping.Guard(0.2, null, "stop", null));
        defaults.put(UNMAPPED_CODE_SHARE, new Mapping.Guard(0.05, null, "stop", null));
        for (String key : family.businessKey()) {
            defaults.put(NULL_SHARE + "." + key, new Mapping.Guard(0.05, null, "stop", null));
        }
        if (family == SourceFamily.CIVIL_REGISTRY) {
            defaults.put(DECEASED_WITHOUT_DEATH_DATE, new Mapping.Guard(0.05, null, "stop", null));
        }
        defaults.put(SHARE_JUMP, new Mapping.Guard(0.3, null, "warn", null));
        Map<String, Effective> out = new LinkedHashMap<>();
        for (var e : defaults.entrySet()) {
            out.put(e.getKey(), merge(e.getKey(), m.guards().get(e.getKey()), e.getValue()));
        }
        for (var e : m.guards().entrySet()) {
            if (!out.containsKey(e.getKey())) {
                out.put(e.getKey(), merge(e.getKey(), e.getValue(), new Mapping.Guard(null, null, "stop", null)));
            }
        }
        return out;
    }

    private static Effective merge(String name, Mapping.Guard set, Mapping.Guard dflt) {
        Mapping.Guard g = set == null ? dflt : set;
        boolean boundsGiven = set != null && (set.max() != null || set.min() != null);
        return new Effective(name,
                boundsGiven ? g.max() : dflt.max(),
                boundsGiven ? g.min() : dflt.min(),
                g.action() != null ? g.action() : dflt.action(),
                g.minRows() != null ? g.minRows() : dflt.minRows() != null ? dflt.minRows() : DEFAULT_MIN_ROWS);
    }

    /** The field of a {@code null_share.<field>} guard, or null. */
    public static String nullShareField(String name) {
        Matcher m = NULL_SHARE_NAME.matcher(name);
        return m.matches() ? m.group(1) : null;
    }

    /** Field and value of a {@code share.<field>.<value>} guard, or null. */
    public static String[] shareFieldValue(String name) {
        Matcher m = SHARE_NAME.matcher(name);
        return m.matches() ? new String[] {m.group(1), m.group(2)} : null;
    }

    /** Problems with the mapping's {@code guards}, each naming the guard. */
    static List<String> problems(Mapping m) {
        List<String> problems = new ArrayList<>();
        SourceFamily family = m.sourceFamily();
        for (var e : m.guards().entrySet()) {
            String name = e.getKey();
            Mapping.Guard g = e.getValue();
            String where = "guards." + name;
            String nullField = nullShareField(name);
            String[] share = shareFieldValue(name);
            boolean known = List.of(PARSE_FAILURE_SHARE, UNMAPPED_CODE_SHARE, SHARE_JUMP).contains(name)
                    || (DECEASED_WITHOUT_DEATH_DATE.equals(name) && family == SourceFamily.CIVIL_REGISTRY);
            if (nullField != null && !family.fieldNames().contains(nullField)) {
                problems.add(where + ": '" + nullField + "' is not a field of " + family.id());
            } else if (share != null && !MappingLoader.CODE_FIELDS.contains(share[0])
                    && !MappingLoader.PRECISION.equals(share[0])) {
                problems.add(where + ": share guards take a code field " + MappingLoader.CODE_FIELDS + ", not '"
                        + share[0] + "'");
            } else if (share != null && !family.fieldNames().contains(share[0])) {
                problems.add(where + ": '" + share[0] + "' is not a field of " + family.id());
            } else if (!known && nullField == null && share == null) {
                problems.add(where + ": unknown guard; guards are " + PARSE_FAILURE_SHARE + ", " + UNMAPPED_CODE_SHARE
                        + ", " + NULL_SHARE + ".<field>, " + SHARE + ".<field>.<value>, " + SHARE_JUMP
                        + (family == SourceFamily.CIVIL_REGISTRY ? ", " + DECEASED_WITHOUT_DEATH_DATE : ""));
            }
            if (g == null) {
                problems.add(where + ": give max, min, action or min_rows");
                continue;
            }
            if (g.action() != null && !ACTIONS.contains(g.action())) {
                problems.add(where + ".action '" + g.action() + "' is not one of " + ACTIONS);
            }
            for (Double bound : new Double[] {g.max(), g.min()}) {
                if (bound != null && (bound < 0 || bound > 1)) {
                    problems.add(where + ": bounds are shares between 0 and 1, got " + bound);
                }
            }
            if (g.min() != null && share == null) {
                problems.add(where + ": only share.<field>.<value> guards take a min");
            }
            if (share != null && g.max() == null && g.min() == null && !"off".equals(g.action())) {
                problems.add(where + ": give max or min");
            }
            if (g.minRows() != null && g.minRows() < 1) {
                problems.add(where + ".min_rows must be at least 1");
            }
        }
        return problems;
    }
}
