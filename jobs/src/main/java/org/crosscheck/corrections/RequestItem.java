package org.crosscheck.corrections;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row to verify, asked of the department that delivered it: a row of its own held in quarantine, or a record of
 * its own behind a confirmed case. Stored in {@code corrections/requests}.
 *
 * @param itemId        first 24 hex of SHA-256 over family, business key and reason kind: the same problem with the
 *                      same row is the same item in every run, however often it is re-delivered
 * @param kind          {@code quarantined_row} or {@code confirm_record}
 * @param reasonKind    the checks that failed (sorted, joined by +), or {@code confirm:<rule id>}
 * @param reason        the reason in plain words
 * @param exceptionId   the case behind a {@code confirm_record} item, else null
 * @param values        the row's fields as delivered, as JSON keyed by canonical field (written out under the
 *                      department's own column names)
 * @param status        {@code open}, {@code corrected} or {@code withdrawn}
 */
public record RequestItem(String itemId, String department, String mappingId, String family, String kind,
                          String businessKey, String reasonKind, String reason, String sourceFile, Long recordNumber,
                          String exceptionId, String values, String requestedRun, Timestamp requestedAt,
                          String status, String correctedRun, Timestamp correctedAt, String lastSeenRun) {
    public static final String OPEN = "open";
    public static final String CORRECTED = "corrected";
    public static final String WITHDRAWN = "withdrawn";
    public static final String QUARANTINED_ROW = "quarantined_row";
    public static final String CONFIRM_RECORD = "confirm_record";

    public static final StructType SCHEMA = new StructType()
            .add("item_id", DataTypes.StringType, false)
            .add("department", DataTypes.StringType)
            .add("mapping_id", DataTypes.StringType)
            .add("family", DataTypes.StringType)
            .add("kind", DataTypes.StringType)
            .add("business_key", DataTypes.StringType)
            .add("reason_kind", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("source_file", DataTypes.StringType)
            .add("record_number", DataTypes.LongType)
            .add("exception_id", DataTypes.StringType)
            .add("values_json", DataTypes.StringType)
            .add("requested_run", DataTypes.StringType)
            .add("requested_at", DataTypes.TimestampType)
            .add("status", DataTypes.StringType)
            .add("corrected_run", DataTypes.StringType)
            .add("corrected_at", DataTypes.TimestampType)
            .add("last_seen_run", DataTypes.StringType);

    public Row toRow() {
        return RowFactory.create(itemId, department, mappingId, family, kind, businessKey, reasonKind, reason,
                sourceFile, recordNumber, exceptionId, values, requestedRun, requestedAt, status, correctedRun,
                correctedAt, lastSeenRun);
    }

    public static RequestItem fromRow(Row r) {
        List<Object> v = new ArrayList<>();
        for (String f : SCHEMA.fieldNames()) {
            v.add(r.getAs(f));
        }
        return new RequestItem((String) v.get(0), (String) v.get(1), (String) v.get(2), (String) v.get(3),
                (String) v.get(4), (String) v.get(5), (String) v.get(6), (String) v.get(7), (String) v.get(8),
                (Long) v.get(9), (String) v.get(10), (String) v.get(11), (String) v.get(12), (Timestamp) v.get(13),
                (String) v.get(14), (String) v.get(15), (Timestamp) v.get(16), (String) v.get(17));
    }

    public boolean isOpen() {
        return OPEN.equals(status);
    }

    RequestItem withStatus(String newStatus, String run, Timestamp at) {
        return new RequestItem(itemId, department, mappingId, family, kind, businessKey, reasonKind, reason,
                sourceFile, recordNumber, exceptionId, values, requestedRun, requestedAt, newStatus, run, at,
                lastSeenRun);
    }

    /** This item as seen again in {@code run}: the latest occurrence's file, line, values and reason. */
    RequestItem seenAgain(RequestItem latest, String run) {
        return new RequestItem(itemId, latest.department, latest.mappingId, family, kind, businessKey, reasonKind,
                latest.reason, latest.sourceFile, latest.recordNumber, latest.exceptionId, latest.values,
                requestedRun, requestedAt, status, correctedRun, correctedAt, run);
    }

    /** Whole days the item has been (or was) open. */
    long daysOpen(Timestamp now) {
        Timestamp end = correctedAt != null ? correctedAt : now;
        return java.time.Duration.between(requestedAt.toInstant(), end.toInstant()).toDays();
    }
}
