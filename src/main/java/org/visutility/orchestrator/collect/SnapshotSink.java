package org.visutility.orchestrator.collect;

/** Where a {@link SnapshotSource} puts the valid snapshots it reads. */
public interface SnapshotSink {
    /**
     * @param position the snapshot's index, line or row, which errors about it will name
     */
    void add(int position, Snapshot snapshot);

    /**
     * A source that can tell roughly how many valid snapshots it has still to feed (a file, from
     * the bytes it has not read yet) says so now and then: a sink may prepare for them (draw their
     * ids at once). It is an estimate, too high or too low; a sink must not rely on it.
     */
    default void expectMore(int snapshots) {
    }
}
