package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.collect.CollectModule;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.handoff.PromotionModule;
import org.visutility.orchestrator.model.ModelModule;
import org.visutility.orchestrator.policy.PolicyModule;
import org.visutility.orchestrator.node.ScheduleModule;
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
                new PromotionModule(),
                new ModelModule(),
                new org.visutility.orchestrator.reference.ReferenceModule(),
                new DashboardModule(),
                new ScheduleModule());
    }

    /**
     * The node a command runs itself (experiments submit --wait, ops restart, ops recover) when no
     * node serves: it runs experiments, and it joins the cluster's trigger acquisition, so it can
     * run every cluster-wide job too. Without a job's class it would leave the job's trigger in
     * ERROR, where Quartz never fires it again (policy evaluation stopped for good that way). It
     * leaves the schedule, the routes and the gauges to the serve nodes. A capability with a
     * clustered job adds it here as well ({@code ModulesTest} checks).
     */
    public static List<Module> commandNode() {
        return List.of(
                new JobsOnly(new CollectModule()),
                new JobsOnly(new PolicyModule()),
                ExperimentModule.forCommand(),
                new JobsOnly(new org.visutility.orchestrator.ops.OpsModule()),
                new JobsOnly(new PromotionModule()));
    }
}
