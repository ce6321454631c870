package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.policy.spec.Condition;

import java.time.Instant;

/**
 * One condition to evaluate for one model at one instant; key is the caller's index for the result.
 * Values are read as known at {@code knownAt}: the instant itself for a live pass and a backtest as
 * known then, null for today's current revisions (a backtest --as-now, a decision's review).
 */
public record ConditionInput(int key, long modelId, String modelName, Condition condition, Instant at, Instant knownAt) {

    /** Evaluated on the values known at the instant itself, as a live pass does. */
    public ConditionInput(int key, long modelId, String modelName, Condition condition, Instant at) {
        this(key, modelId, modelName, condition, at, at);
    }
}
