package org.visutility.orchestrator.tuning.strategy;

import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;

import java.util.List;
import java.util.Optional;

/**
 * Proposes hyperparameters. A strategy is created per run of an experiment with the seed; its
 * proposal for trial {@code number} must depend only on the seed, the number and the finished
 * trials it is given, so that a restarted run proposes exactly what the first one would have.
 */
public interface SearchStrategy {
    /**
     * The parameters for trial {@code number}, or empty when the strategy has nothing left to
     * propose (a grid that is covered).
     *
     * @param finished the trials that have ended so far (complete, failed or pruned), by number,
     *                 with their params, scores and intermediate reports; never modified
     */
    Optional<Params> suggest(int number, List<FinishedTrial> finished);

    /**
     * As {@link #suggest(int, List)}, also given the trials proposed before {@code number} that
     * have not ended (running, or re-opened by a restart and about to run again). The proposal may
     * depend on them too: a strategy can steer away from what is already being tried. The engine
     * calls this one; strategies that do not look at running trials need not implement it.
     */
    default Optional<Params> suggest(int number, List<FinishedTrial> finished, List<RunningTrial> running) {
        return suggest(number, finished);
    }
}
