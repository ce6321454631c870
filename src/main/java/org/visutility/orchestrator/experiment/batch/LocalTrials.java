package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.tuning.Params;

import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The attempts run on this node's threads, {@code parallel} at once. */
final class LocalTrials implements TrialExecution {
    private final TrialLauncher launcher;
    private final ExecutorService pool;
    private final CompletionService<TrialLauncher.Done> completions;

    LocalTrials(long experimentId, TrialLauncher launcher, int parallel) {
        this.launcher = launcher;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "trial-" + experimentId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.completions = new ExecutorCompletionService<>(pool);
    }

    @Override
    public boolean remote() {
        return false;
    }

    @Override
    public void start(int number, int attempt, Params params, AtomicBoolean stop) {
        completions.submit(launcher.attempt(number, attempt, params, stop));
    }

    @Override
    public TrialLauncher.Done poll(long millis) throws Exception {
        Future<TrialLauncher.Done> f = completions.poll(millis, TimeUnit.MILLISECONDS);
        if (f == null) return null;
        try {
            return f.get();
        } catch (ExecutionException e) {
            // an Error in a trainer thread is the engine's failure, not the trial's: fail the step
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    @Override
    public List<Lost> lost() {
        return List.of();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
