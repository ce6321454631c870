package org.visutility.orchestrator.collect;

import java.util.List;

/**
 * A snapshot as read from JSON, CSV or a result set, before validation. Each field holds what the
 * reader found: null when absent, a String, a Number, a Boolean, an OffsetDateTime or Instant, or any other
 * object (a JSON array...) that the validator then rejects by its type.
 *
 * @param metrics       a {@code Map<String, ?>} of metric names to raw values, or a wrong-typed object
 * @param finalFlag     the {@code final} field: a Boolean, the text true/false (CSV), null when not said
 * @param unknownFields fields the reader did not recognise (rejected by the validator)
 */
public record RawSnapshot(Object model, Object version, Object observedAt, Object sampleCount, Object segment,
                          Object source, Object metrics, Object finalFlag, List<String> unknownFields) {
    public RawSnapshot(Object model, Object version, Object observedAt, Object sampleCount, Object segment,
                       Object source, Object metrics, List<String> unknownFields) {
        this(model, version, observedAt, sampleCount, segment, source, metrics, null, unknownFields);
    }
}
