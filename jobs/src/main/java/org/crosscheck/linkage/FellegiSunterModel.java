package org.crosscheck.linkage;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.crosscheck.core.CrossCheckException;

/**
 * Fellegi-Sunter parameters: per comparison and level the probability of the level among matches ({@code m}) and
 * among non-matches ({@code u}), and the prior probability that two random records match ({@code lambda}). A level's
 * match weight is {@code log2(m / u)}; a pair's is {@code log2(lambda / (1 - lambda))} plus its levels' weights; the
 * null level (index 0) always weighs 0. A term-frequency adjusted level uses the value's frequency in place of u.
 *
 * <p>{@code u} comes from random record pairs (almost all non-matches), {@code m} and {@code lambda} from
 * expectation-maximisation over the candidate pairs' comparison patterns, without labels ({@link #train}). EM is
 * regularised: m starts from, and is pulled towards, a prior concentrated on the most similar levels, worth
 * {@code priorPairs} matched pairs, and lambda towards 1% by as many candidate pairs. Without it a small candidate set dominated by one blocking rule (every pair
 * shares a bank account) lets EM call every candidate a match (lambda near 1, "names differ" as likely among
 * matches as among non-matches), so agreement on the blocked column alone links unrelated persons. On large
 * data the prior is a negligible share of the matches.
 *
 * <p>A comparison may cap its levels' weight ({@link Comparison#maxWeight()}): agreement on a value households
 * share (a bank account, an employer) is seldom seen among random pairs, so {@code log2(m / u)} would make it as
 * strong as a matching name and birth date, though relatives and carers share it. The cap applies in EM and in
 * scoring alike.
 * The file written by {@link #save} is pretty-printed JSON a reader can check; {@link #load} refuses a file whose
 * comparisons or levels differ from the settings (retrain then).
 */
public final class FellegiSunterModel implements Serializable {
    /** Smallest m or u kept, so no level weighs infinitely. */
    static final double FLOOR = 1e-7;
    /**
     * Prior match probability among candidate pairs, weighted like the m prior: when every candidate of a small run
     * looks alike, EM alone would put lambda near 1 and the prior weight near +30, linking any candidate.
     */
    static final double PRIOR_LAMBDA = 0.01;
    /** What the saved prior is a probability over; a parameter file without it is from an earlier version. */
    static final String PRIOR_AMONG = "record pairs";

    private final double lambda;
    private final double[][] m;
    private final double[][] u;
    private final Map<String, Object> training;
    private final double[] maxWeight;

    /** {@code maxWeight}: per comparison the largest weight a level may carry (infinite: uncapped). */
    public FellegiSunterModel(double lambda, double[][] m, double[][] u, double[] maxWeight,
                              Map<String, Object> training) {
        this.lambda = lambda;
        this.m = m;
        this.u = u;
        this.maxWeight = maxWeight.clone();
        this.training = training;
    }

    static double[] maxWeights(List<Comparison> comparisons) {
        return comparisons.stream().mapToDouble(Comparison::maxWeight).toArray();
    }

    public double lambda() {
        return lambda;
    }

    public double m(int comparison, int level) {
        return m[comparison][level];
    }

    public double u(int comparison, int level) {
        return u[comparison][level];
    }

    public Map<String, Object> training() {
        return training;
    }

    /** log2(m / u) of a level, within the comparison's cap either way (0 for the null level). */
    public double weight(int comparison, int level) {
        return level == 0 ? 0.0 : capped(comparison, log2(m[comparison][level] / u[comparison][level]));
    }

    private double capped(int comparison, double weight) {
        // a household value is weak evidence both ways: sharing it does not make a link, nor does differing undo one
        return Math.max(-maxWeight[comparison], Math.min(weight, maxWeight[comparison]));
    }

    /** The level's weight with u replaced by a term frequency when one is given (and larger than the floor). */
    public double weight(int comparison, int level, Double termFrequency) {
        if (level == 0) {
            return 0.0;
        }
        if (termFrequency == null || termFrequency.isNaN()) {
            return weight(comparison, level);
        }
        return capped(comparison, log2(m[comparison][level] / Math.max(termFrequency, FLOOR)));
    }

    /** The match weight of a comparison pattern: the prior plus each {@code used} comparison's (null: all). */
    double patternWeight(int[] levels, boolean[] used) {
        double w = priorWeight();
        for (int c = 0; c < levels.length; c++) {
            if (used == null || used[c]) {
                w += weight(c, levels[c]);
            }
        }
        return w;
    }

