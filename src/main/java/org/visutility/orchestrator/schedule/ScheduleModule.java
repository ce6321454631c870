package org.visutility.orchestrator.schedule;

import org.visutility.orchestrator.app.Node;

/**
 * The cluster's schedule in a serve node: at start, re-arms the triggers a node left in ERROR
 * (Quartz would never fire them again).
 */
public final class ScheduleModule implements Node.Module {
    @Override
    public void started(Node.NodeContext context) throws Exception {
        ErrorTriggers.rearm(context.scheduler());
    }
}
