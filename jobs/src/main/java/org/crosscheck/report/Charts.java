package org.crosscheck.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.lang3.StringUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Charts drawn by Apache ECharts (inlined from its WebJar, SVG renderer: no network request), for the run report
 * and for notebooks ({@code display("text/html", Charts.bar(...))}). A chart is a spec (type, stacked, categories,
 * named series of numbers) that one script function draws; after drawing it records on its element
 * {@code data-state="rendered"} and {@code data-rendered-total}, the sum of the values it drew.
 */
public final class Charts {
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {
    }

    /** The chart spec the draw function takes. */
    static Map<String, Object> spec(String type, boolean stacked, List<String> categories,
                                    Map<String, List<Number>> series) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", type);
        spec.put("stacked", stacked);
        spec.put("categories", categories);
        spec.put("series", series);
        return spec;
    }

    /** Sum of every value of every series: what the drawn chart must show in all. */
    static BigDecimal total(Map<String, List<Number>> series) {
        BigDecimal total = BigDecimal.ZERO;
        for (List<Number> s : series.values()) {
            for (Number n : s) {
                total = total.add(new BigDecimal(n.toString()));
            }
        }
        return total;
    }

    /** A bar chart as a self-contained HTML fragment (for a notebook cell). */
    public static String bar(String title, List<String> categories, Map<String, List<Number>> series, boolean stacked) {
        return fragment(title, spec("bar", stacked, categories, series));
    }

    /** A line chart as a self-contained HTML fragment (for a notebook cell). */
    public static String line(String title, List<String> categories, Map<String, List<Number>> series) {
        return fragment(title, spec("line", false, categories, series));
    }

    /**
     * A bar chart of a small result: the first column gives the categories, every further (numeric) column a series.
     */
    public static String bar(String title, Dataset<Row> result, boolean stacked) {
        return fragment(title, fromResult("bar", stacked, result));
    }

    /** A line chart of a small result: first column the x axis, every further column a series. */
    public static String line(String title, Dataset<Row> result) {
        return fragment(title, fromResult("line", false, result));
    }

    private static Map<String, Object> fromResult(String type, boolean stacked, Dataset<Row> result) {
        String[] cols = result.columns();
        List<Row> rows = result.collectAsList();
        List<String> categories = rows.stream().map(r -> String.valueOf(r.get(0))).toList();
        Map<String, List<Number>> series = new LinkedHashMap<>();
        for (int i = 1; i < cols.length; i++) {
            int c = i;
            series.put(cols[i], rows.stream().map(r -> r.isNullAt(c) ? (Number) 0 : (Number) r.get(c)).toList());
        }
        return spec(type, stacked, categories, series);
    }

    /** An HTML table of the first {@code maxRows} rows of a result (for a notebook cell). */
    public static String table(Dataset<Row> result, int maxRows) {
        StringBuilder sb = new StringBuilder("<table><thead><tr>");
        for (String c : result.columns()) {
            sb.append("<th>").append(esc(c)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (Row r : result.takeAsList(maxRows)) {
            sb.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                sb.append("<td>").append(esc(r.isNullAt(i) ? "" : String.valueOf(r.get(i)))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private static String fragment(String title, Map<String, Object> spec) {
        String id = "chart-" + UUID.randomUUID();
        return "<h4>" + esc(title) + "</h4><div class=\"chart\" id=\"" + id + "\" style=\"width:100%;height:320px\""
                + " data-state=\"pending\"></div><script>" + library() + "\n" + DRAW + "\ncrosscheckDraw(document"
                + ".getElementById('" + id + "'), " + json(spec) + ");</script>";
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String esc(String s) {
        return StringUtils.replaceEach(s, new String[]{"&", "<", ">", "\""}, new String[]{"&amp;", "&lt;", "&gt;", "&quot;"});
    }

    /** echarts.min.js, safe to inline in a script element. */
    static String library() {
        try (InputStream in = Charts.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException("ECharts is not on the classpath (" + ECHARTS + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Draws one spec into an element, then records what it drew on the element. */
    static final String DRAW = """
            function crosscheckDraw(el, spec) {
              try {
                var chart = echarts.init(el, null, {renderer: 'svg'});
                var names = Object.keys(spec.series);
                var series = names.map(function(name){
                  return {name: name, type: spec.type, stack: spec.stacked ? 'all' : undefined, data: spec.series[name],
                          label: {show: spec.categories.length <= 12 && !spec.stacked, position: 'top'}};
                });
                chart.setOption({animation: false, tooltip: {trigger: 'axis'}, legend: {data: names},
                  grid: {containLabel: true, left: 10, right: 10, bottom: 10},
                  xAxis: {type: 'category', data: spec.categories,
                          axisLabel: {interval: 0, rotate: spec.categories.length > 4 ? 30 : 0}},
                  yAxis: {type: 'value'}, series: series});
                var drawn = 0;
                chart.getOption().series.forEach(function(s){ s.data.forEach(function(v){ drawn += Number(v); }); });
                el.setAttribute('data-rendered-total', String(Math.round(drawn * 100) / 100));
                el.setAttribute('data-state', el.querySelector('svg') ? 'rendered' : 'no-svg');
              } catch (e) {
                el.setAttribute('data-state', 'error: ' + e);
              }
            }
            """;
}
