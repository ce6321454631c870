package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;

import java.time.Duration;

/**
 * Staleness: the model has had no successful retrain (an experiment with status succeeded)
 * for at least the duration. A model never retrained counts from when it was registered.
 */
public record StalenessCondition(Duration duration) implements Condition {
    public static final String KEY = "no_successful_retrain_for";

    @Override
    public String describe() {
        return "no successful retrain for " + Durations.format(duration);
    }

    @Override
    public ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put(KEY, Durations.format(duration));
    }
}
