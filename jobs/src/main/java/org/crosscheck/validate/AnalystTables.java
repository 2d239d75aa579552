package org.crosscheck.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.transform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.crosscheck.core.CrossCheckConfig;
import org.crosscheck.core.CrossCheckException;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;

/**
 * Pseudonymised copies of the cleaned tables for analysts ({@code analyst/<family>}): {@code national_id} is
 * replaced by {@code person_token}, the hex HMAC-SHA256 of the normalised id under a secret key (stable across
 * runs while the key is, so analysts can join families and runs); names, normalised names, bank accounts, the
 * source file path, the row hash and warning values are dropped (warnings keep only their check names, in
 * {@code _warning_checks}); birth date, region and death date are coarsened by {@link Generalisation}. Risk
 * officers work on the cleaned tables, which keep real identifiers.
 *
 * <p>The key comes from the environment variable {@code pseudonymisation.key_env} or the file
 * {@code pseudonymisation.key_file}, never from the repository. Without a key nothing is published and
 * {@link CrossCheckException#config} explains how to supply one; validation results are unaffected. Each
 * publish overwrites the analyst tables with the current cleaned tables; families without a cleaned table are
 * skipped.
 *
 * <p>Identity resolution's {@code person_cluster} (national_id, cluster_id, cluster_size), when it exists, gets its
 * copy {@code analyst/person_cluster} with {@code person_token} (the same token as the other analyst tables, so
 * analysts join on it) and {@code cluster_token}, the HMAC of the cluster id: the id is derived from a member's
 * identity number and would let a reader find the number by trying the few candidates of a birth date and region.
 */
public final class AnalystTables {
    /** Shortest accepted key, in bytes. */
    public static final int MIN_KEY_BYTES = 16;
    static final Set<String> DROPPED = Set.of("national_id", "full_name", "full_name_norm", "payee_name",
            "payee_name_norm", "bank_account", "_source_file", "_row_hash", "_warnings");

    private AnalystTables() {
    }

    /** Publishes all analyst tables with the key from the environment or key file; returns the families written. */
    public static List<SourceFamily> publish(SparkSession spark, CrossCheckConfig config) {
        byte[] key = key(config.pseudonymisation(), System::getenv);
        return publish(spark, new Tables(config.storage().warehouse()), key);
    }

    /** The pseudonymisation key, or a configuration error saying how to supply one. */
    public static byte[] key(CrossCheckConfig.PseudonymisationSettings settings, Function<String, String> env) {
        byte[] key = null;
        String from;
        String value = settings.keyEnv() == null ? null : env.apply(settings.keyEnv());
        if (value != null && !value.isBlank()) {
            key = value.strip().getBytes(StandardCharsets.UTF_8);
            from = "environment variable " + settings.keyEnv();
        } else if (settings.keyFile() != null && Files.isRegularFile(Path.of(settings.keyFile()))) {
            try {
                key = Files.readString(Path.of(settings.keyFile()), StandardCharsets.UTF_8).strip()
                        .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CrossCheckException.config("analyst tables not published: cannot read the pseudonymisation key file "
                        + settings.keyFile() + ": " + e.getMessage());
            }
            from = "key file " + settings.keyFile();
        } else {
            throw CrossCheckException.config("analyst tables not published: no pseudonymisation key. Set the environment"
                    + " variable " + settings.keyEnv() + " or pseudonymisation.key_file in the configuration to a secret"
                    + " of at least " + MIN_KEY_BYTES + " characters (never commit it to the repository)."
                    + " Validation itself has completed; the cleaned tables are unaffected.");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw CrossCheckException.config("analyst tables not published: the pseudonymisation key from " + from
                    + " is shorter than " + MIN_KEY_BYTES + " characters");
        }
        return key;
    }

    public static List<SourceFamily> publish(SparkSession spark, Tables tables, byte[] key) {
        List<SourceFamily> written = new ArrayList<>();
        for (SourceFamily f : SourceFamily.values()) {
            String clean = tables.clean(f);
            if (!DeltaTable.isDeltaTable(spark, clean)) {
                continue;
            }
            pseudonymise(spark.read().format("delta").load(clean), key)
                    .write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(tables.analyst(f));
            written.add(f);
        }
        if (DeltaTable.isDeltaTable(spark, tables.personCluster())) {
            pseudonymiseClusters(spark.read().format("delta").load(tables.personCluster()), key)
                    .write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                    .save(tables.analystPersonCluster());
        }
        return written;
    }

    /** The analyst layout of person_cluster: person_token, cluster_token, cluster_size. */
    public static Dataset<Row> pseudonymiseClusters(Dataset<Row> clusters, byte[] key) {
        UserDefinedFunction token = tokenFunction(key);
        return clusters.select(token.apply(col("national_id")).as("person_token"),
                token.apply(col("cluster_id")).as("cluster_token"), col("cluster_size"));
    }

    /** The analyst layout of a cleaned table. */
    public static Dataset<Row> pseudonymise(Dataset<Row> clean, byte[] key) {
        UserDefinedFunction token = tokenFunction(key);
        List<Column> cols = new ArrayList<>();
        for (String c : clean.columns()) {
            if ("national_id".equals(c)) {
                cols.add(token.apply(col(c)).as("person_token"));
            } else if ("_warnings".equals(c)) {
                cols.add(transform(col(c), w -> w.getField("check")).as("_warning_checks"));
            } else if (!DROPPED.contains(c)) {
                cols.add(col(c));
            }
        }
        return Generalisation.apply(clean.select(cols.toArray(Column[]::new)));
    }

    static UserDefinedFunction tokenFunction(byte[] key) {
        byte[] k = Arrays.copyOf(key, key.length);
        return org.apache.spark.sql.functions.udf((UDF1<String, String>) v -> v == null ? null : token(k, v),
                DataTypes.StringType);
    }

    /** Hex HMAC-SHA256 of a value under the key. */
    public static String token(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

}
