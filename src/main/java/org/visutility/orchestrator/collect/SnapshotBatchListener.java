package org.visutility.orchestrator.collect;

/**
 * Told after a batch of snapshots committed (notifications and the dashboard listen here). Called
 * on the ingesting thread: hand slow work to another thread. An exception is logged and ignored;
 * it never fails the ingest, which has already committed.
 */
@FunctionalInterface
public interface SnapshotBatchListener {
    void batchCommitted(IngestResult result) throws Exception;
}
