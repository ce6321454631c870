package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs WindowAggregates.sql: the aggregates of a metric over a window, for many requests at once. */
final class WindowAggregates {
    private static final String SQL = SqlFiles.load(WindowAggregates.class, "WindowAggregates");

    /**
     * One window to aggregate, ending at {@code at}; versionId and notBefore narrow it to one model
     * version (null: any). Values are read as known at {@code knownAt} (null: today's current
     * revisions); with settledOnly only snapshots settled at {@code at} count.
     */
    record Request(int key, long modelId, String metric, Long versionId, Instant notBefore, Window window, Instant at,
                   Instant knownAt, boolean settledOnly) {
    }

    /** What one window holds. */
    record Stats(long snapshots, long samples, Double last, Double mean, Double min, Double max, Double weightedMean,
                 List<Long> evidence) {
        Double value(Aggregate aggregate) {
            return switch (aggregate) {
                case LAST -> last;
                case MEAN -> mean;
                case MIN -> min;
                case MAX -> max;
                case WEIGHTED_MEAN -> weightedMean;
            };
        }
    }

    private WindowAggregates() {
    }

    static Map<Integer, Stats> run(Handle handle, List<Request> requests) {
        if (requests.isEmpty()) return Map.of();
        List<Integer> keys = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        List<Long> notBefore = new ArrayList<>();
        List<Long> windowUs = new ArrayList<>();
        List<Integer> lastN = new ArrayList<>();
        List<Long> atUs = new ArrayList<>();
        List<Long> knownUs = new ArrayList<>();
        List<Boolean> settledOnly = new ArrayList<>();
        for (Request r : requests) {
            keys.add(r.key());
            models.add(r.modelId());
            metrics.add(r.metric());
            versions.add(r.versionId());
            notBefore.add(r.notBefore() == null ? null : SqlValues.micros(r.notBefore()));
            windowUs.add(r.window().duration() == null ? null : r.window().duration().toNanos() / 1000);
            lastN.add(r.window().snapshots());
            atUs.add(SqlValues.micros(r.at()));
            knownUs.add(r.knownAt() == null ? null : SqlValues.micros(r.knownAt()));
            settledOnly.add(r.settledOnly());
        }
        Map<Integer, Stats> out = new HashMap<>();
        handle.createQuery(SQL)
                .bindArray("keys", Integer.class, keys)
                .bindArray("model_ids", Long.class, models)
                .bindArray("metrics", String.class, metrics)
                .bindArray("version_ids", Long.class, versions)
                .bindArray("not_before_us", Long.class, notBefore)
                .bindArray("window_us", Long.class, windowUs)
                .bindArray("last_n", Integer.class, lastN)
                .bindArray("at_us", Long.class, atUs)
                .bindArray("known_us", Long.class, knownUs)
                .bindArray("settled_only", Boolean.class, settledOnly)
                .map((rs, ctx) -> {
                    out.put(rs.getInt("key"), new Stats(rs.getLong("snapshots"), rs.getLong("samples"),
                            SqlValues.doubleOrNull(rs, "last_value"), SqlValues.doubleOrNull(rs, "mean_value"),
                            SqlValues.doubleOrNull(rs, "min_value"), SqlValues.doubleOrNull(rs, "max_value"),
                            SqlValues.doubleOrNull(rs, "weighted_mean_value"), SqlValues.longs(rs, "evidence")));
                    return null;
                })
                .forEach(x -> { });
        return out;
    }
}
