package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.collect.CollectModule;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.policy.PolicyModule;
import org.visutility.orchestrator.web.dashboard.DashboardModule;

import java.util.List;

/** The capabilities a serving node runs. Each issue's capability adds its module here. */
public final class Modules {
    private Modules() {
    }

    public static List<Module> all() {
        return List.of(
                new CollectModule(),
                new PolicyModule(),
                new ExperimentModule(),
                new org.visutility.orchestrator.ops.OpsModule(),
                new DashboardModule());
    }
}
