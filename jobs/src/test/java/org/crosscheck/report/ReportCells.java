package org.crosscheck.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The figures of a run report page: {@code data-figure} key to the text of its element. */
public final class ReportCells {
    private static final Pattern FIGURE = Pattern.compile("data-figure=\"([^\"]+)\">([^<]*)<");

    private ReportCells() {
    }

    public static Map<String, String> of(String html) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher matcher = FIGURE.matcher(html);
        while (matcher.find()) {
            m.put(unescape(matcher.group(1)), unescape(matcher.group(2)));
        }
        return m;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
