package org.visutility.orchestrator.schedule;

import org.jdbi.v3.core.Jdbi;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.JobListener;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.store.SqlFiles;

/**
 * Records, after every run of a cluster-wide recurring job on this node, its outcome in
 * orchestrator.job_run: in the database, so that every node's /health sees a run any node did. A
 * job is cluster-wide and recurring when it is durable; the one-shot experiment runs are not.
 */
public final class JobRunRecorder implements JobListener {
    static final int ERROR_LENGTH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(JobRunRecorder.class);
    private static final String SUCCESS = SqlFiles.load(JobRunRecorder.class, "RecordJobSuccess");
    private static final String FAILURE = SqlFiles.load(JobRunRecorder.class, "RecordJobFailure");

    private final Jdbi jdbi;

    public JobRunRecorder(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The job's name in orchestrator.job_run, /health and the metrics' job label: group.name. */
    public static String name(JobKey key) {
        return key.getGroup() + "." + key.getName();
    }

    @Override
    public String getName() {
        return "job-run-recorder";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
        if (!context.getJobDetail().isDurable()) return;
        String job = name(context.getJobDetail().getKey());
        try {
            String node = context.getScheduler().getSchedulerInstanceId();
            jdbi.useHandle(h -> {
                var update = h.createUpdate(failure == null ? SUCCESS : FAILURE).bind("job", job).bind("node", node);
                if (failure != null) update.bind("error", firstChars(failure.getMessage()));
                update.execute();
            });
        } catch (SchedulerException | RuntimeException e) {
            // the run itself is over either way; /health shows the job late if its runs go unrecorded
            LOG.warn("Could not record the run of job {} in orchestrator.job_run: {}", job, e.getMessage());
        }
    }

    private static String firstChars(String message) {
        if (message == null) return "(no message)";
        return message.length() <= ERROR_LENGTH ? message : message.substring(0, ERROR_LENGTH);
    }
}
