package org.crosscheck.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;


/**
 * Renders {@link ReportFigures} as one self-contained HTML page: the tables are plain HTML, the charts are drawn
 * by Apache ECharts (inlined from its WebJar, SVG renderer), so the file opens from disk and makes no network
 * request. Every figure cell carries {@code data-figure="<key>"} and every chart {@code data-expected-total}; after
 * drawing, the page's script sets {@code data-state="rendered"} and {@code data-rendered-total} (the sum of what
 * the chart drew), which the browser check compares.
 */
final class ReportPage {

    private final StringBuilder html = new StringBuilder();
    private final Map<String, Object> charts = new LinkedHashMap<>();

    private ReportPage() {
    }

    static String render(ReportFigures f, String warehouse) {
        return new ReportPage().page(f, warehouse);
    }

    private String page(ReportFigures f, String warehouse) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>CrossCheck run ")
                .append(esc(f.runId())).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>CrossCheck run <span data-figure=\"run_id\">").append(esc(f.runId())).append("</span></h1>\n")
                .append("<p class=\"meta\">Generated ").append(esc(Instant.now().toString())).append(" from the tables under ")
                .append(esc(warehouse)).append(". Previous run: ")
                .append(esc(f.previousRunId() == null ? "none" : f.previousRunId()))
                .append(". A flag is a lead for human review, never a decision.</p>\n");
        summary(f);
        inputs(f);
        quality(f);
        exceptions(f);
        changes(f);
        precision(f);
        topCases(f);
        html.append("<script type=\"application/json\" id=\"report-charts\">").append(Charts.json(charts)).append("</script>\n");
        html.append("<script>").append(Charts.library()).append("</script>\n");
        html.append("<script>").append(Charts.DRAW).append(DRAW_ALL).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private void summary(ReportFigures f) {
        long rows = f.families().stream().mapToLong(ReportFigures.FamilyRow::rowsRead).sum();
        long quarantined = f.families().stream().mapToLong(ReportFigures.FamilyRow::quarantined).sum();
        html.append("<div class=\"cards\">")
                .append(card("rows read", "summary.rows_read", num(rows)))
                .append(card("quarantined", "summary.quarantined", num(quarantined)))
                .append(card("cases under review", "summary.active_cases", num(f.activeCases())))
                .append(card("new this run", "summary.new_cases", num(f.changes().newCases())))
                .append(card("amount at risk (counted once)", "summary.amount_at_risk", money(f.amountAtRiskOnce())))
                .append("</div>\n");
    }

    private void inputs(ReportFigures f) {
        section("inputs", "Inputs and row accounting per family",
                "Every row read is accounted for: inserted + updated + unchanged + superseded + quarantined + duplicates.");
        table(List.of("family", "files loaded (all runs)", "rows read", "inserted", "updated", "unchanged", "superseded",
                "quarantined", "duplicates", "warnings", "balanced"), f.families(), r -> List.of(
                cell(r.family()), fig("families." + r.family() + ".files", num(r.files())),
                fig("families." + r.family() + ".rows_read", num(r.rowsRead())),
                fig("families." + r.family() + ".inserted", num(r.inserted())),
                fig("families." + r.family() + ".updated", num(r.updated())),
                fig("families." + r.family() + ".unchanged", num(r.unchanged())),
                fig("families." + r.family() + ".superseded", num(r.superseded())),
                fig("families." + r.family() + ".quarantined", num(r.quarantined())),
                fig("families." + r.family() + ".duplicates", num(r.duplicates())),
                fig("families." + r.family() + ".warnings", num(r.warnings())),
                fig("families." + r.family() + ".balanced", r.balanced() ? "yes" : "NO")));
        List<String> names = f.families().stream().map(ReportFigures.FamilyRow::family).toList();
        Map<String, List<Number>> series = new LinkedHashMap<>();
        series.put("inserted", col(f.families(), ReportFigures.FamilyRow::inserted));
        series.put("updated", col(f.families(), ReportFigures.FamilyRow::updated));
        series.put("unchanged", col(f.families(), ReportFigures.FamilyRow::unchanged));
        series.put("superseded", col(f.families(), ReportFigures.FamilyRow::superseded));
        series.put("quarantined", col(f.families(), ReportFigures.FamilyRow::quarantined));
        series.put("duplicates", col(f.families(), ReportFigures.FamilyRow::duplicates));
        chart("accounting", "bar", true, names, series);
    }

    private void quality(ReportFigures f) {
        section("quality", "Quality violations by check",
                "Rows that failed each check in this run (a row can fail more than one check), and the trend over runs.");
        table(List.of("family", "check", "violations"), f.checks(), r -> List.of(cell(r.family()), cell(r.check()),
                fig("checks." + r.family() + "." + r.check(), num(r.violations()))));
        chart("checks", "bar", false, f.checks().stream().map(c -> c.family() + " / " + c.check()).toList(),
                Map.of("violations", col(f.checks(), ReportFigures.CheckRow::violations)));
        table(List.of("run", "rows read", "violations", "quarantined"), f.trend(), r -> List.of(cell(r.runId()),
                fig("trend." + r.runId() + ".rows_read", num(r.rowsRead())),
                fig("trend." + r.runId() + ".violations", num(r.violations())),
                fig("trend." + r.runId() + ".quarantined", num(r.quarantined()))));
        Map<String, List<Number>> trend = new LinkedHashMap<>();
        trend.put("violations", col(f.trend(), ReportFigures.TrendPoint::violations));
        trend.put("quarantined", col(f.trend(), ReportFigures.TrendPoint::quarantined));
        chart("trend", "line", false, f.trend().stream().map(ReportFigures.TrendPoint::runId).toList(), trend);
    }

    private void exceptions(ReportFigures f) {
        section("exceptions", "Exceptions by rule, severity and region",
                "Cases under review (state active). The total amount at risk counts money flagged by two rules for the "
                        + "same person, scheme and period once: <span data-figure=\"exceptions.amount_once\">"
                        + money(f.amountAtRiskOnce()) + "</span>.");
        table(List.of("rule", "high", "medium", "low", "cases", "amount at risk"), f.rules(), r -> List.of(
                cell(r.ruleId()), fig("rules." + r.ruleId() + ".high", num(r.high())),
                fig("rules." + r.ruleId() + ".medium", num(r.medium())), fig("rules." + r.ruleId() + ".low", num(r.low())),
                fig("rules." + r.ruleId() + ".cases", num(r.cases())),
                fig("rules." + r.ruleId() + ".amount", money(r.amountAtRisk()))));
        List<String> ruleIds = f.rules().stream().map(ReportFigures.RuleRow::ruleId).toList();
        Map<String, List<Number>> sev = new LinkedHashMap<>();
        sev.put("high", col(f.rules(), ReportFigures.RuleRow::high));
        sev.put("medium", col(f.rules(), ReportFigures.RuleRow::medium));
        sev.put("low", col(f.rules(), ReportFigures.RuleRow::low));
        chart("rules", "bar", true, ruleIds, sev);
        chart("amount", "bar", false, ruleIds, Map.of("amount at risk", col(f.rules(), ReportFigures.RuleRow::amountAtRisk)));
        table(List.of("region", "cases", "amount at risk"), f.regions(), r -> List.of(cell(r.region()),
                fig("regions." + r.region() + ".cases", num(r.cases())),
                fig("regions." + r.region() + ".amount", money(r.amountAtRisk()))));
        chart("regions", "bar", false, f.regions().stream().map(ReportFigures.RegionRow::region).toList(),
                Map.of("cases", col(f.regions(), ReportFigures.RegionRow::cases)));
    }

    private void changes(ReportFigures f) {
        ReportFigures.Changes c = f.changes();
        section("changes", "What changed since the previous run",
                "new: first found by this run; still open: found before and again; no longer found: found by the "
                        + "previous run, not by this one; reopened: no longer found before, found again now.");
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("new", c.newCases());
        counts.put("still open", c.stillOpen());
        counts.put("no longer found", c.noLongerFound());
        counts.put("reopened", c.reopened());
        counts.put("back for review", c.backForReview());
        Map<String, Long> disposition = new LinkedHashMap<>();
        disposition.put("confirmed", c.confirmed());
        disposition.put("dismissed", c.dismissed());
        disposition.put("undecided", c.undecided());
        List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
        table(List.of("change", "cases"), rows, e -> List.of(cell(e.getKey()),
                fig("changes." + e.getKey().replace(' ', '_'), num(e.getValue()))));
        chart("changes", "bar", false, List.copyOf(counts.keySet()),
                Map.of("cases", counts.values().stream().map(v -> (Number) v).toList()));
        table(List.of("disposition of cases under review", "cases"), new ArrayList<>(disposition.entrySet()),
                e -> List.of(cell(e.getKey()), fig("disposition." + e.getKey(), num(e.getValue()))));
    }

    private void precision(ReportFigures f) {
        section("precision", "Reviewers' precision per rule",
                "precision = confirmed / (confirmed + dismissed); empty while no case of the rule is decided.");
        table(List.of("rule", "version", "confirmed", "dismissed", "undecided", "precision"), f.precision(), r -> List.of(
                cell(r.ruleId()), cell(r.ruleVersion()), fig("precision." + r.ruleId() + ".confirmed", num(r.confirmed())),
                fig("precision." + r.ruleId() + ".dismissed", num(r.dismissed())),
                fig("precision." + r.ruleId() + ".undecided", num(r.undecided())),
                fig("precision." + r.ruleId() + ".precision",
                        r.precision() == null ? "" : String.format(Locale.ROOT, "%.2f", r.precision()))));
        Map<String, List<Number>> s = new LinkedHashMap<>();
        s.put("confirmed", col(f.precision(), ReportFigures.PrecisionRow::confirmed));
        s.put("dismissed", col(f.precision(), ReportFigures.PrecisionRow::dismissed));
        chart("precision", "bar", true, f.precision().stream().map(ReportFigures.PrecisionRow::ruleId).toList(), s);
    }

    private void topCases(ReportFigures f) {
        section("cases", "Top cases per rule",
                "The " + ReportFigures.TOP_CASES_PER_RULE + " cases with the largest amount at risk per rule, in plain words.");
        table(List.of("rule", "case", "severity", "region", "period", "amount at risk", "status", "explanation"),
                f.topCases(), r -> List.of(cell(r.ruleId()), fig("case." + r.exceptionId(), r.exceptionId()),
                        cell(r.severity()), cell(r.region()), cell(r.period()),
                        fig("case." + r.exceptionId() + ".amount", r.amountAtRisk() == null ? "" : money(r.amountAtRisk())),
                        cell(r.status()), cell(r.explanation())));
    }

    // ---- building blocks

    private void section(String id, String title, String intro) {
        html.append("<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>\n<p>").append(intro).append("</p>\n");
    }

    private <T> void table(List<String> headers, List<T> rows, Function<T, List<String>> cells) {
        html.append("<table><thead><tr>");
        headers.forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
        html.append("</tr></thead><tbody>");
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"").append(headers.size()).append("\" class=\"empty\">none</td></tr>");
        }
        for (T r : rows) {
            html.append("<tr>");
            cells.apply(r).forEach(html::append);
            html.append("</tr>");
        }
        html.append("</tbody></table>\n");
    }

    private void chart(String id, String type, boolean stacked, List<String> categories, Map<String, List<Number>> series) {
        BigDecimal total = Charts.total(series);
        charts.put(id, Charts.spec(type, stacked, categories, series));
        html.append("<div class=\"chart\" id=\"chart-").append(id).append("\" data-chart=\"").append(id)
                .append("\" data-expected-total=\"").append(total.stripTrailingZeros().toPlainString())
                .append("\" data-state=\"pending\"></div>\n");
    }

    private static String card(String label, String key, String value) {
        return "<div class=\"card\"><div class=\"value\" data-figure=\"" + esc(key) + "\">" + esc(value)
                + "</div><div class=\"label\">" + esc(label) + "</div></div>";
    }

    private static String cell(String text) {
        return "<td>" + esc(text == null ? "" : text) + "</td>";
    }

    private static String fig(String key, String text) {
        return "<td class=\"num\" data-figure=\"" + esc(key) + "\">" + esc(text) + "</td>";
    }

    private static <T> List<Number> col(List<T> rows, Function<T, Number> f) {
        return rows.stream().map(f).toList();
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String money(BigDecimal m) {
        return String.format(Locale.ROOT, "%,.2f", m);
    }

    private static String esc(String s) {
        return Charts.esc(s);
    }

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
            h1{font-size:1.6em} h2{margin-top:2em;border-bottom:1px solid #ccc}
            .meta{color:#666} table{border-collapse:collapse;margin:1em 0;font-size:.9em}
            th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
            th{background:#f4f4f4} td.num{text-align:right;white-space:nowrap} td.empty{color:#888}
            .chart{width:100%;height:320px} .cards{display:flex;gap:1em;flex-wrap:wrap}
            .card{border:1px solid #ddd;border-radius:6px;padding:.8em 1.2em;min-width:10em}
            .card .value{font-size:1.5em;font-weight:600} .card .label{color:#666}
            """;

    /** Draws every chart of the JSON block with {@link Charts#DRAW}. */
    private static final String DRAW_ALL = """
            (function(){
              var specs = JSON.parse(document.getElementById('report-charts').textContent);
              Object.keys(specs).forEach(function(id){ crosscheckDraw(document.getElementById('chart-' + id), specs[id]); });
              document.body.setAttribute('data-charts', 'done');
            })();
            """;
}
