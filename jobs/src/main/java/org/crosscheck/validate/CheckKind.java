package org.crosscheck.validate;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_date;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;

/**
 * The kinds of quality check ({@code check:} in a rule file under {@code rules/quality/}, listed in
 * docs/validation.md). Each kind owns both halves of what it means: which fields and arguments it needs
 * ({@link #problems}, reported when the rule file loads, before any Spark work) and when a row violates it
 * ({@link #violation}, a Spark condition). A new kind is one more constant here.
 *
 * <p>A check whose fields are null on a row passes on that row; missing values are the business of
 * {@code not_blank} and the parse checks.
 */
public enum CheckKind {
    /** value present and not blank (after trimming and NFKC). */
    NOT_BLANK(Fields.ANY) {
        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            return perField(c, f -> not(e.present(f)));
        }
    },
    /** value matches {@code pattern} (a Java regular expression, whole value). */
    PATTERN(Fields.ANY) {
        @Override
        void checkArguments(QualityCheck c, List<String> p) {
            if (c.argument("pattern") == null) {
                p.add("arguments.pattern is required");
                return;
            }
            try {
                java.util.regex.Pattern.compile(c.argument("pattern"));
            } catch (PatternSyntaxException ex) {
                p.add("arguments.pattern is not a regular expression: " + ex.getDescription());
            }
        }

        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            return perField(c, f -> not(col(f).cast("string").rlike(c.argument("pattern"))));
        }
    },
    /** value is one of {@code values}. */
    IN_LIST(Fields.ANY) {
        @Override
        void checkArguments(QualityCheck c, List<String> p) {
            if (c.listArgument("values").isEmpty()) {
                p.add("arguments.values (a list) is required");
            }
        }

        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            return perField(c, f -> not(col(f).cast("string").isin(c.listArgument("values").toArray())));
        }
    },
    /**
     * number or date within {@code min}/{@code max} (inclusive) or {@code above}/{@code below} (exclusive);
     * {@code today} allowed for dates.
     */
    RANGE(Fields.ANY) {
        @Override
        void checkArguments(QualityCheck c, List<String> p) {
            if (c.argument("min") == null && c.argument("max") == null && c.argument("above") == null
                    && c.argument("below") == null) {
                p.add("arguments needs at least one of min, max, above, below");
            }
        }

        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            return perField(c, f -> {
                DataType type = e.fieldType(f);
                Column v = col(f);
                Column bad = lit(false);
                if (c.argument("min") != null) {
                    bad = bad.or(v.lt(bound(c.argument("min"), type)));
                }
                if (c.argument("max") != null) {
                    bad = bad.or(v.gt(bound(c.argument("max"), type)));
                }
                if (c.argument("above") != null) {
                    bad = bad.or(v.leq(bound(c.argument("above"), type)));
                }
                if (c.argument("below") != null) {
                    bad = bad.or(v.geq(bound(c.argument("below"), type)));
                }
                return bad;
            });
        }
    },
    /** fields [earlier, later]: the later date is not before the earlier one. */
    DATE_ORDER(2) {
        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            return allFields(c, col(c.fields().get(1)).lt(col(c.fields().get(0))));
        }
    },
    /** fields [birth_date, at_date]: age at the second date at most {@code years} (plausibility). */
    MAX_AGE(2) {
        @Override
        void checkArguments(QualityCheck c, List<String> p) {
            try {
                Integer.parseInt(String.valueOf(c.argument("years")));
            } catch (NumberFormatException ex) {
                p.add("arguments.years must be a whole number");
            }
        }

        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            int years = Integer.parseInt(c.argument("years"));
            return allFields(c, col(c.fields().get(1)).geq(add_months(col(c.fields().get(0)), 12 * (years + 1))));
        }
    },
    /** the fields together identify a record: one content per key within a batch (exact duplicates are not violations). */
    UNIQUE(Fields.ANY) {
        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            Column[] keys = c.fields().stream().map(f -> col(f)).toArray(Column[]::new);
            Column allPresent = lit(true);
            for (Column k : keys) {
                allPresent = allPresent.and(k.isNotNull());
            }
            Column contents = size(collect_set(when(col(StageSchemas.MALFORMED).isNull(), col("_row_hash")))
                    .over(Window.partitionBy(keys)));
            return allFields(c, allPresent.and(contents.gt(1)));
        }
    },
    /**
     * field value exists in one of the cleaned tables {@code tables} (column {@code column}, default the same name).
     * The evaluation joins the batch with those values first ({@link #readsOtherTables}).
     */
    REFERENCE(1) {
        @Override
        void checkArguments(QualityCheck c, List<String> p) {
            if (c.listArgument("tables").isEmpty()) {
                p.add("arguments.tables (source families) is required");
            }
            for (String t : c.listArgument("tables")) {
                try {
                    SourceFamily.fromId(t);
                } catch (CrossCheckException ex) {
                    p.add("arguments.tables: " + ex.getMessage());
                }
            }
        }

        @Override
        boolean readsOtherTables() {
            return true;
        }

        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            String f = c.fields().get(0);
            return List.of(new Violation(f, col(f).isNotNull().and(col(e.referenceFlag()).isNull()), lit(c.message()),
                    List.of(f)));
        }
    },
    /** a Spark SQL boolean expression {@code sql} that must hold (null counts as holding). */
    EXPRESSION(Fields.NONE) {
        @Override
        void checkArguments(QualityCheck c, List<String> p) {
            if (c.argument("sql") == null || c.argument("sql").isBlank()) {
                p.add("arguments.sql (a boolean Spark SQL expression) is required");
            }
        }

        @Override
        List<String> sqlConditions(QualityCheck c) {
            return List.of(c.argument("sql"));
        }

        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            return allFields(c, not(coalesce(expr(c.argument("sql")), lit(true))));
        }
    },
    /** GB 11643-1999: 18 characters, real embedded birth date, right check character. */
    IDENTITY_NUMBER(1) {
        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            String f = c.fields().get(0);
            Column id = col(f);
            Column shape = id.rlike("^[0-9]{17}[0-9X]$");
            Column birth = call_function("cc_id_birth_date", id);
            Column valid = shape.and(birth.isNotNull()).and(coalesce(call_function("cc_id_valid", id), lit(false)));
            Column detail = when(not(shape), lit(" (expected 18 characters: 17 digits and a digit or X)"))
                    .when(birth.isNull(), lit(" (the embedded birth date is not a real date)"))
                    .otherwise(concat(lit(" (the check character should be "), call_function("cc_id_check_char", id),
                            lit(")")));
            return List.of(new Violation(f, id.isNotNull().and(not(valid)), concat(lit(c.message()), detail),
                    List.of(f)));
        }
    },
    /** fields [national_id, birth_date]: the birth date embedded in the number equals the birth-date field. */
    IDENTITY_BIRTH_DATE(2) {
        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            Column embedded = call_function("cc_id_birth_date", col(c.fields().get(0))).cast("date");
            Column birth = col(c.fields().get(1));
            return List.of(new Violation(String.join(",", c.fields()),
                    embedded.isNotNull().and(birth.isNotNull()).and(embedded.notEqual(birth)),
                    concat(lit(c.message()), lit(" (the number says "), embedded.cast("string"), lit(")")), c.fields()));
        }
    },
    /** fields [national_id, sex]: the 17th digit's parity (odd male) agrees with the sex field (M/F). */
    IDENTITY_SEX(2) {
        @Override
        List<Violation> violations(QualityCheck c, Evaluation e) {
            Column embedded = call_function("cc_id_sex", col(c.fields().get(0)));
            Column sex = col(c.fields().get(1));
            return List.of(new Violation(String.join(",", c.fields()),
                    embedded.isNotNull().and(sex.isin("M", "F")).and(embedded.notEqual(sex)),
                    concat(lit(c.message()), lit(" (the number says "), embedded, lit(")")), c.fields()));
        }
    };

    /**
     * One way a check can fail on a row.
     *
     * @param field     what the reason names as its field (several fields joined with commas)
     * @param violated  true on the rows that fail (null counts as passing)
     * @param message   the reviewer's message
     * @param valueOf   the fields whose raw values the reason shows
     */
    record Violation(String field, Column violated, Column message, List<String> valueOf) {
    }

    /**
     * What a kind's condition may use besides the row: the family's field types and, for {@link #REFERENCE}, the
     * helper column that holds true where the value was found in the referenced tables.
     */
    record Evaluation(SourceFamily family, String referenceFlag) {
        DataType fieldType(String f) {
            return family.fieldNames().contains(f) ? family.canonicalSchema().apply(f).dataType() : DataTypes.StringType;
        }

        /** The value is there: its trimmed NFKC text for fields read from bronze, else the column itself. */
        Column present(String f) {
            return StageSchemas.bronzeFields(family).contains(f) ? col("_norm." + f).isNotNull() : col(f).isNotNull();
        }
    }

    /** Field counts besides an exact number: one or more, or none needed (the fields then only show values). */
    private static final class Fields {
        static final int ANY = -1;
        static final int NONE = -2;
    }

    private final int fieldCount;

    CheckKind(int fieldCount) {
        this.fieldCount = fieldCount;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of that id, or null. */
    public static CheckKind fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElse(null);
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(CheckKind::id).toList();
    }

    /** Everything wrong with the check's fields and arguments for this kind; empty when it can run. */
    public final List<String> problems(QualityCheck c) {
        List<String> p = new ArrayList<>();
        if (fieldCount == Fields.ANY && c.fields().isEmpty()) {
            p.add("fields is required");
        } else if (fieldCount > 0 && c.fields().size() != fieldCount) {
            p.add("needs exactly " + (fieldCount == 1 ? "one field" : fieldCount + " fields"));
        }
        checkArguments(c, p);
        return p;
    }

    /** The check's violations on a row; each becomes one reason where violated and the check's filter holds. */
    abstract List<Violation> violations(QualityCheck c, Evaluation e);

    void checkArguments(QualityCheck c, List<String> problems) {
    }

    /** True when the condition needs values of other cleaned tables (joined in before the checks run). */
    boolean readsOtherTables() {
        return false;
    }

    /** Spark SQL conditions in the arguments, checked to be true/false expressions before the batch runs. */
    List<String> sqlConditions(QualityCheck c) {
        return List.of();
    }

    private static List<Violation> perField(QualityCheck c, java.util.function.Function<String, Column> violated) {
        return c.fields().stream().map(f -> new Violation(f, violated.apply(f), lit(c.message()), List.of(f))).toList();
    }

    private static List<Violation> allFields(QualityCheck c, Column violated) {
        return List.of(new Violation(String.join(",", c.fields()), violated, lit(c.message()), c.fields()));
    }

    private static Column bound(String value, DataType type) {
        if ("today".equalsIgnoreCase(value)) {
            return type.equals(DataTypes.TimestampType) ? current_timestamp() : current_date();
        }
        return lit(value).cast(type);
    }
}
