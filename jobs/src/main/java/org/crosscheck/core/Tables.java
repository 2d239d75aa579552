package org.crosscheck.core;

/**
 * Where each Delta table lives. Every table is addressed by path under the warehouse root, so the same
 * configuration works on a local folder, HDFS or S3 without a metastore.
 */
public final class Tables {
    private final String warehouse;

    public Tables(String warehouse) {
        this.warehouse = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
    }

    public String warehouse() {
        return warehouse;
    }

    public String bronze(SourceFamily family) {
        return warehouse + "/bronze/" + family.id();
    }

    public String clean(SourceFamily family) {
        return warehouse + "/clean/" + family.id();
    }

    public String quarantine(SourceFamily family) {
        return warehouse + "/quarantine/" + family.id();
    }

    /** Pseudonymised copy of a cleaned table for analysts. */
    public String analyst(SourceFamily family) {
        return warehouse + "/analyst/" + family.id();
    }

    /** One row per loaded file: path, content hash, mapping snapshot, load id. */
    public String ingestLog() {
        return warehouse + "/meta/ingest_log";
    }

    /** One row per validated load: which bronze loads validation has already processed. */
    public String validationLog() {
        return warehouse + "/meta/validation_log";
    }

    /** Row accounting and per-check counts, one row per table and run. */
    public String metrics() {
        return warehouse + "/meta/metrics";
    }

    public String runs() {
        return warehouse + "/meta/runs";
    }

    public String exceptions() {
        return warehouse + "/screening/exceptions";
    }

    public String reviewLog() {
        return warehouse + "/screening/review_log";
    }

    /** The case timeline: one row per run per case the run found or lost. */
    public String caseHistory() {
        return warehouse + "/screening/case_history";
    }

    /** Reviewers' precision per rule and rule version, one set of rows per screening run. */
    public String rulePrecision() {
        return warehouse + "/meta/rule_precision";
    }

    /** Identity resolution: every identity with the cluster (person) it belongs to (linkage.PersonClusters). */
    public String personCluster() {
        return path("linkage/person_cluster");
    }

    /** The analysts' copy of {@link #personCluster()}: person and cluster as keyed tokens (AnalystTables). */
    public String analystPersonCluster() {
        return warehouse + "/analyst/person_cluster";
    }

    public String path(String relative) {
        return warehouse + "/" + relative;
    }
}
