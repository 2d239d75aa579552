package org.crosscheck.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage clean-up policy, run by {@code crosscheck vacuum} (schedule it after the monthly run):
 * <ul>
 *   <li>every Delta table under the warehouse ({@code <area>/<table>} with a {@code _delta_log}) is VACUUMed with
 *       {@code storage.vacuum_retention_hours} (default 168): data files no version within the retention needs are
 *       deleted, which includes files written by a run that was killed before its commit;</li>
 *   <li>{@code *.part} files under the exports folder are deleted: an export is written as {@code .part} and renamed
 *       when complete, so a {@code .part} is what a killed report left behind (the run lock means none is being
 *       written while this runs).</li>
 * </ul>
 * With retention 0 only the {@code .part} files are removed. Re-running it is harmless.
 */
public final class WarehouseVacuum {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseVacuum.class);

    private WarehouseVacuum() {
    }

    /** What a clean-up did. */
    public record Result(List<String> tablesVacuumed, List<String> partialExportsRemoved) {
    }

    public static Result run(SparkSession spark, CrossCheckConfig config) {
        Tables tables = new Tables(config.storage().warehouse());
        int hours = config.storage().vacuumRetentionHours();
        List<String> vacuumed = new ArrayList<>();
        if (hours > 0) {
            for (String table : deltaTables(spark, tables)) {
                DeltaTable.forPath(spark, table).vacuum(hours);
                vacuumed.add(table);
                LOG.info("vacuumed {} (retention {} h)", table, hours);
            }
        }
        List<String> removed = new ArrayList<>();
        Path exports = Path.of(config.storage().exports());
        if (!ConfigLoader.hasScheme(config.storage().exports()) && Files.isDirectory(exports)) {
            try (Stream<Path> s = Files.walk(exports)) {
                for (Path p : s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".part")).toList()) {
                    Files.delete(p);
                    removed.add(p.toString());
                    LOG.info("removed partial export {} (left by a run that did not finish)", p);
                }
            } catch (IOException e) {
                throw CrossCheckException.internal("cannot clean partial exports under " + exports + ": " + e.getMessage());
            }
        }
        return new Result(vacuumed, removed);
    }

    /** Delta tables two levels under the warehouse root ({@code bronze/civil_registry}, {@code meta/runs}, …). */
    static List<String> deltaTables(SparkSession spark, Tables tables) {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tables.warehouse());
        List<String> out = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(root)) {
                return out;
            }
            for (FileStatus area : fs.listStatus(root)) {
                if (!area.isDirectory()) {
                    continue;
                }
                for (FileStatus table : fs.listStatus(area.getPath())) {
                    if (table.isDirectory() && fs.exists(new org.apache.hadoop.fs.Path(table.getPath(), "_delta_log"))) {
                        out.add(tables.path(area.getPath().getName() + "/" + table.getPath().getName()));
                    }
                }
            }
        } catch (IOException e) {
            throw CrossCheckException.internal("cannot list the warehouse " + root + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }
}
