package org.visutility.orchestrator.tuning.trainer;

/**
 * Trains and scores one trial. Created per run of an experiment from its {@code trainer} spec;
 * called from several threads at once when the budget allows parallel trials.
 */
public interface Trainer {
    /**
     * Runs the trial to its end. Intermediate values go to {@code reporter}, which may answer
     * that the trial is to be pruned; the trainer then stops and returns {@link TrialResult#pruned}.
     * When {@code trial.stop()} is raised (cancel, timeout, shutdown) the trainer stops promptly
     * and returns {@link TrialResult#stopped}. Anything thrown counts as a failed trial.
     */
    TrialResult train(TrialContext trial, TrialReporter reporter) throws Exception;
}
