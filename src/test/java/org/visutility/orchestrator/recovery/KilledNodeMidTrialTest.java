package org.visutility.orchestrator.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.app.Node;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.ChildNode;
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
 * The node running an experiment is killed with SIGKILL in the middle of a trial. Another node
 * starts: Quartz re-fires the experiment's job there (it requested recovery), the new node takes
 * the run over once the dead owner's heartbeat is stale, recovers the Spring Batch execution and
 * restarts it. Every trial number ends up recorded exactly once; the interrupted one ran twice.
 */
@ExtendWith(PostgresExtension.class)
class KilledNodeMidTrialTest {
    private static final Map<String, String> FAST = Map.of(
            "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s",
            "ORCHESTRATOR_HEARTBEAT_INTERVAL", "300ms",
            "ORCHESTRATOR_RESCUE_AFTER", "2s",
            "ORCHESTRATOR_DISPATCH_INTERVAL", "300ms");

    @TempDir
    Path dir;

    @Test
    void afterTheKillEveryTrialNumberIsRecordedExactlyOnce(TestDatabase db) throws Exception {
        Path started = dir.resolve("trial-3-attempt-1.started");
        // trial 3's first attempt signals the test, then trains until its parent (the node) is gone
        Path script = Files.writeString(dir.resolve("train.sh"), """
                if [ "$ORCH_TRIAL_NUMBER" = 3 ] && [ "$ORCH_TRIAL_ATTEMPT" = 1 ]; then
                  touch "%s"
                  while kill -0 $PPID 2>/dev/null; do sleep 0.1; done
                  exit 1
                fi
                echo "{\\"loss\\": 0.$ORCH_TRIAL_NUMBER}"
                """.formatted(started));
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 5}
                budget: {trials: 6}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(script));

        Map<String, String> env = new java.util.HashMap<>(db.environment(FAST));
        env.put("ORCHESTRATOR_HOME", dir.resolve("node-a").toString());
        String ownerA;
        try (ChildNode a = ChildNode.start(env, dir.resolve("a.log"), "serve")) {
            a.awaitServing(Duration.ofSeconds(60));
            Await.until("trial 3 to start on node A", Duration.ofSeconds(90), () -> Files.exists(started), () -> ":\n" + output(a));
            ownerA = Experiments.row(db, id).owner().orElseThrow();
            a.kill();
        }
        assertThat(Experiments.trials(db, id)).extracting(t -> t.get("number") + ":" + t.get("status"))
                .containsExactly("0:complete", "1:complete", "2:complete", "3:running");

        Map<String, String> settings = new java.util.HashMap<>(FAST);
        try (Node b = Node.start(Experiments.config(db, dir.resolve("node-b"), settings).withHttpPort(0), List.of(new ExperimentModule()))) {
            Await.until("the experiment to end on node B", Duration.ofSeconds(90), () -> Experiments.row(db, id).isFinished());
            ExperimentRow row = Experiments.row(db, id);
            assertThat(row.status()).isEqualTo("succeeded");
            assertThat(row.owner()).contains(b.scheduler().getSchedulerInstanceId()).isNotEqualTo(ownerA);
            assertThat(row.attempt()).isEqualTo(2);
        }
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        assertThat(trials).extracting(t -> t.get("number")).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(trials).extracting(t -> t.get("number") + ":" + t.get("status") + ":" + t.get("attempt"))
                .containsExactly("0:complete:1", "1:complete:1", "2:complete:1", "3:complete:2", "4:complete:1", "5:complete:1");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id)).isEqualTo(1);
        List<String> executions = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT status FROM batch.batch_job_execution WHERE job_instance_id =
                  (SELECT job_instance_id FROM batch.batch_job_execution WHERE job_execution_id = :job) ORDER BY job_execution_id""")
                .bind("job", Experiments.row(db, id).jobExecutionId().orElseThrow()).mapTo(String.class).list());
        assertThat(executions).containsExactly("FAILED", "COMPLETED");
    }

    private static String output(ChildNode node) {
        try {
            return node.output();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
