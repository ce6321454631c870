package org.visutility.orchestrator.app;

import org.visutility.orchestrator.experiment.ExperimentModule;

import java.util.List;

/** The capabilities a serving node runs. Each issue's capability adds its module here. */
public final class Modules {
    private Modules() {
    }

    public static List<Node.Module> all() {
        return List.of(
                new ExperimentModule());
    }
}
