package org.crosscheck.corrections;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.Tables;
import org.crosscheck.screen.ExceptionList;

/**
 * Notice drafts to the persons behind confirmed cases ({@code <exports>/corrections/<run id>/notices/
 * notice-<case id>.md}): what the records show (the case's explanation, which speaks of this person only), which
 * departments hold those records, and how to respond, filled into a Markdown template the agency adapts. Only cases
 * about one person ({@code subject_type = person}) get a notice: a case about a pair or an account would show one
 * person another's data. The identity number is masked to its last four characters.
 */
public final class PersonNotices {
    static final String BUILT_IN = "/notices/notice_template.md";

    private PersonNotices() {
    }

    public static String template(String configured) {
        try {
            if (configured != null) {
                return Files.readString(Path.of(configured), StandardCharsets.UTF_8);
            }
            try (InputStream in = PersonNotices.class.getResourceAsStream(BUILT_IN)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw CrossCheckException.config("corrections.notice_template " + configured + " cannot be read: "
                    + e.getMessage());
        }
    }

    /** Writes one draft per confirmed, active person case; returns the files. */
    public static List<Path> write(SparkSession spark, Tables tables, Path folder, String template,
                                   List<RequestItem> items, LocalDate today) {
        List<Path> out = new ArrayList<>();
        if (!DeltaTables.exists(spark, tables.exceptions())) {
            return out;
        }
        List<Row> cases = spark.read().format("delta").load(tables.exceptions())
                .filter(col(ExceptionList.STATE).equalTo(ExceptionList.ACTIVE)
                        .and(col("disposition").equalTo("confirmed")).and(col("subject_type").equalTo("person")))
                .select("exception_id", "rule_id", "subject_id", "subject_name", "explanation")
                .orderBy("exception_id").collectAsList();
        try {
            Path dir = folder.resolve("notices");
            Files.createDirectories(dir);
            for (Row c : cases) {
                TreeSet<String> departments = new TreeSet<>();
                items.stream().filter(i -> c.getString(0).equals(i.exceptionId())).forEach(i -> departments.add(
                        i.department()));
                Path f = dir.resolve("notice-" + c.getString(0) + ".md");
                Files.writeString(f, fill(template, Map.of(
                        "name", c.isNullAt(3) ? "the person concerned" : c.getString(3),
                        "id_masked", mask(c.getString(2)),
                        "case_id", c.getString(0),
                        "rule_id", c.getString(1),
                        "what_records_show", c.isNullAt(4) ? "" : c.getString(4),
                        "departments", departments.isEmpty() ? "- the departments that delivered the records"
                                : "- " + String.join("\n- ", departments),
                        "date", today.toString())), StandardCharsets.UTF_8);
                out.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write notice drafts into " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    static String fill(String template, Map<String, String> values) {
        String s = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace("{" + e.getKey() + "}", e.getValue());
        }
        return s;
    }

    static String mask(String id) {
        if (id == null || id.length() <= 4) {
            return "****";
        }
        return "*".repeat(id.length() - 4) + id.substring(id.length() - 4);
    }
}
