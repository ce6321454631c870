package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;

/** Evaluates every condition of one kind in one go (a statement over all inputs), returning results by input key. */
interface ConditionKind {
    Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs);

    /**
     * Whether its inputs may be split over two connections evaluated at once: true for the kinds
     * whose statement costs per input and loads nothing shared by all inputs (which a split would
     * load twice) and whose evaluate keeps no state between calls.
     */
    default boolean splits() {
        return false;
    }
}
