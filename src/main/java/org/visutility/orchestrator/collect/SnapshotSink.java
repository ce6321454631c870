package org.visutility.orchestrator.collect;

/** Where a {@link SnapshotSource} puts the valid snapshots it reads. */
public interface SnapshotSink {
    /**
     * @param position the snapshot's index, line or row, which errors about it will name
     */
    void add(int position, Snapshot snapshot);
}
