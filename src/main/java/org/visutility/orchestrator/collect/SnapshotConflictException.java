package org.visutility.orchestrator.collect;

import java.time.Instant;
import java.util.List;

/**
 * Snapshots whose natural key (model, version, observed_at, segment, source) is already stored
 * (or repeated in the same input) with a different sample count or different metric values.
 * The whole input was rolled back.
 */
public final class SnapshotConflictException extends RuntimeException {
    /** One conflicting snapshot: its position in the input and its key. */
    public record Conflict(int position, String model, String version, Instant observedAt, String segment, String source) {
    }

    private final List<Conflict> conflicts;

    public SnapshotConflictException(List<Conflict> conflicts) {
        super(conflicts.size() + " snapshot(s) conflict with stored snapshots of the same key; nothing was written");
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }
}
