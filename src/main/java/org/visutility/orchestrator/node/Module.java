package org.visutility.orchestrator.node;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.visutility.orchestrator.schedule.JobRegistry;

import java.util.List;

/** A capability's part in a node: its jobs, its routes, and what it starts once the node runs. */
public interface Module {
    default void registerJobs(NodeContext context, JobRegistry jobs) {
    }

    default void routes(NodeContext context, Javalin app) {
    }

    /** The sections this capability adds to GET /health. */
    default List<HealthSection> healthSections(NodeContext context) {
        return List.of();
    }

    /** Adjusts the HTTP server's configuration before it is created, e.g. to serve static files. */
    default void configureHttp(NodeContext context, JavalinConfig http) {
    }

    /** Called after the scheduler started, e.g. to schedule recurring jobs. */
    default void started(NodeContext context) throws Exception {
    }

    /**
     * Called when the node begins to close, before the scheduler waits for running jobs: long
     * jobs (experiments) hand their work back here so that closing does not wait for them.
     */
    default void stopping(NodeContext context) {
    }

    /** Called once the scheduler has stopped (no job runs any more), before the database closes. */
    default void stopped(NodeContext context) {
    }
}
