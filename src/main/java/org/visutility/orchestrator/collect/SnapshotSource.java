package org.visutility.orchestrator.collect;

/**
 * Input for {@link SnapshotIngest}: reads, validates and hands over snapshots. A source that finds
 * invalid items throws {@link InvalidSnapshotsException} once it has read them all; then nothing is written.
 */
@FunctionalInterface
public interface SnapshotSource {
    void feedTo(SnapshotSink sink) throws Exception;
}
