package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.support.TrialRow;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that stops (SIGTERM, Ctrl-C) does not wait for a long experiment: it stops the trainers,
 * hands the experiment back to the queue with its checkpoint, and the next node resumes it.
 */
@ExtendWith(PostgresExtension.class)
class NodeShutdownHandsTheRunBackTest {
    @TempDir
    Path dir;

    @Test
    void aStoppingNodeRequeuesItsRunAndTheNextNodeResumesIt(TestDatabase db) throws Exception {
        Path started = dir.resolve("trial-2.started");
        Path script = Files.writeString(dir.resolve("train.sh"), """
                if [ "$ORCH_TRIAL_NUMBER" = 2 ] && [ "$ORCH_TRIAL_ATTEMPT" = 1 ]; then touch "%s"; sleep 60; fi
                echo "{\\"loss\\": 0.$ORCH_TRIAL_NUMBER}"
                """.formatted(started));
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random}
                budget: {trials: 4}
                space: {x: {type: float, low: 0.0, high: 1.0}}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(script));
        Map<String, String> fast = Map.of("ORCHESTRATOR_DISPATCH_INTERVAL", "200ms");

        try (Node a = Node.start(Experiments.config(db, dir.resolve("a"), fast).withHttpPort(0), List.of(new ExperimentModule()))) {
            Await.until("trial 2 to start on node A", Duration.ofSeconds(60), () -> Files.exists(started));
        }
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.QUEUED);
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberAndStatus)
                .containsExactly("0:complete", "1:complete", "2:running");

        try (Node b = Node.start(Experiments.config(db, dir.resolve("b"), fast).withHttpPort(0), List.of(new ExperimentModule()))) {
            Await.until("the experiment to end on node B", Duration.ofSeconds(60), () -> Experiments.row(db, id).isFinished());
        }
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:complete:1", "1:complete:1", "2:complete:2", "3:complete:1");
        List<String> story = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT event FROM lineage.experiment_events WHERE experiment_id = :id ORDER BY seq").bind("id", id).mapTo(String.class).list());
        assertThat(story).as("the hand-back is part of the run's story").containsExactly("queued", "claimed", "released", "claimed", "succeeded");
    }
}
