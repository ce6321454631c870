package org.visutility.orchestrator.node;

import org.quartz.Scheduler;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;

/** What modules may use. */
public record NodeContext(OrchestratorConfig config, Database database, Scheduler scheduler) {
}
