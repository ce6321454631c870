package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.StalenessCondition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Staleness conditions: one Staleness statement for all of them. Observed and threshold are in seconds;
 * the evidence is the model's last snapshot at the evaluation time (detail: last_snapshot).
 */
final class StalenessKind implements ConditionKind {
    /** detail.conditions[].last_snapshot of a model that had no snapshot at the evaluation time. */
    static final String NO_SNAPSHOT = "none";
    private static final String SQL = SqlFiles.load(StalenessKind.class, "Staleness");

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, ConditionInput> byKey = new HashMap<>();
        List<Integer> keys = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<Long> atUs = new ArrayList<>();
        List<Long> knownUs = new ArrayList<>();
        for (ConditionInput in : inputs) {
            byKey.put(in.key(), in);
            keys.add(in.key());
            models.add(in.modelId());
            atUs.add(SqlValues.micros(in.at()));
            knownUs.add(in.knownAt() == null ? null : SqlValues.micros(in.knownAt()));
        }
        Map<Integer, ConditionResult> out = new HashMap<>();
        handle.createQuery(SQL)
                .bindArray("keys", Integer.class, keys)
                .bindArray("model_ids", Long.class, models)
                .bindArray("at_us", Long.class, atUs)
                .bindArray("known_us", Long.class, knownUs)
                .map((rs, ctx) -> {
                    ConditionInput in = byKey.get(rs.getInt("key"));
                    ConditionResult r = judge((StalenessCondition) in.condition(), in.at(), SqlValues.instant(rs, "last_success"),
                            SqlValues.longOrNull(rs, "last_success_experiment"), SqlValues.instant(rs, "known_since"),
                            SqlValues.longOrNull(rs, "last_snapshot_id"));
                    out.put(in.key(), r.withFacts(lastSnapshot(SqlValues.longOrNull(rs, "last_snapshot_id"),
                            SqlValues.instant(rs, "last_snapshot_at"))));
                    return null;
                })
                .forEach(x -> { });
        for (ConditionInput in : inputs) {
            out.putIfAbsent(in.key(), ConditionResult.unknown(in.condition(), "the model is not registered", List.of()));
        }
        return out;
    }

    /**
     * The evidence a staleness verdict records besides its ages: the model's last snapshot then, or
     * {@code "none"} when it never had one, so that no staleness row has empty evidence.
     */
    static ObjectNode lastSnapshot(Long id, Instant observedAt) {
        ObjectNode facts = Json.MAPPER.createObjectNode();
        if (id == null) {
            facts.put("last_snapshot", NO_SNAPSHOT);
        } else {
            facts.putObject("last_snapshot").put("snapshot_id", id).put("observed_at", observedAt.toString());
        }
        return facts;
    }

    private static ConditionResult judge(StalenessCondition c, Instant at, Instant lastSuccess, Long experiment, Instant knownSince,
                                         Long lastSnapshot) {
        Instant from = lastSuccess != null ? lastSuccess : knownSince;
        double age = Duration.between(from, at).toMillis() / 1000.0;
        boolean stale = age >= c.duration().toSeconds();
        String note = lastSuccess != null
                ? "last successful retrain: experiment " + experiment + " finished " + lastSuccess
                : "never retrained; known since " + knownSince;
        return ConditionResult.of(c, stale, !stale, age, (double) c.duration().toSeconds(),
                lastSnapshot == null ? List.of() : List.of(lastSnapshot), note);
    }
}
