package org.crosscheck.screen;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * An explanation such as {@code "Pension for {period} paid to a person whose death on {death_date} ..."}: each
 * {@code {column}} is replaced by that output column's value, formatted for a reader — amounts with two decimals
 * and thousands separators ({@code 12,345.60}), dates as {@code yyyy-MM-dd}, a missing value as {@code unknown}.
 */
public final class ExplanationTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String template;

    public ExplanationTemplate(String template) {
        this.template = template;
    }

    public Set<String> columns() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The explanation as a column over a rule output of the given schema. */
    public Column toColumn(StructType schema) {
        List<Column> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(lit(template.substring(last, m.start())));
            }
            String name = m.group(1);
            parts.add(coalesce(formatted(col(name), schema.apply(name).dataType()), lit("unknown")));
            last = m.end();
        }
        if (last < template.length()) {
            parts.add(lit(template.substring(last)));
        }
        return parts.isEmpty() ? lit("") : concat(parts.toArray(Column[]::new));
    }

    private static Column formatted(Column c, DataType type) {
        if (type instanceof DecimalType || type.typeName().equals("double") || type.typeName().equals("float")) {
            return format_number(c, 2);
        }
        if (type instanceof DateType) {
            return date_format(c, "yyyy-MM-dd");
        }
        if (type instanceof TimestampType) {
            return date_format(c, "yyyy-MM-dd HH:mm");
        }
        if (type.typeName().equals("long") || type.typeName().equals("integer")) {
            return format_number(c, 0);
        }
        return c.cast("string");
    }
}
