package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.schedule.QuartzSchedulerFactory;
import org.visutility.orchestrator.store.SqlFiles;

/** Whether any node of the Quartz cluster is alive to run queued work. */
final class ClusterMembers {
    private static final String LIVE = SqlFiles.load(ClusterMembers.class, "LiveNodes");

    private ClusterMembers() {
    }

    static long alive(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(LIVE).bind("scheduler", QuartzSchedulerFactory.SCHEDULER_NAME)
                .bind("nowMs", System.currentTimeMillis()).mapTo(Long.class).one());
    }
}
