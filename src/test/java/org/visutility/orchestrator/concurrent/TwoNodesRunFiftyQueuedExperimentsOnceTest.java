package org.visutility.orchestrator.concurrent;

import org.visutility.orchestrator.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two serving nodes on one database, 50 experiments queued: every experiment runs exactly once
 * (claimed once, one Spring Batch execution, each trial number once, one result) and both nodes
 * do some of the work.
 */
@Slow
@ExtendWith(PostgresExtension.class)
class TwoNodesRunFiftyQueuedExperimentsOnceTest {
    private static final int EXPERIMENTS = 50;
    private static final int TRIALS = 4;
    private static final String TRIAL_SECONDS = "0.2";

    @TempDir
    Path dir;

    @Test
    void eachOfFiftyExperimentsRunsExactlyOnceAndBothNodesWork(TestDatabase db) throws Exception {
        // two threads a node (one for an experiment, one for the recurring jobs) and three slots: one node
        // alone runs one experiment at a time, so the other finds launches waiting at its next poll
        Map<String, String> env = new HashMap<>(db.environment(Map.of(
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s",
                "ORCHESTRATOR_DISPATCH_INTERVAL", "200ms",
                "ORCHESTRATOR_HEARTBEAT_INTERVAL", "300ms",
                "ORCHESTRATOR_MAX_RUNNING_EXPERIMENTS", "3",
                "ORCHESTRATOR_SCHEDULER_THREADS", "2")));
        Map<String, String> envA = new HashMap<>(env);
        envA.put("ORCHESTRATOR_HOME", dir.resolve("a").toString());
        Map<String, String> envB = new HashMap<>(env);
        envB.put("ORCHESTRATOR_HOME", dir.resolve("b").toString());
        try (ChildNode a = ChildNode.start(envA, dir.resolve("a.log"), "serve");
             ChildNode b = ChildNode.start(envB, dir.resolve("b.log"), "serve")) {
            a.awaitServing(Duration.ofSeconds(60));
            b.awaitServing(Duration.ofSeconds(60));
            List<Long> ids = new ArrayList<>();
            // Each trial takes TRIAL_SECONDS, so one node alone would need longer than a Quartz idle
            // wait (5 s) to run them all: the other node surely polls while launches are waiting.
            // With instant trials one node could finish everything before the other looked.
            java.nio.file.Path trainer = dir.resolve("slow_trainer.sh");
            java.nio.file.Files.writeString(trainer, "sleep " + TRIAL_SECONDS + "\necho '{\"loss\": 0.5}'\n");
            for (int i = 0; i < EXPERIMENTS; i++) {
                ids.add(Experiments.queue(db, Experiments.sphere(TRIALS, i)
                        .replace("trainer: {type: function, function: sphere}",
                                "trainer: {type: command, command: [sh, " + trainer + "]}")));
            }
            assertThat(ids).doesNotHaveDuplicates();
            Await.until("all 50 experiments to end", Duration.ofSeconds(180), () -> ended(db) == EXPERIMENTS,
                    () -> " (" + ended(db) + " ended)");
        }

        List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT e.id, e.status, e.error, e.attempt, e.owner,
                       (SELECT count(*) FROM orchestrator.trial t WHERE t.experiment_id = e.id) AS trials,
                       (SELECT count(DISTINCT t.number) FROM orchestrator.trial t WHERE t.experiment_id = e.id) AS numbers,
                       (SELECT max(t.attempt) FROM orchestrator.trial t WHERE t.experiment_id = e.id) AS max_trial_attempt,
                       (SELECT count(*) FROM orchestrator.hyperparameter_set s WHERE s.experiment_id = e.id) AS sets,
                       (SELECT count(*) FROM orchestrator.model_version v WHERE v.experiment_id = e.id) AS versions,
                       (SELECT count(*) FROM batch.batch_job_execution_params p
                         WHERE p.parameter_name = 'experiment_id' AND p.parameter_value = CAST(e.id AS text)) AS executions
                  FROM orchestrator.experiment e ORDER BY e.id""").mapToMap().list());
        assertThat(rows).hasSize(EXPERIMENTS);
        assertThat(rows).allSatisfy(r -> assertThat(r)
                .containsEntry("status", "succeeded")
                .containsEntry("attempt", 1)
                .containsEntry("trials", (long) TRIALS)
                .containsEntry("numbers", (long) TRIALS)
                .containsEntry("max_trial_attempt", 1)
                .containsEntry("sets", 1L)
                .containsEntry("versions", 1L)
                .containsEntry("executions", 1L));
        Map<Object, Long> perNode = new HashMap<>();
        rows.forEach(r -> perNode.merge(r.get("owner"), 1L, Long::sum));
        assertThat(perNode).as("experiments run per node: " + perNode).hasSize(2);
        assertThat(perNode.values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    private static long ended(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM orchestrator.experiment WHERE status IN ('succeeded', 'failed', 'cancelled', 'abandoned')")
                .mapTo(Long.class).one());
    }
}
