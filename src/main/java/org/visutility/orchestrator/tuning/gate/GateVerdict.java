package org.visutility.orchestrator.tuning.gate;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the gate's rule decided, and why.
 *
 * @param candidateScore the candidate's value of the gate's metric, when it was scored
 * @param activeScore    the active version's value, when there is one and it was scored
 * @param noWorse        each no_worse metric that could be compared, in the rule's order
 */
public record GateVerdict(boolean approved, String reason, OptionalDouble candidateScore, OptionalDouble activeScore,
                          Map<String, NoWorse> noWorse) {

    /** One no_worse metric: both values, and whether the candidate kept up. */
    public record NoWorse(double candidate, double active, boolean ok) {
    }

    public GateVerdict {
        noWorse = Map.copyOf(noWorse);
    }

    static GateVerdict rejected(String reason, OptionalDouble candidate, OptionalDouble active) {
        return new GateVerdict(false, reason, candidate, active, Map.of());
    }
}
