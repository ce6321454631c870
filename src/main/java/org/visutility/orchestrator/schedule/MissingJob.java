package org.visutility.orchestrator.schedule;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node runs when Quartz hands it a job whose class this node has not registered. Refusing
 * to create the job would make Quartz put every trigger of it in ERROR, where it never fires again,
 * on any node; failing this one firing instead leaves the trigger armed for its next firing (on a
 * node that has the job) and records the failure in orchestrator.job_run, where /health shows it.
 */
final class MissingJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(MissingJob.class);
    private final Class<? extends Job> type;

    MissingJob(Class<? extends Job> type) {
        this.type = type;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        LOG.warn("Quartz handed this node job {} ({}), which it cannot run; the firing fails, the trigger stays armed",
                context.getJobDetail().getKey(), type.getName());
        throw new JobExecutionException("no job of type " + type.getName() + " is registered on this node; "
                + "its trigger stays armed for the next firing", false);
    }
}
