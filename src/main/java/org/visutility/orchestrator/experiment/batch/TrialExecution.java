package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.tuning.Params;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the trials step's attempts run: on this node's threads ({@link LocalTrials}) or on the
 * cluster's trial workers ({@link ClusterTrials}). The step proposes, records and checkpoints alike
 * either way; only starting an attempt, hearing that it ended and stopping it differ.
 */
interface TrialExecution extends AutoCloseable {
    /** An attempt that cannot end where it ran: its worker's node is gone or gave it back. It runs again. */
    record Lost(int number, int attempt, String worker, String why) {
    }

    /** Whether the attempts run on other nodes (the step then does not wait for stopped ones to return). */
    boolean remote();

    /** Starts an attempt whose running row is committed; {@code stop} stops it alone. */
    void start(int number, int attempt, Params params, AtomicBoolean stop);

    /** The next attempt that ended within {@code millis}, or null. */
    TrialLauncher.Done poll(long millis) throws Exception;

    /** Attempts that will never end where they ran (always empty for local trials). */
    List<Lost> lost();

    @Override
    void close();
}
