package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.Condition;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.spec.DropCondition;
import org.visutility.orchestrator.policy.spec.EstimatedCondition;
import org.visutility.orchestrator.policy.spec.SqlCondition;
import org.visutility.orchestrator.policy.spec.StalenessCondition;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates many conditions at once: the inputs are grouped by kind and each kind runs its
 * statement over all of its inputs (in chunks of {@link #CHUNK} rows), never one query per model.
 */
public final class ConditionEvaluator {
    /** Rows per statement: large enough for a fleet in one go, small enough to bound one statement's memory. */
    static final int CHUNK = 50_000;

    private final Map<Class<? extends Condition>, ConditionKind> kinds = new LinkedHashMap<>();

    /** @param sqlConditions where custom SQL conditions run (their own role, not the handle's) */
    public ConditionEvaluator(ConditionPool sqlConditions) {
        kinds.put(ThresholdCondition.class, new ThresholdKind());
        kinds.put(DropCondition.class, new DropKind());
        kinds.put(StalenessCondition.class, new StalenessKind());
        kinds.put(SqlCondition.class, new SqlPredicateKind(sqlConditions));
        kinds.put(DriftCondition.class, new DriftKind());
        kinds.put(EstimatedCondition.class, new EstimatedKind());
    }

    /**
     * Results by input key, which run from 0 to inputs.size() - 1 (as {@link ConditionBatch} numbers
     * them): an array, not a map, since a fleet's pass has one per model. Every input gets one.
     */
    public ConditionResult[] evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Class<? extends Condition>, List<ConditionInput>> byKind = new HashMap<>();
        Class<? extends Condition> lastKind = null;
        List<ConditionInput> lastList = null;
        for (ConditionInput in : inputs) {
            Class<? extends Condition> kind = in.condition().getClass();
            if (kind != lastKind) { // a fleet's inputs come in runs of one kind
                lastKind = kind;
                lastList = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
            }
            lastList.add(in);
        }
        ConditionResult[] out = new ConditionResult[inputs.size()];
        for (Map.Entry<Class<? extends Condition>, ConditionKind> kind : kinds.entrySet()) {
            List<ConditionInput> mine = byKind.getOrDefault(kind.getKey(), List.of());
            for (int from = 0; from < mine.size(); from += CHUNK) {
                kind.getValue().evaluateInto(handle, mine.subList(from, Math.min(mine.size(), from + CHUNK)), out);
            }
        }
        return out;
    }
}
