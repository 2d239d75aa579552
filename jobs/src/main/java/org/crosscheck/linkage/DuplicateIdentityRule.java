package org.crosscheck.linkage;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.screen.ConfigurableRule;
import org.crosscheck.screen.Findings;
import org.crosscheck.screen.ScreeningContext;

/**
 * Screening rule {@code duplicate_identity}: one person under two identity numbers, found by probabilistic linkage
 * ({@link LinkagePipeline} with the settings file, e.g. {@code rules/linkage/identity.yaml}) over every identity
 * seen in the registry, enrollment and payments ({@link IdentityRecords}), and paid under both numbers for the same
 * months.
 *
 * <p>Rationale (for risk officers): each person should hold one identity number. A second number can come from a
 * mistyped digit, a name written with a homophone character, a second registration in another region, or a number
 * made up from a real person's details that the civil registry has never seen. Two identities that agree on so much
 * that chance is an unlikely explanation (match probability at or above the settings' threshold), and were both paid
 * for the same months, may be one person drawing a benefit twice. Twins (same surname and birth date, other given
 * names, both numbers valid) are never linked. A finding is a lead for a reviewer: it says which facts agreed and how
 * much each weighed, and decides nothing.
 *
 * <p>Subject: the pair {@code "idA|idB"} (sorted, so the case keeps its id as months go by); period: the months both
 * were paid; amount at risk: what the identity whose payments started later received for those months (one of the
 * two streams is presumably legitimate). Evidence: both identity records, each comparison's level and weight, the
 * payments at risk. Parameters: {@code different_scheme_severity} (severity when the common months are paid from
 * different schemes), {@code retrain} (train on this data although the parameter file exists).
 *
 * <p>Parameters of the model come from the parameter file when it exists (trained once, reviewed, reused), else they
 * are trained on the data of the run (and not written: a rule does not write files; {@code crosscheck link} does).
 * The rule keeps its last linkage ({@link #lastRun}) so the screen command can write {@code person_cluster}.
 */
public final class DuplicateIdentityRule implements ConfigurableRule {
    public static final String ID = "duplicate_identity";
    public static final String VERSION = "4";

