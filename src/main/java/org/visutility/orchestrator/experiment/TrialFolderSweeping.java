package org.visutility.orchestrator.experiment;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a serve node's {@link TrialFolderSweeper} every {@link #INTERVAL}, on one daemon thread of its
 * own: trial folders are on each node's disk, so this is not a cluster-wide Quartz job (which would
 * run on one node only).
 */
final class TrialFolderSweeping {
    static final Duration INTERVAL = Duration.ofHours(1);
    /** The first sweep waits a little, so that a node's start is not slowed by it. */
    static final Duration FIRST_AFTER = Duration.ofMinutes(1);

    private final ScheduledExecutorService executor;

    private TrialFolderSweeping(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static TrialFolderSweeping start(TrialFolderSweeper sweeper) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trial-folder-sweeper");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(sweeper::sweep, FIRST_AFTER.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return new TrialFolderSweeping(executor);
    }

    void stop() {
        executor.shutdownNow();
    }
}
