package org.visutility.orchestrator.tuning.pruning;

import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;

import java.util.List;

/**
 * Decides, at each intermediate report of a running trial, whether to stop it early (prune it).
 * Called from the trainer's thread; must not block.
 */
public interface Pruner {
    /**
     * @param reports  the running trial's intermediate reports so far, the newest last
     * @param finished the trials that have ended so far, with their own intermediate reports
     */
    boolean shouldPrune(int number, List<IntermediateReport> reports, List<FinishedTrial> finished);

    /** Never prunes: the rule {@code none}, and what runs when a spec has no pruning. */
    Pruner NEVER = (number, reports, finished) -> false;
}
