package org.crosscheck.ingest;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.crosscheck.core.SourceFamily;
import org.crosscheck.core.Tables;

/**
 * A judgement of the loads ingestion has just written to a bronze table, before they are entered in the ingest
 * log. A load a check stops is removed from bronze again and the run ends with exit code 3, so a wrong mapping
 * never reaches validation; fixing the mapping and running again loads the file afresh.
 */
@FunctionalInterface
public interface LoadCheck {
    /** No checks (ingestion alone, as in tests of the file handling). */
    LoadCheck NONE = (spark, tables, family, loads) -> List.of();

    /**
     * @param loads load id to the load's mapping and file, all of {@code family}, written in this run
     * @return what the checks found: warnings and stops, each naming guard, file and figures
     */
    List<Verdict> check(SparkSession spark, Tables tables, SourceFamily family, Map<String, Load> loads);

    /** Called once after every family was judged, before the ingest log is written (e.g. to store figures). */
    default void finish(SparkSession spark, Tables tables) {
    }

    /** One load to judge, with the rows written to bronze. */
    record Load(String loadId, Mapping mapping, String file, String runId, long rows) {
    }

    /**
     * @param guard   the guard's name, e.g. {@code deceased_without_death_date_share}
     * @param stop    whether the run stops on it
     * @param message plain words with the figures
     */
    record Verdict(String loadId, String mappingId, String file, String guard, boolean stop, String message) {
        @Override
        public String toString() {
            return (stop ? "guard " : "warning: guard ") + guard + " (" + file + ", mapping " + mappingId + "): " + message;
        }
    }
}
