package org.visutility.orchestrator.collect;

import io.micrometer.core.instrument.Metrics;

/**
 * The SQL collectors' runs on this node in Micrometer's global registry (GET /metrics):
 * {@code orchestrator_collector_runs_total{collector,outcome}} (outcome ok or failed),
 * {@code orchestrator_collector_rows_skipped_total{collector}} (rows left out by on_invalid_row: skip_row)
 * and {@code orchestrator_collector_snapshots_written_total{collector}} (new snapshots committed).
 * Counters count what this node ran; a collector runs on any node of the cluster, so sum them over
 * the nodes. The gauges read from the database ({@link CollectorGauges}) are the same on every node.
 */
final class CollectorMetrics {
    static final String RUNS = "orchestrator.collector.runs";
    static final String ROWS_SKIPPED = "orchestrator.collector.rows.skipped";
    static final String SNAPSHOTS_WRITTEN = "orchestrator.collector.snapshots.written";

    private CollectorMetrics() {
    }

    static void succeeded(String collector, int snapshotsWritten, int rowsSkipped) {
        Metrics.counter(RUNS, "collector", collector, "outcome", "ok").increment();
        Metrics.counter(SNAPSHOTS_WRITTEN, "collector", collector).increment(snapshotsWritten);
        Metrics.counter(ROWS_SKIPPED, "collector", collector).increment(rowsSkipped);
    }

    static void failed(String collector) {
        Metrics.counter(RUNS, "collector", collector, "outcome", "failed").increment();
        // present from the first run on, so that a rate() over them has a start
        Metrics.counter(SNAPSHOTS_WRITTEN, "collector", collector);
        Metrics.counter(ROWS_SKIPPED, "collector", collector);
    }
}
