package org.visutility.orchestrator.experiment;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The one-shot Quartz job of one experiment. It requests recovery: if its node dies while it
 * runs, Quartz fires it again on another node (isRecovering), which takes the run over once the
 * dead owner's heartbeat is stale. It occupies a scheduler thread for the length of the run.
 */
public final class ExperimentRunJob implements Job {
    private final ExperimentRunner runner;

    public ExperimentRunJob(ExperimentRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        long id = Long.parseLong(context.getMergedJobDataMap().getString(ExperimentDispatcher.EXPERIMENT_ID));
        runner.run(id, context.isRecovering());
    }
}
