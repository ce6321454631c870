package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.visutility.orchestrator.node.NodeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.schedule.QuartzSchedulerFactory;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's own node joins the cluster's trigger acquisition: it must be able to run every job a
 * serve node runs, or a capability added later brings case 1 of issue 13 back (its trigger left in
 * ERROR, or its firings failing, whenever a command's node acquires it).
 */
@ExtendWith(PostgresExtension.class)
class ModulesTest {

    @Test
    void aCommandsNodeRegistersEveryJobClassAServeNodeRegisters(TestDatabase db) throws Exception {
        OrchestratorConfig config = db.config();
        try (Database database = DatabaseConnector.open(config)) {
            Set<Class<? extends Job>> serve = registered(config, database, Modules.all());
            Set<Class<? extends Job>> command = registered(config, database, Modules.commandNode());
            assertThat(serve).isNotEmpty();
            assertThat(command).containsAll(serve);
        }
    }

    private static Set<Class<? extends Job>> registered(OrchestratorConfig config, Database database, List<Module> modules)
            throws Exception {
        JobRegistry jobs = new JobRegistry();
        Scheduler scheduler = QuartzSchedulerFactory.create(database.dataSource(), config, jobs);
        try {
            NodeContext context = new NodeContext(config, database, scheduler);
            for (Module m : modules) m.registerJobs(context, jobs);
            return jobs.registered();
        } finally {
            scheduler.shutdown(false);
        }
    }
}
