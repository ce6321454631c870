package org.visutility.orchestrator.collect;

import java.time.Instant;
import java.util.Map;

/**
 * One validated observation of a model version's metrics: built only by {@link SnapshotBatchValidator}.
 * An absent segment or source is the empty string, as the natural key stores it.
 *
 * @param finality whether the snapshot says its window is final or provisional
 */
public record Snapshot(String model, String version, Instant observedAt, long sampleCount, String segment, String source,
                       Map<String, Double> metrics, Finality finality) {
    /** A snapshot that says nothing about its finality (the source's default decides). */
    public Snapshot(String model, String version, Instant observedAt, long sampleCount, String segment, String source,
                    Map<String, Double> metrics) {
        this(model, version, observedAt, sampleCount, segment, source, metrics, Finality.UNSAID);
    }
}
