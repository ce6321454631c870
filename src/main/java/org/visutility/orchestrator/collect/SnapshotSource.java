package org.visutility.orchestrator.collect;

/**
 * Input for {@link SnapshotIngest}: reads, validates and hands over snapshots. A source that finds
 * invalid items throws {@link InvalidSnapshotsException} once it has read them all; then nothing is written.
 */
@FunctionalInterface
public interface SnapshotSource {
    void feedTo(SnapshotSink sink) throws Exception;

    /**
     * Whether {@link #feedTo} may be called again and then feeds the same snapshots (an HTTP body, a
     * file): such a batch is first tried as all new keys, COPYed straight in, and fed again through
     * the staging table when some are not new. A query's result set cannot be read twice.
     */
    default boolean canFeedAgain() {
        return false;
    }

    /** The source, marked as one that can feed the same snapshots again. */
    static SnapshotSource feedsAgain(SnapshotSource source) {
        return new SnapshotSource() {
            @Override
            public void feedTo(SnapshotSink sink) throws Exception {
                source.feedTo(sink);
            }

            @Override
            public boolean canFeedAgain() {
                return true;
            }
        };
    }
}