    private static final Map<String, Object> DEFAULTS;
    private static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, String> t = new LinkedHashMap<>();
        d.put("different_scheme_severity", "medium");
        t.put("different_scheme_severity", "Severity when the two identities are paid from different schemes for the"
                + " common months.");
        d.put("retrain", false);
        t.put("retrain", "Train the linkage model on this run's data even when the parameter file exists.");
        DEFAULTS = Collections.unmodifiableMap(d);
        DESCRIPTIONS = Collections.unmodifiableMap(t);
    }

    private final Path settingsFile;
    private final Path parametersFile;
    private final Map<String, Object> values;
    private transient LinkagePipeline.Result lastRun;

    /**
     * @param settingsFile   the linkage settings (e.g. rules/linkage/identity.yaml)
     * @param parametersFile the trained parameters (read when present), may be null
     */
    public DuplicateIdentityRule(Path settingsFile, Path parametersFile) {
        this(settingsFile, parametersFile, DEFAULTS);
    }

    private DuplicateIdentityRule(Path settingsFile, Path parametersFile, Map<String, Object> values) {
        this.settingsFile = settingsFile;
        this.parametersFile = parametersFile;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (!Findings.SEVERITIES.contains(String.valueOf(values.get("different_scheme_severity")))) {
            throw CrossCheckException.config("screening.parameters.duplicate_identity.different_scheme_severity must be"
                    + " one of " + Findings.SEVERITIES + ", got " + values.get("different_scheme_severity"));
        }
    }

    /** The rule for a rules folder layout: {@code <screening rules>/../linkage/identity.yaml} and its parameters. */
    public static DuplicateIdentityRule forScreeningRules(String screeningRules) {
        Path linkage = Path.of(screeningRules).toAbsolutePath().normalize().resolveSibling("linkage");
        // the shipped parameter file is read when present; a screening run never writes into the rules folder
        Path parameters = linkage.resolve("identity-parameters.json");
        return new DuplicateIdentityRule(linkage.resolve("identity.yaml"),
                java.nio.file.Files.exists(parameters) ? parameters : null);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String title() {
        return "One person under two identity numbers (probabilistic linkage) and paid under both";
    }

    @Override
    public String severity() {
        return "high";
    }

    @Override
    public Set<SourceFamily> reads() {
        return Set.of(SourceFamily.CIVIL_REGISTRY, SourceFamily.ENROLLMENT, SourceFamily.BENEFIT_PAYMENT);
    }

    @Override
    public Map<String, Object> parameters() {
        return values;
    }

    @Override
    public Map<String, String> parameterDescriptions() {
        return DESCRIPTIONS;
    }

    @Override
    public DuplicateIdentityRule withParameters(Map<String, Object> newValues) {
        return new DuplicateIdentityRule(settingsFile, parametersFile, newValues);
    }

    public Path settingsFile() {
        return settingsFile;
    }

    public Path parametersFile() {
        return parametersFile;
    }

    /** The linkage of the last {@link #findings} call (null before). */
    public LinkagePipeline.Result lastRun() {
        return lastRun;
    }

    /** Links the identities of the registered views. */
    public LinkagePipeline.Result link(SparkSession spark) {
        LinkageSettings settings = LinkageSettings.load(settingsFile);
        return new LinkagePipeline(spark, settings).run(IdentityRecords.fromViews(spark), parametersFile,
                Boolean.TRUE.equals(values.get("retrain")));
    }

    @Override
    public Dataset<Row> findings(SparkSession spark, ScreeningContext context) {
        LinkagePipeline.Result run = link(spark);
        lastRun = run;
        run.links().createOrReplaceTempView("_duplicate_identity_links");
        run.records().createOrReplaceTempView("_duplicate_identity_records");
        String severity = String.valueOf(values.get("different_scheme_severity")).replace("'", "");
        return spark.sql(SQL.replace("${different_scheme_severity}", "'" + severity + "'"));
    }

    private static final String SQL = """
            WITH pair AS (
              SELECT id_l AS id_a, id_r AS id_b, match_weight, match_probability, contributions
              FROM _duplicate_identity_links
            ),
            pair_ids AS (SELECT id_a AS national_id FROM pair UNION SELECT id_b FROM pair),
            paid AS (
              SELECT p.national_id, p.payment_id, p.scheme, p.amount,
                     explode(sequence(trunc(coalesce(p.period_start, p.period_end), 'MM'),
                                      trunc(coalesce(p.period_end, p.period_start), 'MM'), interval 1 month)) AS month,
                     to_json(named_struct('table', 'benefit_payment', 'national_id', p.national_id,
                                          'payment_id', p.payment_id, 'scheme', p.scheme, 'period_start', p.period_start,
                                          'period_end', p.period_end, 'payment_date', p.payment_date, 'amount', p.amount,
                                          'payee_name', p.payee_name, 'bank_account', p.bank_account, 'region', p.region,
                                          'source_file', p._source_file, 'record_number', p._record_number)) AS record
              FROM benefit_payment p LEFT SEMI JOIN pair_ids i ON p.national_id = i.national_id
              WHERE coalesce(p.period_start, p.period_end) IS NOT NULL
            ),
            months AS (SELECT national_id, month, min(scheme) AS scheme FROM paid GROUP BY national_id, month),
            first_paid AS (SELECT national_id, min(month) AS first_month FROM months GROUP BY national_id),
            common AS (
              SELECT pr.id_a, pr.id_b, ma.month, ma.scheme = mb.scheme AS same_scheme,
                     CASE WHEN fa.first_month < fb.first_month THEN pr.id_b
                          WHEN fb.first_month < fa.first_month THEN pr.id_a
                          ELSE greatest(pr.id_a, pr.id_b) END AS later_id
              FROM pair pr
              JOIN months ma ON ma.national_id = pr.id_a
              JOIN months mb ON mb.national_id = pr.id_b AND mb.month = ma.month
              JOIN first_paid fa ON fa.national_id = pr.id_a
              JOIN first_paid fb ON fb.national_id = pr.id_b
            ),
            at_risk AS (
              SELECT DISTINCT c.id_a, c.id_b, p.payment_id, p.scheme, p.amount, p.record
              FROM common c JOIN paid p ON p.national_id = c.later_id AND p.month = c.month
            ),
            by_pair AS (
              SELECT id_a, id_b, first(later_id) AS later_id, min(month) AS first_month, max(month) AS last_month,
                     count(DISTINCT month) AS common_months, bool_and(same_scheme) AS same_scheme
              FROM common GROUP BY id_a, id_b
            ),
            payments AS (
              SELECT id_a, id_b, sum(amount) AS amount, min(scheme) AS scheme,
                     array_join(array_sort(collect_list(record)), ',') AS records
              FROM at_risk GROUP BY id_a, id_b
            ),
            rec AS (
              SELECT record_id, display_name, region, in_registry,
                     to_json(named_struct('table', 'identity', 'national_id', record_id, 'full_name', display_name,
                                          'birth_date', birth_date, 'sex', sex, 'region', region,
                                          'bank_account', bank_account, 'employer_id', employer_id,
                                          'valid_number', id_valid, 'sources', sources)) AS record
              FROM _duplicate_identity_records
            ),
            scored AS (
              SELECT pr.*,
                     array_join(transform(filter(contributions, c -> NOT c.level LIKE '%Missing'),
                                c -> concat(c.words, ' ', format_string('%+.1f', c.weight))), ', ') AS reasons,
                     to_json(named_struct('table', 'linkage', 'match_weight', match_weight,
                                          'match_probability', round(match_probability, 6),
                                          'comparisons', contributions)) AS linkage_record
              FROM pair pr
            )
            SELECT 'person_pair' AS subject_type,
                   concat(b.id_a, '|', b.id_b) AS subject_id,
                   p.scheme,
                   ra.region,
                   period_label(b.first_month, last_day(b.last_month)) AS period,
                   p.amount AS amount_at_risk,
                   CASE WHEN NOT b.same_scheme THEN ${different_scheme_severity} END AS severity,
                   concat('[', ra.record, ',', rb.record, ',', s.linkage_record, ',', p.records, ']') AS evidence,
                   concat(ra.display_name, ' (', b.id_a, ') and ', rb.display_name, ' (', b.id_b,
                          ') look like one person under two identity numbers (match probability ',
                          format_number(s.match_probability, 4), ', weight ', format_string('%.1f', s.match_weight),
                          '): ', s.reasons, '.',
                          CASE WHEN NOT ra.in_registry AND NOT rb.in_registry THEN ' Neither number is in the civil registry.'
                               WHEN NOT ra.in_registry THEN concat(' ', b.id_a, ' is not in the civil registry.')
                               WHEN NOT rb.in_registry THEN concat(' ', b.id_b, ' is not in the civil registry.')
                               ELSE '' END,
                          ' Benefits were paid to both numbers for ',
                          CASE b.common_months WHEN 1 THEN '1 month' ELSE concat(b.common_months, ' months') END,
                          ', ', period_label(b.first_month, last_day(b.last_month)),
                          '; the number whose payments started later, ', b.later_id, ', received ',
                          format_number(p.amount, 2), ' for those months. Check whether these are one person or two.')
                     AS explanation
            FROM by_pair b
            JOIN payments p ON p.id_a = b.id_a AND p.id_b = b.id_b
            JOIN scored s ON s.id_a = b.id_a AND s.id_b = b.id_b
            JOIN rec ra ON ra.record_id = b.id_a
            JOIN rec rb ON rb.record_id = b.id_b
            """;

    /** The rule's Java siblings for the engine: {@code ScreeningEngine.load(spark, settings, rules(...))}. */
    public static List<org.crosscheck.screen.ScreeningRule> rules(String screeningRules) {
        return List.of(forScreeningRules(screeningRules));
    }
}
