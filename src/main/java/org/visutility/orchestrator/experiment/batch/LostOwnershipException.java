package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.experiment.RunControl;

/**
 * A fenced write matched no row: the experiment was cancelled or taken over since this run
 * claimed it. The run's transaction rolls back and the run writes nothing more: raising this also
 * raises the run's stop ({@link RunControl.StopReason#LOST}), which keeps its Spring Batch
 * bookkeeping from being written too ({@link FencedJobRepository}).
 */
public final class LostOwnershipException extends RuntimeException {
    public LostOwnershipException(RunControl run) {
        super("experiment " + run.experimentId() + " is no longer owned by this run (cancelled or taken over); stopping without writing");
        run.stop(RunControl.StopReason.LOST);
    }
}
