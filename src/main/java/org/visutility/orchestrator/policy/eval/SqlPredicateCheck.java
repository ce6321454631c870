package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.policy.spec.SqlCondition;

import java.time.Instant;
import java.util.Optional;

/**
 * Tries a custom predicate once, as evaluation will run it (the same role, the same subquery, the
 * same read-only transaction, rolled back), so that a broken one is rejected when its file is
 * applied and nothing it does is kept.
 */
public final class SqlPredicateCheck {
    private final ConditionPool pool;

    public SqlPredicateCheck(ConditionPool pool) {
        this.pool = pool;
    }

    /** What is wrong with the predicate (it cannot run here, fails, times out, or has the wrong shape), or empty. */
    public Optional<String> problem(SqlCondition condition, long modelId, String model, Instant at) {
        try {
            SqlPredicateKind.run(pool, new ConditionInput(0, modelId, model, condition, at), condition);
            return Optional.empty();
        } catch (ConditionPool.UnavailableException e) {
            return Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("the predicate does not run: " + SqlPredicateKind.rootMessage(e));
        }
    }
}
