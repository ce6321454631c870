package org.visutility.orchestrator.collect;

import java.util.List;

/**
 * A distribution item as read from JSON or a result set, before validation; each field holds what
 * the reader found (null when absent), as in {@link RawSnapshot}.
 *
 * @param bins          the numeric edges: a List (or a wrong-typed value)
 * @param categories    categorical values as a List apart from the counts (a SQL row); null in JSON
 * @param counts        a List of counts, or (categorical in JSON) a Map of value to count
 * @param unknownFields fields the reader did not recognise (rejected by the validator)
 */
public record RawDistribution(Object model, Object version, Object observedAt, Object segment, Object source, Object feature,
                              Object kind, Object bins, Object categories, Object counts, List<String> unknownFields) {
}
