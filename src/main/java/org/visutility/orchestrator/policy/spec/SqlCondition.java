package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.util.Set;

/**
 * A custom predicate in SQL: a query returning one row with a boolean column {@code breach}
 * (and optionally {@code observed} double precision and {@code evidence} bigint[] of snapshot
 * ids). It may use the named parameters {@link #PARAMETERS}: {@code :known_at} is the instant whose
 * known values the evaluation reads (the evaluation time, or infinity for today's current values), for
 * {@code recorded_at <= :known_at AND (superseded_at IS NULL OR superseded_at > :known_at)}. It runs in
 * a read-only transaction with a statement timeout.
 */
public record SqlCondition(String sql, Duration timeout) implements Condition {
    public static final Set<String> PARAMETERS = Set.of("model_id", "model", "at", "known_at");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    @Override
    public String describe() {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return "sql: " + (oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine);
    }

    @Override
    public ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put("sql", sql).put("timeout", Durations.format(timeout));
    }
}
