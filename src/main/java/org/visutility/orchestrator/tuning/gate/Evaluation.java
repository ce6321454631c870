package org.visutility.orchestrator.tuning.gate;

import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How one version scored: its metrics, or why it could not be scored. A stopped evaluation (the run
 * must stop) decides nothing.
 */
public record Evaluation(Map<String, Double> metrics, Optional<String> failure, boolean stopped) {
    public Evaluation {
        Map<String, Double> cleaned = new LinkedHashMap<>();
        metrics.forEach((name, value) -> cleaned.put(TrainerText.clean(name), value));
        metrics = Collections.unmodifiableMap(cleaned);
        failure = failure.map(TrainerText::clean);
    }

    public static Evaluation scored(Map<String, Double> metrics) {
        return new Evaluation(metrics, Optional.empty(), false);
    }

    public static Evaluation failed(String why) {
        return new Evaluation(Map.of(), Optional.of(why), false);
    }

    public static Evaluation stoppedEarly() {
        return new Evaluation(Map.of(), Optional.of("stopped"), true);
    }

    public boolean ok() {
        return failure.isEmpty();
    }
}
