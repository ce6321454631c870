package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.EstimatedCondition;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Estimated performance (CBPE): one EstimatedPerformance statement for every input, then the
 * metric from the window's sums: accuracy = expected correct / N, precision = expected true
 * positives / predicted positives, recall = expected true positives / expected positives.
 */
final class EstimatedKind implements ConditionKind {
    private static final String SQL = SqlFiles.load(EstimatedKind.class, "EstimatedPerformance");

    record Sums(long versionId, Instant at, Instant since, int histograms, long samples, Long calibrationId, Double calibrationError,
                boolean comparable, Double correct, Double truePositives, Double predictedPositives, Double positives) {
    }

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, Sums> sums = sums(handle, inputs);
        Map<Integer, ConditionResult> out = new HashMap<>();
        for (ConditionInput in : inputs) out.put(in.key(), judge((EstimatedCondition) in.condition(), sums.get(in.key())));
        return out;
    }

    static Map<Integer, Sums> sums(Handle handle, List<ConditionInput> inputs) {
        List<Integer> keys = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<Long> atUs = new ArrayList<>();
        List<Long> windowUs = new ArrayList<>();
        for (ConditionInput in : inputs) {
            keys.add(in.key());
            models.add(in.modelId());
            atUs.add(SqlValues.micros(in.at()));
            windowUs.add(((EstimatedCondition) in.condition()).window().toNanos() / 1000);
        }
        Map<Integer, Sums> out = new HashMap<>();
        handle.createQuery(SQL)
                .bindArray("keys", Integer.class, keys)
                .bindArray("model_ids", Long.class, models)
                .bindArray("at_us", Long.class, atUs)
                .bindArray("window_us", Long.class, windowUs)
                .map((rs, ctx) -> out.put(rs.getInt("key"), new Sums(rs.getLong("model_version_id"), SqlValues.instant(rs, "at"),
                        SqlValues.instant(rs, "since"), rs.getInt("histograms"), rs.getLong("samples"),
                        SqlValues.longOrNull(rs, "calibration_id"), SqlValues.doubleOrNull(rs, "calibration_error"),
                        rs.getBoolean("comparable"), SqlValues.doubleOrNull(rs, "expected_correct"),
                        SqlValues.doubleOrNull(rs, "expected_true_pos"), SqlValues.doubleOrNull(rs, "predicted_pos"),
                        SqlValues.doubleOrNull(rs, "expected_pos"))))
                .forEach(x -> { });
        return out;
    }

    /** The estimate of the condition's metric from the window's sums, or null when it has no denominator. */
    static Double estimate(EstimatedCondition.Metric metric, Sums s) {
        return switch (metric) {
            case ACCURACY -> s.samples() == 0 ? null : s.correct() / s.samples();
            case PRECISION -> s.predictedPositives() == 0 ? null : s.truePositives() / s.predictedPositives();
            case RECALL -> s.positives() == 0 ? null : s.truePositives() / s.positives();
        };
    }

    static ConditionResult judge(EstimatedCondition c, Sums s) {
        ObjectNode facts = Json.MAPPER.createObjectNode();
        DriftKind.reconcileFacts(facts, c.reconciledBy(), c.window());
        if (s == null) return ConditionResult.unknown(c, "no prediction histograms in the window", List.of()).withFacts(facts);
        ObjectNode e = facts.putObject("estimated");
        e.put("model_version_id", s.versionId());
        e.put("histograms", s.histograms());
        e.put("samples", s.samples());
        e.put("calibration_id", s.calibrationId());
        if (s.calibrationId() == null) {
            return ConditionResult.unknown(c, "the version has no reference calibration", List.of()).withFacts(facts);
        }
        if (s.calibrationError() > EstimatedCondition.MAX_CALIBRATION_ERROR) {
            return ConditionResult.unknown(c, "the version's calibration error " + s.calibrationError() + " exceeds "
                    + EstimatedCondition.MAX_CALIBRATION_ERROR, List.of()).withFacts(facts);
        }
        if (!s.comparable()) {
            return ConditionResult.unknown(c, "not comparable: prediction histograms' edges differ from the calibration's", List.of())
                    .withFacts(facts);
        }
        if (s.samples() < c.minSamples()) {
            return ConditionResult.unknown(c, "too few samples (" + s.samples() + " < min_samples " + c.minSamples() + ")", List.of())
                    .withFacts(facts);
        }
        Double estimate = estimate(c.metric(), s);
        if (estimate == null) return ConditionResult.unknown(c, "no predictions to estimate " + c.metric().spelling() + " from", List.of())
                .withFacts(facts);
        boolean holds = c.breaches(estimate);
        FeatureScore f = new FeatureScore("prediction", "estimated", estimate, null, s.samples(), s.histograms(), s.versionId(), null,
                s.since(), s.at(), holds, "estimated " + c.metric().spelling());
        return new ConditionResult(c, holds, !holds, estimate, c.line(), List.of(), null, facts, List.of(f));
    }
}
