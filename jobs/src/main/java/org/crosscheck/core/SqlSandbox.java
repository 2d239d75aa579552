package org.crosscheck.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedGenerator;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What SQL written in a rule file may do: read the cleaned tables it declares and compute with pure functions,
 * nothing else. Screening-rule queries and quality-check expressions are parsed into Spark's logical plan (the
 * parser alone, no session, no variable substitution) and the plan is walked:
 * <ul>
 *   <li>a table reference must be a single name listed under the rule's {@code reads} (or a CTE of the query): no
 *       file-path tables ({@code text.`/etc/passwd`}, {@code parquet.`…`}, {@code delta.`…`}), no catalog or
 *       database prefix, no table-valued functions ({@code range}, {@code read_files}), no {@code IDENTIFIER(…)};</li>
 *   <li>a function must be on the allow-list: Spark's built-in functions of the pure groups (aggregate, array,
 *       string, date, math, JSON, …) plus the named CrossCheck functions. Everything that reaches the JVM, the file
 *       system or the environment is therefore refused ({@code reflect}, {@code java_method}, {@code try_reflect},
 *       {@code current_user}, {@code version}, {@code xpath}, {@code from_protobuf}, session UDFs …) without having
 *       to be listed; {@code input_file_name} and a few other harmless diagnostics are allowed by name;</li>
 *   <li>every plan node must be a query operator (select, join, aggregate, window, union, …): DDL, DML,
 *       {@code SET}, {@code EXECUTE IMMEDIATE} and any statement are refused;</li>
 *   <li>{@code ${…}} left in the text is refused: Spark's session parser would replace {@code ${env:NAME}} with an
 *       environment variable.</li>
 * </ul>
 * Every problem is reported, each naming the file ({@code where}).
 */
public final class SqlSandbox {
    /** Groups of Spark's built-in function registry whose functions only compute on their arguments. */
    private static final Set<String> PURE_GROUPS = Set.of("agg_funcs", "array_funcs", "bitwise_funcs",
            "collection_funcs", "conditional_funcs", "conversion_funcs", "csv_funcs", "datetime_funcs",
            "generator_funcs", "hash_funcs", "json_funcs", "lambda_funcs", "map_funcs", "math_funcs",
            "predicate_funcs", "string_funcs", "struct_funcs", "window_funcs", "variant_funcs", "url_funcs");
    /** Allowed by name from the other groups: they read nothing outside the row being computed. */
    private static final Set<String> ALSO_ALLOWED = Set.of("input_file_name", "input_file_block_start",
            "input_file_block_length", "typeof", "assert_true", "raise_error", "monotonically_increasing_id",
            "spark_partition_id", "uuid");
    /** Parsed-plan operators a query may contain (simple class names). */
    private static final Set<String> QUERY_NODES = Set.of("Project", "Filter", "Aggregate", "Join", "SubqueryAlias",
            "UnresolvedRelation", "UnresolvedWith", "Union", "Distinct", "Sort", "GlobalLimit", "LocalLimit", "Offset",
            "Window", "WithWindowDefinition", "Generate", "UnresolvedInlineTable", "OneRowRelation", "Intersect",
            "Except", "UnresolvedHint", "Deduplicate", "Pivot", "Unpivot", "LateralJoin", "Sample",
            "UnresolvedSubqueryColumnAliases", "RepartitionByExpression", "Repartition", "Tail", "Expand",
            "UnresolvedHaving", "InlineTable", "LocalRelation", "CTERelationRef", "CTERelationDef", "WithCTE");
    private static final Set<String> BUILTIN = builtinAllowList();

    private SqlSandbox() {
    }

    /** Throws a configuration error listing every problem of a rule's query; nothing when it is safe. */
    public static void requireSafeQuery(String sql, Collection<String> reads, Set<String> extraFunctions, String where) {
        List<String> p = queryProblems(sql, reads, extraFunctions);
        if (!p.isEmpty()) {
            throw CrossCheckException.config(where + ": the SQL is refused:\n  - " + String.join("\n  - ", p));
        }
    }

