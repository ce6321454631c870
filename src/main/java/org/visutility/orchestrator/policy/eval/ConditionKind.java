package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;

/** Evaluates every condition of one kind in one go (a statement over all inputs), returning results by input key. */
interface ConditionKind {
    Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs);
}
