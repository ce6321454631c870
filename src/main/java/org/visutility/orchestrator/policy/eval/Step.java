package org.visutility.orchestrator.policy.eval;

import java.time.Instant;
import java.util.List;

/**
 * One evaluation of a (policy, model): the state before and after, since when the new state
 * holds, and the condition that decided (an index into the policy's conditions).
 */
public record Step(PolicyState from, PolicyState to, Instant since, int decisive, List<ConditionResult> results) {
    public boolean changed() {
        return from != to;
    }

    public ConditionResult decidingResult() {
        return results.get(decisive);
    }

    /** Every condition's verdict, union of their evidence (in condition order, without repeats). */
    public List<Long> evidence() {
        java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>();
        results.forEach(r -> ids.addAll(r.evidence()));
        return List.copyOf(ids);
    }
}