    /** Problems of one SELECT query that may read only {@code reads}. */
    public static List<String> queryProblems(String sql, Collection<String> reads, Set<String> extraFunctions) {
        List<String> problems = new ArrayList<>();
        if (textProblems(sql, problems)) {
            return problems;
        }
        LogicalPlan plan;
        try {
            plan = CatalystSqlParser$.MODULE$.parsePlan(sql);
        } catch (Exception e) {
            problems.add("it does not parse as one query: " + firstLine(e.getMessage()));
            return problems;
        }
        Walk w = new Walk(reads, extraFunctions, problems);
        w.visit(plan);
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    /** Problems of a boolean expression (quality check {@code sql} or {@code filter}): it may read no table. */
    public static List<String> expressionProblems(String sql, Set<String> extraFunctions) {
        List<String> problems = new ArrayList<>();
        if (textProblems(sql, problems)) {
            return problems;
        }
        Expression e;
        try {
            e = CatalystSqlParser$.MODULE$.parseExpression(sql);
        } catch (Exception ex) {
            problems.add("'" + sql + "' does not parse as an expression: " + firstLine(ex.getMessage()));
            return problems;
        }
        new Walk(List.of(), extraFunctions, problems).visit(e);
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    /** Problems of one quality check's {@code sql} and {@code filter} (either may be null), prefixed with its name. */
    public static List<String> qualityCheckProblems(String check, String sql, String filter, Set<String> extraFunctions) {
        List<String> out = new ArrayList<>();
        for (String s : new String[] {sql, filter}) {
            if (s != null && !s.isBlank()) {
                expressionProblems(s, extraFunctions).forEach(p -> out.add("check '" + check + "': the SQL is refused: " + p));
            }
        }
        return out;
    }

    private static boolean textProblems(String sql, List<String> problems) {
        if (sql == null || sql.isBlank()) {
            problems.add("the SQL is empty");
            return true;
        }
        if (sql.contains("${")) {
            problems.add("'${' is not allowed in the SQL (Spark would substitute variables such as ${env:NAME});"
                    + " declare a parameter instead");
            return true;
        }
        return false;
    }

    private static Set<String> builtinAllowList() {
        var registry = FunctionRegistry$.MODULE$.builtin();
        Set<String> out = new TreeSet<>(ALSO_ALLOWED);
        for (FunctionIdentifier id : CollectionConverters.asJava(registry.listFunction())) {
            scala.Option<ExpressionInfo> info = registry.lookupFunction(id);
            if (info.isDefined() && PURE_GROUPS.contains(String.valueOf(info.get().getGroup()))) {
                out.add(id.funcName().toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(out);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    /** Walks every node, expression and nested value of the parsed tree (CTE bodies, window definitions included). */
    private static final class Walk {
        private final Set<String> tables = new TreeSet<>();
        private final Set<String> functions;
        private final List<String> problems;
        private final Set<String> declared;

        Walk(Collection<String> reads, Set<String> extraFunctions, List<String> problems) {
            reads.forEach(r -> tables.add(r.toLowerCase(Locale.ROOT)));
            this.declared = new TreeSet<>(tables);
            this.functions = extraFunctions;
            this.problems = problems;
        }

        void visit(Object o) {
            if (o instanceof LogicalPlan plan) {
                plan(plan);
            } else if (o instanceof Expression e) {
                expression(e);
            } else if (o instanceof scala.Option<?> opt) {
                if (opt.isDefined()) {
                    visit(opt.get());
                }
                return;
            } else if (o instanceof scala.collection.Iterable<?> it) {
                it.foreach(x -> {
                    visit(x);
                    return null;
                });
                return;
            } else if (!(o instanceof scala.Product)) {
                return;
            }
            scala.collection.Iterator<Object> fields = ((scala.Product) o).productIterator();
            while (fields.hasNext()) {
                visit(fields.next());
            }
        }

        private void plan(LogicalPlan plan) {
            String node = plan.getClass().getSimpleName();
            if (plan instanceof UnresolvedWith with) {
                for (var cte : CollectionConverters.asJava(with.cteRelations())) {
                    tables.add(cte._1().toLowerCase(Locale.ROOT));
                }
            }
            if (plan instanceof UnresolvedRelation r) {
                List<String> parts = CollectionConverters.asJava(r.multipartIdentifier());
                String name = String.join(".", parts.stream().map(s -> "`" + s + "`").toList());
                if (parts.size() != 1) {
                    problems.add("it reads " + name + ": only the cleaned tables, by their plain name, may be read"
                            + " (no file paths such as text.`/etc/passwd`, no catalog or database prefix)");
                } else if (!tables.contains(parts.get(0).toLowerCase(Locale.ROOT))) {
                    problems.add("it reads table '" + parts.get(0) + "', which is not listed under 'reads' "
                            + declared + " (every table it uses must be listed under 'reads')");
                }
            } else if (node.equals("UnresolvedTableValuedFunction") || node.equals("UnresolvedTVFAliases")) {
                problems.add("it calls a table-valued function (" + firstLine(plan.simpleString(80))
                        + "); a rule reads only the tables under 'reads'");
            } else if (node.contains("Identifier")) {
                problems.add("IDENTIFIER(...) is not allowed: name tables and columns directly");
            } else if (!QUERY_NODES.contains(node)) {
                problems.add("it contains a " + node + " statement; a rule is a single SELECT query");
            }
        }

        private void expression(Expression e) {
            if (e instanceof UnresolvedFunction f) {
                function(CollectionConverters.asJava(f.nameParts()));
            } else if (e instanceof UnresolvedGenerator g) {
                function(List.of(g.name().funcName()));
            } else if (e.getClass().getSimpleName().contains("Identifier")) {
                problems.add("IDENTIFIER(...) is not allowed: name tables and columns directly");
            }
        }

        private void function(List<String> nameParts) {
            String name = String.join(".", nameParts).toLowerCase(Locale.ROOT);
            if (nameParts.size() != 1 || !(BUILTIN.contains(name) || functions.contains(name))) {
                problems.add("it calls " + name + "(), which rules may not use (allowed: Spark's pure built-in"
                        + " functions and " + new TreeSet<>(functions) + "; nothing that reaches the JVM, files"
                        + " or the environment, such as reflect or java_method)");
            }
        }
    }
}
