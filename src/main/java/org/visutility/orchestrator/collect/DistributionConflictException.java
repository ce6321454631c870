package org.visutility.orchestrator.collect;

import java.time.Instant;
import java.util.List;

/**
 * Histograms whose natural key (model, version, feature, segment, source, observed_at) is stored
 * already (or given earlier in the same input) with another histogram. Distributions have no
 * revisions: the whole input was rolled back.
 */
public final class DistributionConflictException extends RuntimeException {
    /** One conflicting item: its position in the input and its key. */
    public record Conflict(int position, String model, String version, Instant observedAt, String segment, String source,
                           String feature) {
    }

    public static final String RULE = "a histogram with this key (model, version, feature, segment, source, observed_at) is already"
            + " stored, or given earlier, with other bins or counts; distributions are never revised";

    private final List<Conflict> conflicts;

    public DistributionConflictException(List<Conflict> conflicts) {
        super(conflicts.size() + " histogram(s) conflict with stored histograms of the same key; nothing was written");
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }
}
