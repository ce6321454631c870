package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a trial attempt ended, as the trainer saw it. The engine checks a complete result for the
 * objective metric (a missing one fails the trial), so trainers need not. Text the trainer made
 * (error, artifact, metric names) is cleaned of control characters ({@link TrainerText}) here, so
 * that whatever a trainer returns can be stored.
 *
 * @param metrics the final report's metrics (complete), or the last values known (pruned)
 * @param error   why it failed or stopped, with the tail of the trainer's stderr when there is one
 * @param references the reference the trainer made of its data (a complete result only): the JSON
 *                   shape of {@code orchestrator references set FILE}, checked by the engine
 */
public record TrialResult(Outcome outcome, Map<String, Double> metrics, Optional<String> artifactUri, String error,
                          Optional<JsonNode> references) {
    public enum Outcome { COMPLETE, FAILED, PRUNED, STOPPED }

    public TrialResult {
        Map<String, Double> cleaned = new LinkedHashMap<>();
        metrics.forEach((name, value) -> cleaned.put(TrainerText.clean(name), value));
        metrics = Collections.unmodifiableMap(cleaned);
        artifactUri = artifactUri.map(TrainerText::clean);
        error = TrainerText.clean(error);
    }

    public TrialResult(Outcome outcome, Map<String, Double> metrics, Optional<String> artifactUri, String error) {
        this(outcome, metrics, artifactUri, error, Optional.empty());
    }

    public static TrialResult complete(Map<String, Double> metrics, Optional<String> artifactUri) {
        return new TrialResult(Outcome.COMPLETE, metrics, artifactUri, null);
    }

    /** A complete result with the reference the trainer made ({@code references} in a final report). */
    public static TrialResult complete(Map<String, Double> metrics, Optional<String> artifactUri, Optional<JsonNode> references) {
        return new TrialResult(Outcome.COMPLETE, metrics, artifactUri, null, references);
    }

    public static TrialResult failed(String error) {
        return new TrialResult(Outcome.FAILED, Map.of(), Optional.empty(), error);
    }

    public static TrialResult pruned(Map<String, Double> lastMetrics) {
        return new TrialResult(Outcome.PRUNED, lastMetrics, Optional.empty(), null);
    }

    public static TrialResult stopped(String why) {
        return new TrialResult(Outcome.STOPPED, Map.of(), Optional.empty(), why);
    }
}
