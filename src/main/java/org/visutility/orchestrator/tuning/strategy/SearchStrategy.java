package org.visutility.orchestrator.tuning.strategy;

import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;

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
}
