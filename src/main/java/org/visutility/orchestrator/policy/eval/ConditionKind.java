package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;

/** Evaluates every condition of one kind in one go (a statement over all inputs), returning results by input key. */
interface ConditionKind {
    Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs);

    /** The same results put at their keys in {@code byKey}; a kind a fleet's pass runs per model does so without a map. */
    default void evaluateInto(Handle handle, List<ConditionInput> inputs, ConditionResult[] byKey) {
        evaluate(handle, inputs).forEach((key, result) -> byKey[key] = result);
    }
}