    public double priorWeight() {
        return log2(lambda / (1 - lambda));
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Probability from a match weight. */
    public static double probability(double weight) {
        return 1.0 / (1.0 + Math.pow(2, -weight));
    }

    /**
     * Estimates m and lambda by EM from the candidate pairs' patterns ({@code patterns}: the level of each comparison,
     * {@code counts}: how many pairs show the pattern), with u fixed. m starts from the prior ({@link #priorM}) and
     * each M-step adds {@code priorPairs} pseudo-matches distributed as the prior (a maximum a posteriori estimate);
     * lambda starts at 0.1 and is pulled towards {@link #PRIOR_LAMBDA} by {@code priorPairs} pseudo-pairs. Stops after {@code maxIterations} or when no parameter moves by more than 1e-6.
     */
    public static FellegiSunterModel train(List<Comparison> comparisons, double[][] u, List<int[]> patterns,
                                           List<Long> counts, int maxIterations, double priorPairs,
                                           Map<String, Object> info) {
        return train(comparisons, u, patterns, counts, maxIterations, priorPairs, info, null);
    }

    /** As {@link #train}, with the comparisons not {@code used} (null: all used) left out of the match posterior. */
    static FellegiSunterModel train(List<Comparison> comparisons, double[][] u, List<int[]> patterns,
                                    List<Long> counts, int maxIterations, double priorPairs,
                                    Map<String, Object> info, boolean[] used) {
        int k = comparisons.size();
        double[][] prior = new double[k][];
        double[][] m = new double[k][];
        for (int c = 0; c < k; c++) {
            prior[c] = comparisons.get(c).presumeAgreement() ? priorM(comparisons.get(c))
                    : randomPairPrior(u[c]);
            m[c] = prior[c].clone();
        }
        double[] caps = maxWeights(comparisons);
        double lambda = 0.1;
        int iterations = 0;
        for (int it = 0; it < maxIterations; it++) {
            iterations++;
            FellegiSunterModel current = new FellegiSunterModel(lambda, m, u, caps, Map.of());
            double[][] mNum = new double[k][];
            for (int c = 0; c < k; c++) {
                mNum[c] = new double[m[c].length];
            }
            double matchTotal = 0;
            double total = 0;
            for (int p = 0; p < patterns.size(); p++) {
                int[] g = patterns.get(p);
                double post = probability(current.patternWeight(g, used));
                double n = counts.get(p);
                matchTotal += post * n;
                total += n;
                for (int c = 0; c < k; c++) {
                    if (g[c] > 0) {
                        mNum[c][g[c]] += post * n;
                    }
                }
            }
            double estimate = (matchTotal + priorPairs * PRIOR_LAMBDA) / (total + priorPairs);
            double change = Math.abs(estimate - lambda);
            lambda = Math.min(1 - 1e-9, Math.max(1e-9, estimate));
            for (int c = 0; c < k; c++) {
                double[] next = mNum[c].clone();
                next[0] = 0;
                for (int l = 1; l < next.length; l++) {
                    next[l] = Math.max(next[l] + priorPairs * prior[c][l], FLOOR);
                }
                normalise(next);
                for (int l = 1; l < next.length; l++) {
                    change = Math.max(change, Math.abs(next[l] - m[c][l]));
                }
                m[c] = next;
            }
            if (change < 1e-6) {
                break;
            }
        }
        Map<String, Object> training = new LinkedHashMap<>(info);
        training.put("em_iterations", iterations);
        training.put("m_prior_pairs", priorPairs);
        return new FellegiSunterModel(lambda, m, u, caps, training);
    }

    private static double clampLambda(double lambda) {
        return Math.min(1 - 1e-9, Math.max(1e-15, lambda));
    }

    /** The comparison patterns of one blocking rule's candidate pairs, and which comparisons the rule fixes. */
    public record RulePatterns(String rule, List<int[]> patterns, List<Long> counts, boolean[] fixes) {
        long pairs() {
            return counts.stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Trains as Splink does against the failure of one EM over all candidate pairs: a blocking rule makes its pairs
     * agree on its key columns, so among them agreement on those columns says nothing, and where most candidate pairs
     * come from one rule (equal names in one region), EM's match class absorbs them. Here each comparison's m comes
     * from EM sessions over the pairs of the rules that do not fix it (an average weighted by pairs); a comparison
     * that every rule fixes keeps the m of EM over all pairs, which also counts as {@code priorPairs} pairs in every
     * average (so a small delivery, with few pairs per rule, stays close to it). A comparison a rule fixes, by naming
     * its columns in a key or because its pairs agree on it by construction, is left out of that rule's posterior.
     * Then lambda, the probability that two random records match ({@code recordPairs}: how many record pairs the
     * mode compares, n(n-1)/2 or n_left * n_right), is estimated by EM with those m held, over every record pair
     * (pairs no rule proposed count as non-matches), so that it fits u, which comes from random record pairs.
     * The parameter file's training info names the rules each comparison's m came from.
     */
    public static FellegiSunterModel trainPerRule(List<Comparison> comparisons, double[][] u, List<int[]> patterns,
                                                  List<Long> counts, List<RulePatterns> rules, double recordPairs,
                                                  int maxIterations, double priorPairs, Map<String, Object> info) {
        FellegiSunterModel all = train(comparisons, u, patterns, counts, maxIterations, priorPairs, info);
        int k = comparisons.size();
        double[][] sum = new double[k][];
        double[] weight = new double[k];
        Map<String, List<String>> from = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            sum[c] = new double[all.m[c].length];
            from.put(comparisons.get(c).name(), new ArrayList<>());
        }
        for (RulePatterns r : rules) {
            if (r.patterns().isEmpty()) {
                continue;
            }
            boolean[] used = new boolean[k];
            for (int c = 0; c < k; c++) {
                used[c] = !r.fixes()[c] && !agreesByConstruction(r, c, u[c]);
            }
            // the comparisons the rule fixes say nothing among its pairs: left out of the session's posterior
            FellegiSunterModel session = train(comparisons, u, r.patterns(), r.counts(), maxIterations, priorPairs,
                    Map.of(), used);
            for (int c = 0; c < k; c++) {
                if (!used[c]) {
                    continue;
                }
                double w = r.pairs();
                for (int l = 0; l < sum[c].length; l++) {
                    sum[c][l] += w * session.m[c][l];
                }
                weight[c] += w;
                from.get(comparisons.get(c).name()).add(r.rule());
            }
        }
        // the estimate over all pairs counts as priorPairs pairs: few pairs per rule (a small delivery) keep close to
        // it, thousands (where one rule's pairs can swamp EM over all) follow the rules' sessions
        double[][] m = new double[k][];
        for (int c = 0; c < k; c++) {
            m[c] = new double[sum[c].length];
            double g = Math.max(priorPairs, 1e-9);
            for (int l = 0; l < m[c].length; l++) {
                m[c][l] = (sum[c][l] + g * all.m[c][l]) / (weight[c] + g);
            }
            if (weight[c] == 0) {
                from.get(comparisons.get(c).name()).add("all candidate pairs");
            }
        }
        double[] caps = maxWeights(comparisons);
        // u comes from random record pairs, so the prior must be the match probability of two random records, not
        // of two candidates: blocking already selected the candidates by agreement on names, birth dates or
        // accounts, and the comparisons count that agreement again. EM's update of lambda over every record pair,
        // where the pairs no rule proposed are taken as non-matches: lambda = expected matches among candidates
        // (at the current lambda) / record pairs, with priorPairs * PRIOR_LAMBDA pseudo-matches (at least one).
        double candidates = 0;
        for (Long c : counts) {
            candidates += c;
        }
        double pairs = Math.max(recordPairs, candidates);
        double pseudo = Math.max(1.0, priorPairs * PRIOR_LAMBDA);
        double lambda = clampLambda((candidates * PRIOR_LAMBDA + pseudo) / (pairs + priorPairs));
        int lambdaIterations = 0;
        for (int it = 0; it < Math.max(maxIterations, 200); it++) {
            lambdaIterations++;
            FellegiSunterModel current = new FellegiSunterModel(lambda, m, u, caps, Map.of());
            double matchTotal = 0;
            for (int p = 0; p < patterns.size(); p++) {
                matchTotal += probability(current.patternWeight(patterns.get(p), null)) * counts.get(p);
            }
            double estimate = clampLambda((matchTotal + pseudo) / (pairs + priorPairs));
            boolean done = Math.abs(estimate - lambda) <= 1e-6 * lambda;
            lambda = estimate;
            if (done) {
                break;
            }
        }
        Map<String, Object> training = new LinkedHashMap<>(all.training);
        training.put("m_estimated_from", from);
        training.put("record_pairs", pairs);
        training.put("expected_matches", Math.round(lambda * pairs));
        training.put("lambda_iterations", lambdaIterations);
        return new FellegiSunterModel(lambda, m, u, caps, training);
    }

    /**
     * Whether the rule's pairs agree on comparison {@code c} by construction although no key names its columns (a
     * region key makes the identity numbers' region part agree): its "differ" level occurs in under 1% of the rule's
     * pairs while random pairs differ at least half the time.
     */
    static boolean agreesByConstruction(RulePatterns r, int c, double[] u) {
        int differ = u.length - 1;
        if (u[differ] < 0.5) {
            return false;
        }
        long known = 0;
        long differing = 0;
        for (int p = 0; p < r.patterns().size(); p++) {
            int level = r.patterns().get(p)[c];
            if (level > 0) {
                known += r.counts().get(p);
                if (level == differ) {
                    differing += r.counts().get(p);
                }
            }
        }
        return known > 0 && differing < 0.01 * known;
    }

    /**
     * Whether blocking on {@code keys} (Spark SQL expressions) fixes the comparison: a key names one of its columns,
     * or a column derived from one ({@code surname_pinyin} from {@code surname}).
     */
    static boolean fixes(List<String> keys, Comparison comparison) {
        for (String key : keys) {
            java.util.regex.Matcher t = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(key);
            while (t.find()) {
                String token = t.group();
                for (String column : comparison.columns()) {
                    if (token.equals(column) || token.startsWith(column + "_")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The prior m of a comparison with {@code levels} levels (index 0 the null level): 0.9 on the most similar level,
     * each further level half the one before, the "differ" level as much as the level before it.
     */
    static double[] priorM(Comparison comparison) {
        double[] p = comparison.agreementPrior().clone();
        normalise(p);
        return p;
    }

    /** The prior of a comparison that presumes nothing: its levels' distribution among random pairs (u). */
    static double[] randomPairPrior(double[] u) {
        double[] p = u.clone();
        for (int l = 1; l < p.length; l++) {
            p[l] = Math.max(p[l], FLOOR);
        }
        normalise(p);
        return p;
    }

    /** u per level from level counts among random pairs (add-one smoothing, null level left out). */
    public static double[][] uFromCounts(List<Comparison> comparisons, long[][] counts) {
        double[][] u = new double[comparisons.size()][];
        for (int c = 0; c < comparisons.size(); c++) {
            u[c] = new double[counts[c].length];
            for (int l = 1; l < counts[c].length; l++) {
                u[c][l] = counts[c][l] + 1.0;
            }
            normalise(u[c]);
        }
        return u;
    }

    /**
     * u per level from the random pairs' comparison patterns, each pattern counted by its probability of being a
     * non-match under {@code model} (null: every random pair a non-match), add-one smoothing. Among a few hundred
     * records the random pairs include the very duplicates being sought (one pair in ten thousand, while equal
     * birth dates occur in one in twenty thousand), and counting them as non-matches makes their agreement look
     * common; on large data the correction is negligible.
     */
    public static double[][] uFromPatterns(List<Comparison> comparisons, List<int[]> patterns, List<Long> counts,
                                           FellegiSunterModel model) {
        double[][] u = new double[comparisons.size()][];
        for (int c = 0; c < comparisons.size(); c++) {
            u[c] = new double[comparisons.get(c).levels().size()];
            for (int l = 1; l < u[c].length; l++) {
                u[c][l] = 1.0;
            }
        }
        for (int p = 0; p < patterns.size(); p++) {
            int[] g = patterns.get(p);
            double nonMatch = counts.get(p) * (model == null ? 1.0 : 1.0 - probability(model.patternWeight(g, null)));
            for (int c = 0; c < g.length; c++) {
                if (g[c] > 0) {
                    u[c][g[c]] += nonMatch;
                }
            }
        }
        for (double[] level : u) {
            normalise(level);
        }
        return u;
    }

    /** Expected matches among the given pairs' patterns under this model. */
    double expectedMatches(List<int[]> patterns, List<Long> counts) {
        double sum = 0;
        for (int p = 0; p < patterns.size(); p++) {
            sum += counts.get(p) * probability(patternWeight(patterns.get(p), null));
        }
        return sum;
    }

    private static void normalise(double[] p) {
        double s = 0;
        for (int l = 1; l < p.length; l++) {
            s += p[l];
        }
        for (int l = 1; l < p.length; l++) {
            p[l] /= s;
        }
        p[0] = 1.0;
    }

    // ---- the readable parameter file ---------------------------------------------------------------------------

    /** Writes the parameters as pretty-printed JSON: every comparison's levels with m, u and the weight. */
    public void save(Path file, LinkageSettings settings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("settings", settings.id());
        doc.put("prior_match_probability", lambda);
        doc.put("prior_among", PRIOR_AMONG);
        doc.put("prior_weight", round(priorWeight()));
        doc.put("threshold", settings.threshold());
        doc.put("training", training);
        List<Object> cs = new ArrayList<>();
        for (int c = 0; c < settings.comparisons().size(); c++) {
            Comparison comparison = settings.comparisons().get(c);
            List<Object> levels = new ArrayList<>();
            for (int l = 0; l < comparison.levels().size(); l++) {
                Comparison.Level level = comparison.levels().get(l);
                Map<String, Object> lv = new LinkedHashMap<>();
                lv.put("level", level.name());
                lv.put("words", level.words());
                if (l > 0) {
                    lv.put("m", m[c][l]);
                    lv.put("u", u[c][l]);
                    lv.put("weight", round(weight(c, l)));
                    lv.put("term_frequency_adjusted", comparison.termFrequencyColumn(l) != null);
                } else {
                    lv.put("weight", 0.0);
                }
                levels.add(lv);
            }
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("comparison", comparison.name());
            if (Double.isFinite(maxWeight[c])) {
                cm.put("max_weight", maxWeight[c]);
            }
            cm.put("levels", levels);
            cs.add(cm);
        }
        doc.put("comparisons", cs);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        } catch (IOException e) {
            throw CrossCheckException.internal("cannot write linkage parameters " + file + ": " + e.getMessage());
        }
    }

    /** Reads a file written by {@link #save}; a configuration error when it does not fit the settings' comparisons. */
    @SuppressWarnings("unchecked")
    public static FellegiSunterModel load(Path file, LinkageSettings settings) {
        JsonNode doc;
        try {
            doc = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw CrossCheckException.config("linkage parameters " + file + " cannot be read: " + e.getMessage());
        }
        List<Comparison> comparisons = settings.comparisons();
        if (!PRIOR_AMONG.equals(doc.path("prior_among").asText())) {
            // files of the first version held the match rate among candidate pairs, which over-links with u from
            // random pairs
            throw CrossCheckException.config("linkage parameters " + file + " were trained by an earlier version (the"
                    + " prior is not the match probability of two random records); delete the file to retrain");
        }
        JsonNode cs = doc.get("comparisons");
        if (cs == null || cs.size() != comparisons.size()) {
            throw CrossCheckException.config("linkage parameters " + file + " do not fit " + settings.source()
                    + " (other comparisons); delete the file to retrain");
        }
        double[][] m = new double[comparisons.size()][];
        double[][] u = new double[comparisons.size()][];
        for (int c = 0; c < comparisons.size(); c++) {
            JsonNode levels = cs.get(c).get("levels");
            List<Comparison.Level> expected = comparisons.get(c).levels();
            if (!comparisons.get(c).name().equals(cs.get(c).path("comparison").asText())
                    || levels == null || levels.size() != expected.size()) {
                throw CrossCheckException.config("linkage parameters " + file + ": comparison " + c + " is not "
                        + comparisons.get(c).name() + " with " + expected.size() + " levels as in " + settings.source()
                        + "; delete the file to retrain");
            }
            m[c] = new double[expected.size()];
            u[c] = new double[expected.size()];
            m[c][0] = 1;
            u[c][0] = 1;
            for (int l = 1; l < expected.size(); l++) {
                JsonNode lv = levels.get(l);
                if (!expected.get(l).name().equals(lv.path("level").asText())) {
                    throw CrossCheckException.config("linkage parameters " + file + ": level " + lv.path("level")
                            + " is not " + expected.get(l).name() + "; delete the file to retrain");
                }
                m[c][l] = lv.path("m").asDouble();
                u[c][l] = lv.path("u").asDouble();
            }
        }
        Map<String, Object> training = new ObjectMapper().convertValue(doc.path("training"), Map.class);
        // the cap is the settings' (a reviewer may lower it without retraining)
        return new FellegiSunterModel(doc.path("prior_match_probability").asDouble(), m, u, maxWeights(comparisons),
                training == null ? Map.of() : training);
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
