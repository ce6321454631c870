package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentReports;
import org.visutility.orchestrator.experiment.LocalNode;
import org.visutility.orchestrator.experiment.RunFollower;
import org.visutility.orchestrator.store.Database;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * After ops put runs back in the queue: a live node of the cluster runs them; when none is alive
 * (always so on the embedded database) this process runs them, as experiments submit --wait does,
 * and so waits for their end.
 */
final class Relaunch {
    private Relaunch() {
    }

    /**
     * Follows the runs to their end when asked to, or when this process must run them; returns
     * their final summaries (empty when the cluster runs them and nobody waits).
     */
    static List<ExperimentReports.Summary> run(OrchestratorConfig config, Database db, List<Long> ids, boolean wait,
                                               PrintStream progress) throws InterruptedException {
        List<ExperimentReports.Summary> ends = new ArrayList<>();
        if (ids.isEmpty()) return ends;
        if (!wait && LocalNode.clusterAlive(config, db)) {
            progress.println("a node of the cluster will run " + (ids.size() == 1 ? "it" : "them") + "; follow with experiments show ID");
            return ends;
        }
        try (LocalNode local = new LocalNode(config, db)) {
            for (long id : ids) ends.add(RunFollower.follow(db, id, local, progress));
        }
        return ends;
    }
}
