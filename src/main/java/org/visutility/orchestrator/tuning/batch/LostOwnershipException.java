package org.visutility.orchestrator.tuning.batch;

/**
 * A fenced write matched no row: the experiment was cancelled or taken over since this run
 * claimed it. The run's transaction rolls back and the run writes nothing more.
 */
public final class LostOwnershipException extends RuntimeException {
    public LostOwnershipException(long experimentId) {
        super("experiment " + experimentId + " is no longer owned by this run (cancelled or taken over); stopping without writing");
    }
}
