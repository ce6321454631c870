package org.visutility.orchestrator.tuning.trainer;

import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a trainer gets for one attempt of one trial.
 *
 * @param stop   raised when the trial must stop now: the experiment was cancelled or ran out of
 *               time, or the node is shutting down
 * @param folder a fresh folder for this attempt (ORCH_TRIAL_DIR), made on first use
 * @param round  why the experiment runs (model, serving version, trigger, round); {@link RoundContext#NONE} outside an experiment
 */
public record TrialContext(long experimentId, int number, int attempt, Params params, Objective objective,
                           BooleanSupplier stop, Supplier<Path> folder, RoundContext round) {
    /** Outside an experiment (the gate's evaluator, tests): no round context. */
    public TrialContext(long experimentId, int number, int attempt, Params params, Objective objective,
                        BooleanSupplier stop, Supplier<Path> folder) {
        this(experimentId, number, attempt, params, objective, stop, folder, RoundContext.NONE);
    }

    public boolean stopRequested() {
        return stop.getAsBoolean();
    }

    /** The attempt's own empty folder (created when first asked for). */
    public Path directory() {
        return folder.get();
    }
}
