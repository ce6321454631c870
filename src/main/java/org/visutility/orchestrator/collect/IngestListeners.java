package org.visutility.orchestrator.collect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry of {@link SnapshotBatchListener}s; telling them never throws. */
public final class IngestListeners {
    private static final Logger LOG = LoggerFactory.getLogger(IngestListeners.class);

    private final List<SnapshotBatchListener> listeners = new CopyOnWriteArrayList<>();

    public void add(SnapshotBatchListener listener) {
        listeners.add(listener);
    }

    public void remove(SnapshotBatchListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener; one that throws is logged and the others are still told. */
    void batchCommitted(IngestResult result) {
        for (SnapshotBatchListener l : listeners) {
            try {
                l.batchCommitted(result);
            } catch (Exception | LinkageError | AssertionError e) {
                LOG.warn("Snapshot listener {} failed on batch {} ({} from {}); the batch stays committed: {}",
                        l.getClass().getName(), result.batchId(), result.channel().column(), result.origin(), e.toString(), e);
            }
        }
    }
}
