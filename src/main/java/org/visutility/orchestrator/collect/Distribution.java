package org.visutility.orchestrator.collect;

import java.time.Instant;

/**
 * A validated histogram of one feature seen by one model version over a window ending at
 * {@code observedAt}; its natural key is (model, version, feature, segment, source, observedAt).
 */
public record Distribution(String model, String version, Instant observedAt, String segment, String source, String feature,
                           Histogram histogram) {
}
