package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.Condition;
import org.visutility.orchestrator.policy.spec.PolicySpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the conditions of many (policy, model, instant) evaluations, evaluates them all in
 * one round of set-wise statements, and hands back each evaluation's results in condition order.
 * Live evaluation and backtest both go through here, so they judge alike.
 */
public final class ConditionBatch {
    private final List<ConditionInput> inputs = new ArrayList<>();
    private final List<int[]> slots = new ArrayList<>();
    private ConditionResult[] results;

    /** Adds one evaluation on the values known at the instant; returns its slot for {@link #results(int)}. */
    public int add(PolicySpec spec, long modelId, String modelName, Instant at) {
        return add(spec, modelId, modelName, at, at);
    }

    /** Adds one evaluation on the values known at {@code knownAt} (null: today's current revisions); returns its slot. */
    public int add(PolicySpec spec, long modelId, String modelName, Instant at, Instant knownAt) {
        int[] keys = new int[spec.conditions().size()];
        for (int i = 0; i < keys.length; i++) {
            Condition c = spec.conditions().get(i);
            keys[i] = inputs.size();
            inputs.add(new ConditionInput(keys[i], modelId, modelName, c, at, knownAt));
        }
        slots.add(keys);
        return slots.size() - 1;
    }

    public void evaluate(Handle handle, ConditionEvaluator evaluator) {
        results = evaluator.evaluate(handle, inputs);
    }

    public List<ConditionResult> results(int slot) {
        int[] keys = slots.get(slot);
        List<ConditionResult> out = new ArrayList<>(keys.length);
        for (int k : keys) out.add(results[k]);
        return out;
    }

    public int size() {
        return inputs.size();
    }
}
