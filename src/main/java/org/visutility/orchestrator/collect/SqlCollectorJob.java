package org.visutility.orchestrator.collect;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.SqlCollectorSetting;

import java.util.Map;

/**
 * The Quartz job of one SQL collector (one job per collector, so a collector never runs twice at
 * once across the cluster, while different collectors run side by side).
 */
@DisallowConcurrentExecution
public final class SqlCollectorJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(SqlCollectorJob.class);
    /** The Quartz group of the collectors' jobs and triggers. */
    public static final String GROUP = "sql-collector";
    static final String COLLECTOR = "collector";

    private final SqlCollector collector;
    private final Map<String, SqlCollectorSetting> settings;

    SqlCollectorJob(SqlCollector collector, Map<String, SqlCollectorSetting> settings) {
        this.collector = collector;
        this.settings = settings;
    }

    /** A run that collected nothing fails the job, so that orchestrator.job_run (and /health) tell it from a run that did. */
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String name = context.getJobDetail().getJobDataMap().getString(COLLECTOR);
        SqlCollectorSetting setting = settings.get(name);
        if (setting == null) {
            LOG.warn("SQL collector {} is scheduled but not configured on this node; give every node the same collectors", name);
            throw new JobExecutionException("SQL collector " + name + " is not configured on this node", false);
        }
        SqlCollector.Outcome outcome = collector.run(setting);
        if (!outcome.ok()) throw new JobExecutionException("SQL collector " + name + " failed: " + outcome.error(), false);
    }
}
