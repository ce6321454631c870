package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.DropCondition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drop-from-baseline conditions: one VersionBaselines statement (the current model version and
 * its baseline), then one WindowAggregates statement over that version's recent snapshots.
 */
final class DropKind implements ConditionKind {
    private static final String BASELINES = SqlFiles.load(DropKind.class, "VersionBaselines");

    private record Baseline(long versionId, Instant versionSince, long snapshots, Double mean, Double weightedMean,
                            List<Long> evidence) {
    }

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, Baseline> baselines = baselines(handle, inputs);
        List<WindowAggregates.Request> requests = new ArrayList<>();
        for (ConditionInput in : inputs) {
            Baseline b = baselines.get(in.key());
            if (b == null) continue;
            DropCondition c = (DropCondition) in.condition();
            requests.add(new WindowAggregates.Request(in.key(), in.modelId(), c.metric(), b.versionId(), b.versionSince(),
                    c.window(), in.at(), in.knownAt(), c.settledOnly(), c.aggregate()));
        }
        Map<Integer, WindowAggregates.Stats> windows = WindowAggregates.run(handle, requests);
        Map<Integer, ConditionResult> out = new HashMap<>();
        for (ConditionInput in : inputs) {
            out.put(in.key(), judge((DropCondition) in.condition(), baselines.get(in.key()), windows.get(in.key())));
        }
        return out;
    }

    private static Map<Integer, Baseline> baselines(Handle handle, List<ConditionInput> inputs) {
        List<Integer> keys = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<Long> atUs = new ArrayList<>();
        List<Integer> firstK = new ArrayList<>();
        List<Long> knownUs = new ArrayList<>();
        List<Boolean> settledOnly = new ArrayList<>();
        for (ConditionInput in : inputs) {
            DropCondition c = (DropCondition) in.condition();
            keys.add(in.key());
            models.add(in.modelId());
            metrics.add(c.metric());
            atUs.add(SqlValues.micros(in.at()));
            firstK.add(c.baseline().firstSnapshots() == null ? 0 : c.baseline().firstSnapshots());
            knownUs.add(in.knownAt() == null ? null : SqlValues.micros(in.knownAt()));
            settledOnly.add(c.settledOnly());
        }
        Map<Integer, Baseline> out = new HashMap<>();
        handle.createQuery(BASELINES)
                .bindArray("keys", Integer.class, keys)
                .bindArray("model_ids", Long.class, models)
                .bindArray("metrics", String.class, metrics)
                .bindArray("at_us", Long.class, atUs)
                .bindArray("first_k", Integer.class, firstK)
                .bindArray("known_us", Long.class, knownUs)
                .bindArray("settled_only", Boolean.class, settledOnly)
                .map((rs, ctx) -> {
                    out.put(rs.getInt("key"), new Baseline(rs.getLong("version_id"), SqlValues.instant(rs, "version_since"),
                            rs.getLong("baseline_snapshots"), SqlValues.doubleOrNull(rs, "baseline_mean"),
                            SqlValues.doubleOrNull(rs, "baseline_weighted_mean"), SqlValues.longs(rs, "baseline_evidence")));
                    return null;
                })
                .forEach(x -> { });
        return out;
    }

    private static ConditionResult judge(DropCondition c, Baseline b, WindowAggregates.Stats s) {
        if (b == null) return ConditionResult.unknown(c, "no snapshots of " + c.metric() + " yet", List.of());
        List<Long> evidence = new ArrayList<>(s == null ? List.of() : s.evidence());
        Double baseline = c.baseline().value();
        if (baseline == null) {
            int k = c.baseline().firstSnapshots();
            if (b.snapshots() < k) {
                return ConditionResult.unknown(c, "the baseline needs the first " + k + " snapshots of model version "
                        + b.versionId() + "; it has " + b.snapshots(), evidence);
            }
            baseline = c.aggregate() == Aggregate.WEIGHTED_MEAN ? b.weightedMean() : b.mean();
            evidence.addAll(b.evidence());
            if (baseline == null) return ConditionResult.unknown(c, "no samples to weight the baseline by", evidence);
        }
        String shortfall = Evidence.shortfall(s, c.minSamples());
        if (shortfall != null) return ConditionResult.unknown(c, shortfall, evidence);
        Double current = s.value(c.aggregate());
        if (current == null) return ConditionResult.unknown(c, "no samples to weight the mean by", evidence);
        Double drop = c.dropFrom(baseline, current);
        if (drop == null) return ConditionResult.unknown(c, "a relative drop from a baseline of 0 has no meaning", evidence);
        String note = "baseline " + baseline + ", current " + current + " (model version " + b.versionId() + ")";
        return ConditionResult.of(c, c.breaches(drop), c.recovers(drop), drop, c.amount(), evidence, note);
    }
}
