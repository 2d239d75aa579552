package org.crosscheck.screen;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code ${name}} in a rule's SQL with the parameter's value as a SQL literal, so a value can never
 * change the query's structure: numbers become numeric literals (anything else is refused), text becomes a quoted
 * string with quotes and backslashes escaped, true/false become TRUE/FALSE, and a list becomes a parenthesised
 * SQL list {@code ('a', 'b')} for {@code IN} (a list of lists: {@code (('a', 'b'), ('c', 'd'))}; an empty list
 * {@code (NULL)}, which matches nothing). {@code ${as_of_date}} is built in: the run's date as a DATE literal.
 */
public final class ParameterValues {
    public static final String AS_OF_DATE = "as_of_date";
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private ParameterValues() {
    }

    /** Names referenced as {@code ${name}} in the text, in order of first use. */
    public static Set<String> references(String sql) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The SQL with every reference replaced; a reference without a value is an error (checked earlier at load). */
    public static String substitute(String sql, Map<String, Object> values, LocalDate asOfDate) {
        Matcher m = REFERENCE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String literal;
            if (AS_OF_DATE.equals(name)) {
                literal = "DATE'" + asOfDate + "'";
            } else if (values.containsKey(name)) {
                literal = literal(values.get(name));
            } else {
                throw new IllegalArgumentException("no value for parameter ${" + name + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(literal));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A value as a SQL literal. */
    public static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        if (v instanceof CharSequence s) {
            return "'" + s.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                return "(NULL)";
            }
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(literal(o));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        throw new IllegalArgumentException("a parameter value must be a number, text, true/false or a list, not "
                + v.getClass().getSimpleName());
    }

    /** The kind of a value, for checking an override against the default: number, text, boolean, list or null. */
    public static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean) {
            return "true/false";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof CharSequence) {
            return "text";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        return v.getClass().getSimpleName();
    }
}
