package org.crosscheck.screen;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.StageSchemas;
import org.crosscheck.core.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaned tables as screening sees them: the canonical schema plus the normalised name and lineage columns of
 * design.md, registered as temp views named after the family ({@code civil_registry}, {@code enrollment}, ...).
 */
public final class CleanedTables {
    private static final Logger LOG = LoggerFactory.getLogger(CleanedTables.class);

    private CleanedTables() {
    }

    /** Full schema of the cleaned table of a family ({@link StageSchemas#clean}). */
    public static StructType schema(SourceFamily family) {
        return StageSchemas.clean(family);
    }

    /**
     * Brings a table into the cleaned schema: columns it lacks (e.g. lineage in a test fixture) are added as nulls,
     * columns of another type are cast, extra columns are dropped.
     */
    public static Dataset<Row> conform(SourceFamily family, Dataset<Row> table) {
        List<String> have = Arrays.asList(table.columns());
        StructType target = schema(family);
        Column[] cols = new Column[target.size()];
        for (int i = 0; i < target.size(); i++) {
            StructField f = target.fields()[i];
            Column c = have.contains(f.name()) ? col(f.name()) : lit(null);
            cols[i] = c.cast(f.dataType()).as(f.name());
        }
        return table.select(cols);
    }

    public static Dataset<Row> empty(SparkSession spark, SourceFamily family) {
        return spark.createDataFrame(List.of(), schema(family));
    }

    /**
     * Reads the cleaned Delta tables. A family whose table does not exist yet (nothing validated for it) is an
     * empty table, with a warning in the log, so rules that read it find nothing rather than fail.
     */
    public static Map<SourceFamily, Dataset<Row>> readDelta(SparkSession spark, Tables tables) {
        Map<SourceFamily, Dataset<Row>> out = new EnumMap<>(SourceFamily.class);
        for (SourceFamily f : SourceFamily.values()) {
            String path = tables.clean(f);
            if (io.delta.tables.DeltaTable.isDeltaTable(spark, path)) {
                out.put(f, spark.read().format("delta").load(path));
            } else {
                LOG.warn("cleaned table {} does not exist at {}; screening treats it as empty", f.id(), path);
                out.put(f, empty(spark, f));
            }
        }
        return out;
    }

    /** Registers each table (conformed) as a temp view named after its family; missing families become empty views. */
    public static void register(SparkSession spark, Map<SourceFamily, Dataset<Row>> tables) {
        for (SourceFamily f : SourceFamily.values()) {
            Dataset<Row> t = tables.get(f);
            (t == null ? empty(spark, f) : conform(f, t)).createOrReplaceTempView(f.id());
        }
    }
}
