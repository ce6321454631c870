package org.visutility.orchestrator.node;

import org.visutility.orchestrator.schedule.ErrorTriggers;
import org.visutility.orchestrator.schedule.JobLiveness;
import org.visutility.orchestrator.schedule.JobLivenessGauges;


/**
 * The cluster's schedule in a serve node: at start, re-arms the triggers a node left in ERROR
 * (Quartz would never fire them again); while the node runs, each cluster-wide job's liveness in
 * GET /metrics. (GET /health reads the same liveness on every node.)
 */
public final class ScheduleModule implements Module {
    private JobLivenessGauges gauges;

    @Override
    public void started(NodeContext context) throws Exception {
        ErrorTriggers.rearm(context.scheduler());
        gauges = new JobLivenessGauges(new JobLiveness(context.database().jdbi()));
    }

    @Override
    public void stopping(NodeContext context) {
        if (gauges != null) gauges.close();
    }
}
