package org.visutility.orchestrator.policy.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The state machine of a (policy, model), as in Prometheus alerting:
 * <pre>
 *   ok / resolved --breach--> pending (firing at once when for: is 0)
 *   pending --breach held for for:--> firing
 *   pending --no breach--> ok
 *   firing --recovered--> resolved
 * </pre>
 * A breach is every condition holding. A firing policy recovers when any condition has
 * recovered: crossed back past its resolve line (hysteresis) or, without one, stopped holding.
 * Conditions whose evidence does not count (no data, too few samples) neither breach nor
 * recover: a pending policy falls back to ok, a firing one stays firing.
 */
public final class PolicyStateMachine {
    private PolicyStateMachine() {
    }

    public static Step step(PolicyState state, Instant since, List<ConditionResult> results, Instant at, Duration holdFor) {
        boolean breach = allBreach(results);
        return switch (state) {
            case OK, RESOLVED -> breach
                    ? new Step(state, holdFor.isZero() ? PolicyState.FIRING : PolicyState.PENDING, at, 0, results)
                    : new Step(state, state, since, 0, results);
            case PENDING -> {
                if (!breach) yield new Step(state, PolicyState.OK, at, firstNotHolding(results), results);
                if (!Duration.between(since, at).minus(holdFor).isNegative()) yield new Step(state, PolicyState.FIRING, at, 0, results);
                yield new Step(state, state, since, 0, results);
            }
            case FIRING -> {
                int recovered = firstRecovered(results);
                yield recovered >= 0
                        ? new Step(state, PolicyState.RESOLVED, at, recovered, results)
                        : new Step(state, state, since, 0, results);
            }
        };
    }

    /** Every condition holds (and there is one): a loop, as a pass steps every (policy, model) of a fleet. */
    private static boolean allBreach(List<ConditionResult> results) {
        if (results.isEmpty()) return false;
        for (ConditionResult r : results) {
            if (!r.breach()) return false;
        }
        return true;
    }

    private static int firstNotHolding(List<ConditionResult> results) {
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).breach()) return i;
        }
        return 0;
    }

    private static int firstRecovered(List<ConditionResult> results) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).hasRecovered()) return i;
        }
        return -1;
    }
}
