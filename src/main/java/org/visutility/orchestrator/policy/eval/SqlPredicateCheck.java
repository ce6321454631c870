package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.SqlCondition;

import java.time.Instant;
import java.util.Optional;

/** Tries a custom predicate once, as evaluation will run it, so that a broken one is rejected when its file is applied. */
public final class SqlPredicateCheck {
    private SqlPredicateCheck() {
    }

    /** What is wrong with the predicate (it fails, times out, or has the wrong shape), or empty. */
    public static Optional<String> problem(Handle handle, SqlCondition condition, long modelId, String model, Instant at) {
        try {
            SqlPredicateKind.run(handle, new ConditionInput(0, modelId, model, condition, at), condition);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("the predicate does not run: " + SqlPredicateKind.rootMessage(e));
        }
    }
}
