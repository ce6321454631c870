package org.visutility.orchestrator.ops;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.OrchestratorConfig;

/**
 * The clustered rescuer: every rescue_interval, on one node at a time, rescues the runs whose
 * owner is provably gone. It covers what Quartz's own recovery (which re-fires a dead node's
 * experiment job elsewhere) does not: rescue_action MARK_FAILED, rescue_max_attempts, a cluster that
 * restarted with new instance ids, a rescue that was interrupted.
 */
@DisallowConcurrentExecution
public final class RescueJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(RescueJob.class);

    private final StaleRunRescuer rescuer;
    private final OrchestratorConfig config;

    public RescueJob(StaleRunRescuer rescuer, OrchestratorConfig config) {
        this.rescuer = rescuer;
        this.config = config;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            var rescued = rescuer.rescueAll(config.rescueAction(), config.rescueMaxAttempts());
            if (!rescued.isEmpty()) LOG.info("Rescued {} runs whose node is gone", rescued.size());
        } catch (RuntimeException e) {
            LOG.error("Rescue pass failed (the next one runs in rescue_interval): {}", e.toString());
            throw new JobExecutionException("rescue pass failed: " + e.getMessage(), e);
        }
    }
}
