package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.visutility.orchestrator.schedule.JobRegistry;

/**
 * A capability's Quartz jobs without the rest of it: for the short-lived node a command runs. That
 * node takes part in the cluster's trigger acquisition, so it must be able to run whatever
 * cluster-wide job falls due while it lives; but the schedule (intervals, which jobs exist), the
 * routes and the gauges stay as the serve nodes set them.
 */
final class JobsOnly implements Module {
    private final Module module;

    JobsOnly(Module module) {
        this.module = module;
    }

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        module.registerJobs(context, jobs);
    }
}
