package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.support.TrialRow;
import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.ops.OpsModule;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.NodeBoundTrial;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node running an experiment is killed with SIGKILL in the middle of a trial. Another node
 * starts: Quartz re-fires the experiment's job there (it requested recovery) and the rescuer looks
 * for runs whose node is gone; whichever gets there first takes the run over, only once the dead
 * owner's heartbeat is stale, recovers the Spring Batch execution and restarts it. Every trial
 * number ends up recorded exactly once; the interrupted one ran twice. With rescue_action
 * MARK_FAILED the run is marked failed instead, and ops restart finishes it.
 */
@Slow
@ExtendWith(PostgresExtension.class)
class KilledNodeMidTrialTest {
    @TempDir
    Path dir;

    @Test
    void afterTheKillEveryTrialNumberIsRecordedExactlyOnce(TestDatabase db) throws Exception {
        NodeBoundTrial experiment = NodeBoundTrial.queue(db, dir, 3, 6, 5);
        long id = experiment.id();
        String ownerA = killTheNodeRunningTrial3(db, experiment);

        try (Node b = Node.start(Experiments.config(db, dir.resolve("node-b"), NodeBoundTrial.FAST).withHttpPort(0),
                List.of(new ExperimentModule(), new OpsModule()))) {
            Await.until("the experiment to end on node B", Duration.ofSeconds(90), () -> Experiments.row(db, id).isFinished());
            ExperimentRow row = Experiments.row(db, id);
            assertThat(row.status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(row.owner()).contains(b.scheduler().getSchedulerInstanceId()).isNotEqualTo(ownerA);
            assertThat(row.attempt()).isEqualTo(2);
        }
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:complete:1", "1:complete:1", "2:complete:1", "3:complete:2", "4:complete:1", "5:complete:1");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id)).isEqualTo(1);
        assertThat(Experiments.executions(db, id)).containsExactly("FAILED", "COMPLETED");
        // taken from node A (by Quartz's recovery or the rescuer), and only after the heartbeat window
        Map<String, Object> taken = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action, previous_owner, at - last_heartbeat_at >= CAST(:window AS interval) AS after_window
                  FROM orchestrator.experiment_intervention WHERE experiment_id = :id""")
                .bind("id", id).bind("window", NodeBoundTrial.STALE_AFTER.toMillis() + " milliseconds").mapToMap().one());
        assertThat(taken.get("action")).isIn("takeover", "rescue");
        assertThat(taken).containsEntry("previous_owner", ownerA).containsEntry("after_window", true);
        // lineage.trial_attempts: trial 3 ran twice, on two nodes; node A's attempt ended no later than its last
        // sign of life (its last heartbeat, or the attempt's start when the kill came before the next heartbeat)
        List<String> attempts = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.attempt || ':' || a.outcome || ':' || (a.ended_at >= a.started_at AND (a.outcome <> 'interrupted'
                       OR a.ended_at <= greatest(a.started_at, i.last_heartbeat_at)))
                  FROM lineage.trial_attempts a
                  JOIN orchestrator.experiment_intervention i ON i.experiment_id = a.experiment_id
                 WHERE a.experiment_id = :id AND a.trial_number = 3 ORDER BY a.attempt""")
                .bind("id", id).mapTo(String.class).list());
        assertThat(attempts).containsExactly("1:interrupted:true", "2:complete:true");
        assertThat(Experiments.count(db, """
                SELECT count(DISTINCT worker) FROM lineage.trial_attempts WHERE experiment_id = :id AND trial_number = 3""", id))
                .isEqualTo(2);
        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id", id)).isEqualTo(7);
    }

    @Test
    void withMarkFailedTheRescuerFailsTheRunAndOpsRestartFinishesIt(TestDatabase db) throws Exception {
        NodeBoundTrial experiment = NodeBoundTrial.queue(db, dir, 3, 6, 5);
        long id = experiment.id();
        Map<String, String> markFailed = new HashMap<>(NodeBoundTrial.FAST);
        markFailed.put("ORCHESTRATOR_RESCUE_ACTION", "MARK_FAILED");
        String ownerA = killTheNodeRunningTrial3(db, experiment);

        try (Node b = Node.start(Experiments.config(db, dir.resolve("node-b"), markFailed).withHttpPort(0),
                List.of(new ExperimentModule(), new OpsModule()))) {
            Await.until("the rescuer to mark the run failed", Duration.ofSeconds(60), () -> Experiments.row(db, id).isFinished());
            ExperimentRow failed = Experiments.row(db, id);
            assertThat(failed.status()).isEqualTo(ExperimentStatus.FAILED);
            assertThat(failed.error().orElseThrow()).contains("its node " + ownerA + " is gone")
                    .endsWith("rescue_action MARK_FAILED: marked failed");
            assertThat(Experiments.executions(db, id)).as("the dead node's execution, recovered").containsExactly("FAILED");

            Map<String, String> env = new HashMap<>(OpsCli.environment(db, dir.resolve("cli")));
            env.putAll(markFailed);
            JsonNode listed = OpsCli.json(Cli.run(env, "ops", "failed", "--json")).path("runs").get(0);
            assertThat(listed.path("id").asLong()).isEqualTo(id);
            assertThat(listed.path("step").asText()).isEqualTo("trials");
            assertThat(listed.path("trial").asInt()).isEqualTo(3);
            assertThat(listed.path("node").asText()).isEqualTo(ownerA);
            assertThat(listed.path("restartable").asBoolean()).isTrue();

            Cli.Run restart = Cli.run(env, "ops", "restart", Long.toString(id), "--wait");
            assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
            assertThat(Experiments.row(db, id).owner()).contains(b.scheduler().getSchedulerInstanceId());
        }
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:complete:1", "1:complete:1", "2:complete:1", "3:complete:2", "4:complete:1", "5:complete:1");
        assertThat(Experiments.executions(db, id)).containsExactly("FAILED", "COMPLETED");
        List<String> log = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action || ':' || outcome FROM orchestrator.experiment_intervention WHERE experiment_id = :id ORDER BY id""")
                .bind("id", id).mapTo(String.class).list());
        assertThat(log).containsExactly("rescue:marked_failed", "restart:requeued");
    }

    /** Node A (a child JVM running serve) takes the experiment and is killed in trial 3; returns its owner id. */
    private String killTheNodeRunningTrial3(TestDatabase db, NodeBoundTrial experiment) throws Exception {
        Map<String, String> env = new HashMap<>(db.environment(NodeBoundTrial.FAST));
        env.put("ORCHESTRATOR_HOME", dir.resolve("node-a").toString());
        String ownerA;
        try (ChildNode a = ChildNode.start(env, dir.resolve("a.log"), "serve")) {
            a.awaitServing(Duration.ofSeconds(60));
            experiment.awaitHeldTrial(a);
            ownerA = Experiments.row(db, experiment.id()).owner().orElseThrow();
            a.kill();
        }
        assertThat(Experiments.trialRows(db, experiment.id())).extracting(TrialRow::numberAndStatus)
                .containsExactly("0:complete", "1:complete", "2:complete", "3:running");
        return ownerA;
    }
}
