package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.policy.spec.Condition;

import java.time.Instant;

/** One condition to evaluate for one model at one instant; key is the caller's index for the result. */
public record ConditionInput(int key, long modelId, String modelName, Condition condition, Instant at) {
}
