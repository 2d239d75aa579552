package org.crosscheck.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.DeltaTables;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the warehouse's Delta tables by name in the session's catalog, so a new session on the same metastore
 * runs {@code SELECT * FROM crosscheck.clean_benefit_payment}. Every table stays where it is (an external table at
 * its warehouse path); the metastore holds only the name and the location, the schema is read from the Delta log,
 * so a table whose schema a later run migrates needs no re-registration.
 *
 * <p>Edges: a table not written yet (no Delta log at its path) is skipped and registered by the first run that
 * writes it; a name already registered at the same location is left alone; a name registered at another location
 * (the warehouse moved) is dropped and registered again (only the name: external tables keep their files). The
 * analyst database holds only the pseudonymised copies, never a table with identity numbers or names.
 */
public final class TableCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(TableCatalog.class);

    private TableCatalog() {
    }

    /** What a registration did. */
    public record Registration(List<String> registered, List<String> unchanged, String skippedBecause) {
        public int total() {
            return registered.size() + unchanged.size();
        }
    }

    /** Table name to warehouse path, per database: the whole catalog as this warehouse defines it. */
    public static Map<String, String> layout(Tables tables, CrossCheckConfig.CatalogSettings settings) {
        Map<String, String> m = new LinkedHashMap<>();
        String db = settings.database();
        for (SourceFamily f : SourceFamily.values()) {
            m.put(db + ".clean_" + f.id(), tables.clean(f));
            m.put(db + ".quarantine_" + f.id(), tables.quarantine(f));
            m.put(db + ".bronze_" + f.id(), tables.bronze(f));
        }
        m.put(db + ".exceptions", tables.exceptions());
        m.put(db + ".review_log", tables.reviewLog());
        m.put(db + ".case_history", tables.caseHistory());
        m.put(db + ".rule_precision", tables.rulePrecision());
        m.put(db + ".metrics", tables.metrics());
        m.put(db + ".runs", tables.runs());
        m.put(db + ".ingest_log", tables.ingestLog());
        m.put(db + ".validation_log", tables.validationLog());
        m.put(db + ".person_cluster", tables.personCluster());
        for (SourceFamily f : SourceFamily.values()) {
            m.put(settings.analystDatabase() + "." + f.id(), tables.analyst(f));
        }
        m.put(settings.analystDatabase() + ".person_cluster", tables.analystPersonCluster());
        return m;
    }

    /**
     * Registers every table of {@link #layout} that exists. Does nothing (and says why) when the session has no
     * persistent catalog: a session started without Hive support, as in the test suite or under a notebook that
     * built its own session.
     */
    public static Registration register(SparkSession spark, Tables tables, CrossCheckConfig.CatalogSettings settings) {
        if (!settings.enabled()) {
            return new Registration(List.of(), List.of(), "catalog.metastore is none");
        }
        String impl = spark.conf().get("spark.sql.catalogImplementation", "in-memory");
        if (!"hive".equals(impl)) {
            String why = org.crosscheck.core.SparkSessions.catalogProblem();
            return new Registration(List.of(), List.of(), why != null ? why
                    : "this Spark session has no persistent catalog (spark.sql.catalogImplementation=" + impl + ")");
        }
        // asked first: the Hive client logs an ERROR for CREATE DATABASE IF NOT EXISTS on an existing database
        createDatabase(spark, settings.database(), "CrossCheck: cleaned, quarantine, bronze, meta and screening tables");
        createDatabase(spark, settings.analystDatabase(),
                "CrossCheck: pseudonymised tables for analysts (no identity numbers, names or accounts)");
        List<String> registered = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, String> e : layout(tables, settings).entrySet()) {
            String name = e.getKey();
            String path = e.getValue();
            if (!DeltaTables.exists(spark, path)) {
                continue;
            }
            String location = locationUri(path);
            String current = currentLocation(spark, name);
            if (current != null && sameLocation(current, location)) {
                unchanged.add(name);
                continue;
            }
            if (current != null) {
                LOG.info("catalog: {} pointed at {}; registering it at {}", name, current, location);
                spark.sql("DROP TABLE " + name);
            }
            spark.sql("CREATE TABLE " + name + " USING delta LOCATION '" + location.replace("'", "\\'") + "'");
            registered.add(name);
        }
        LOG.info("catalog: {} tables registered, {} already registered", registered.size(), unchanged.size());
        return new Registration(registered, unchanged, null);
    }

    private static void createDatabase(SparkSession spark, String name, String comment) {
        if (!spark.catalog().databaseExists(name)) {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + name + " COMMENT '" + comment + "'");
        }
    }

    private static String locationUri(String path) {
        return org.crosscheck.core.ConfigLoader.hasScheme(path) ? path : java.nio.file.Path.of(path).toAbsolutePath().toUri().toString();
    }

    private static boolean sameLocation(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String uri) {
        String s = uri.replaceFirst("^file:/+", "/");
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String currentLocation(SparkSession spark, String name) {
        if (!spark.catalog().tableExists(name)) {
            return null;
        }
        for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + name).collectAsList()) {
            if ("Location".equals(r.getString(0))) {
                return r.getString(1);
            }
        }
        return "";
    }
}
