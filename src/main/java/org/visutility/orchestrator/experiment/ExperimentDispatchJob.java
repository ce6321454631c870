package org.visutility.orchestrator.experiment;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The recurring, clustered dispatch round (every dispatch_interval, one node at a time). */
@DisallowConcurrentExecution
public final class ExperimentDispatchJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentDispatchJob.class);
    private final ExperimentDispatcher dispatcher;

    public ExperimentDispatchJob(ExperimentDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            dispatcher.dispatch();
        } catch (SchedulerException | RuntimeException e) {
            LOG.error("Experiment dispatch failed: {}", e.toString());
            throw new JobExecutionException("experiment dispatch failed: " + e.getMessage(), e);
        }
    }
}
