package org.visutility.orchestrator.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.NodeBoundTrial;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TrialRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node, whose trial worker is the only one: placement cluster sends every trial through the
 * channel store to it and back, each recorded once and named after the node; placement local runs
 * them on the owner's threads even when the node runs no trials for others (trials_per_node 0), as
 * does the default (auto) with one live node; a program the worker cannot start fails the trial,
 * saying which node, not the experiment's run.
 */
@ExtendWith(PostgresExtension.class)
class PlacementOnOneNodeTest {
    private static final int TRIALS = 6;

    @TempDir
    Path dir;

    @Test
    void placementClusterRunsEveryTrialThroughTheWorkerAndNamesItsNode(TestDatabase db) throws Exception {
        try (Node node = node(db, "2")) {
            long id = Experiments.queue(db, spec(trainer(), "placement: cluster"));
            awaitEnd(db, id);
            assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                    .containsExactlyElementsOf(IntStream.range(0, TRIALS).mapToObj(n -> n + ":complete:1").toList());
            String me = node.scheduler().getSchedulerInstanceId();
            assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id AND worker = '" + me + "'", id))
                    .isEqualTo(TRIALS);
            assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id AND worker = '" + me + "'", id))
                    .isEqualTo(TRIALS);
            long left = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM batch.int_channel_message").mapTo(Long.class).one());
            assertThat(left).as("every message was taken").isZero();
        }
    }

    @Test
    void placementLocalAndTheDefaultWithOneNodeRunOnTheOwnerWithoutAWorker(TestDatabase db) throws Exception {
        try (Node ignored = node(db, "0")) {
            long local = Experiments.queue(db, spec(trainer(), "placement: local"));
            long auto = Experiments.queue(db, spec(trainer(), ""));
            awaitEnd(db, local);
            awaitEnd(db, auto);
            assertThat(Experiments.row(db, local).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(Experiments.row(db, auto).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(Experiments.trialRows(db, local)).extracting(TrialRow::status).containsOnly("complete").hasSize(TRIALS);
        }
    }

    @Test
    void aProgramTheWorkerCannotStartFailsTheTrialNamingTheNode(TestDatabase db) throws Exception {
        try (Node node = node(db, "2")) {
            String spec = spec("{type: command, command: [" + dir.resolve("not-installed-here") + "]}", "placement: cluster")
                    .replace("trials: " + TRIALS, "trials: 3");
            long id = Experiments.queue(db, spec);
            awaitEnd(db, id);
            String me = node.scheduler().getSchedulerInstanceId();
            assertThat(Experiments.trialRows(db, id)).hasSize(3).allSatisfy(t -> {
                assertThat(t.status()).isEqualTo("failed");
                assertThat(t.error().orElseThrow()).startsWith("on node " + me + ": ");
            });
        }
    }

    private Path trainer() throws java.io.IOException {
        return Files.writeString(dir.resolve("train.sh"), "echo \"{\\\"loss\\\": 0.$ORCH_TRIAL_NUMBER}\"\n");
    }

    private static String spec(Object trainer, String placement) {
        String t = trainer instanceof Path p ? "{type: command, command: [sh, " + p + "]}" : trainer.toString();
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: {trials: %d, parallel: 3}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: %s
                %s
                """.formatted(TRIALS, t, placement);
    }

    private static void awaitEnd(TestDatabase db, long id) throws InterruptedException {
        Await.until("experiment " + id + " to end", Duration.ofSeconds(90), () -> Experiments.row(db, id).isFinished());
    }

    private Node node(TestDatabase db, String trialsPerNode) {
        Map<String, String> settings = new HashMap<>(NodeBoundTrial.FAST);
        settings.put("ORCHESTRATOR_TRIALS_PER_NODE", trialsPerNode);
        return Node.start(Experiments.config(db, dir.resolve("node"), settings).withHttpPort(0), List.of(new ExperimentModule()));
    }
}
