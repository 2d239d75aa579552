package org.crosscheck.core;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the {@code meta/runs} table: what a command read, ran and produced, and how it ended. Stages add to
 * it as they go; the CLI writes it once at the end, also when the run failed.
 */
public final class RunManifest {
    private static final StructType INPUT = new StructType()
            .add("file", DataTypes.StringType)
            .add("sha256", DataTypes.StringType)
            .add("status", DataTypes.StringType)
            .add("rows", DataTypes.LongType);
    private static final StructType RULE = new StructType()
            .add("rule_id", DataTypes.StringType)
            .add("version", DataTypes.StringType);
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("command", DataTypes.StringType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("ended_at", DataTypes.TimestampType, false)
            .add("exit_code", DataTypes.IntegerType, false)
            .add("status", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, true)
            .add("input_files", new ArrayType(INPUT, false), false)
            .add("rules", new ArrayType(RULE, false), false)
            .add("row_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
            .add("exception_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false);

    private final String runId;
    private final String command;
    private final Instant startedAt = Instant.now();
    private final List<Row> inputs = new ArrayList<>();
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, Long> rowCounts = new LinkedHashMap<>();
    private final Map<String, Long> exceptionCounts = new LinkedHashMap<>();

    public RunManifest(String runId, String command) {
        this.runId = runId;
        this.command = command;
    }

    /** A new run id: UTC time to the second plus 4 random hex digits, e.g. {@code 20261130T021455Z-3fa1}. */
    public static String newRunId() {
        byte[] b = new byte[2];
        new SecureRandom().nextBytes(b);
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + HexFormat.of().formatHex(b);
    }

    public String runId() {
        return runId;
    }

    public void addInput(String file, String sha256, String status, long rows) {
        inputs.add(RowFactory.create(file, sha256, status, rows));
    }

    public void addRule(String ruleId, String version) {
        rules.put(ruleId, version);
    }

    public void addRowCount(String name, long count) {
        rowCounts.merge(name, count, Long::sum);
    }

    public void addExceptionCount(String ruleId, long count) {
        exceptionCounts.merge(ruleId, count, Long::sum);
    }

    /** {@code status} of a run that has started and not yet ended (or was killed before it could say so). */
    public static final String STARTED = "started";
    /** {@code status} given by a later run to a run that never ended: it was killed or its machine died. */
    public static final String KILLED = "killed";

    /**
     * Records the run as {@code started} before any stage works, after marking every earlier run still
     * {@code started} as {@code killed}: one run per warehouse is running (the run lock), so such a run can only
     * have died. The final {@link #write} replaces this row. A run killed with SIGKILL therefore shows in
     * {@code meta/runs} as {@code killed}, with the run that noticed it in {@code message}.
     */
    public void start(SparkSession spark, Tables tables) {
        if (io.delta.tables.DeltaTable.isDeltaTable(spark, tables.runs())) {
            io.delta.tables.DeltaTable.forPath(spark, tables.runs()).update(
                    org.apache.spark.sql.functions.col("status").equalTo(STARTED),
                    Map.of("status", org.apache.spark.sql.functions.lit(KILLED),
                            "message", org.apache.spark.sql.functions.lit("the run ended without recording an outcome"
                                    + " (killed, or its machine stopped); noticed by run " + runId)));
        }
        spark.createDataFrame(List.of(row(Timestamp.from(startedAt), -1, STARTED, null)), SCHEMA)
                .write().format("delta").mode("append").save(tables.runs());
    }

    /**
     * Records how the run ended, replacing its {@code started} row (appending when there is none). Never throws: a
     * failure to record is logged by the caller's handler.
     */
    public void write(SparkSession spark, Tables tables, ExitCode exit, String message) {
        Row row = row(Timestamp.from(Instant.now()), exit.code,
                exit == ExitCode.SUCCESS || exit == ExitCode.FINDINGS_PRESENT ? "succeeded" : "failed", message);
        org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA);
        if (!io.delta.tables.DeltaTable.isDeltaTable(spark, tables.runs())) {
            df.write().format("delta").mode("append").save(tables.runs());
            return;
        }
        io.delta.tables.DeltaTable.forPath(spark, tables.runs()).as("r")
                .merge(df.as("n"), "r.run_id = n.run_id AND r.command = n.command")
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }

    private Row row(Timestamp endedAt, int exitCode, String status, String message) {
        List<Row> ruleRows = new ArrayList<>();
        rules.forEach((id, v) -> ruleRows.add(RowFactory.create(id, v)));
        return RowFactory.create(runId, command, Timestamp.from(startedAt), endedAt, exitCode, status, message,
                scala.jdk.javaapi.CollectionConverters.asScala(inputs).toSeq(),
                scala.jdk.javaapi.CollectionConverters.asScala(ruleRows).toSeq(),
                scala.jdk.javaapi.CollectionConverters.asScala(rowCounts),
                scala.jdk.javaapi.CollectionConverters.asScala(exceptionCounts));
    }
}
