package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.support.TrialRow;
import org.visutility.orchestrator.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.ops.OpsModule;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.NodeBoundTrial;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that is not dead but frozen (SIGSTOP: a long GC pause, a suspended VM) while it runs an
 * experiment. Its heartbeat and Quartz check-in go stale, so another node rescues the run and
 * finishes it. Then the frozen node wakes up (SIGCONT) in the middle of its trial: its fenced
 * writes match no row, it stops without writing, and every row stays as the rescuer left it.
 */
@Slow
@ExtendWith(PostgresExtension.class)
class SlowNodeFencedOffAfterItsRunWasRescuedTest {
    @TempDir
    Path dir;

    @Test
    void theWokenNodeWritesNothingAfterItsRunWasRescued(TestDatabase db) throws Exception {
        NodeBoundTrial experiment = NodeBoundTrial.queue(db, dir, 2, 5, 9);
        long id = experiment.id();

        Map<String, String> env = new HashMap<>(db.environment(NodeBoundTrial.FAST));
        env.put("ORCHESTRATOR_HOME", dir.resolve("node-a").toString());
        try (ChildNode a = ChildNode.start(env, dir.resolve("a.log"), "serve")) {
            a.awaitServing(Duration.ofSeconds(60));
            experiment.awaitHeldTrial(a);
            String ownerA = Experiments.row(db, id).owner().orElseThrow();
            signal(a, "STOP");
            String dump;
            try (Node b = Node.start(Experiments.config(db, dir.resolve("node-b"), NodeBoundTrial.FAST).withHttpPort(0),
                    List.of(new ExperimentModule(), new OpsModule()))) {
                Await.until("node B to finish the rescued run", Duration.ofSeconds(90), () -> Experiments.row(db, id).isFinished());
                ExperimentRow done = Experiments.row(db, id);
                assertThat(done.status()).isEqualTo(ExperimentStatus.SUCCEEDED);
                assertThat(done.owner()).contains(b.scheduler().getSchedulerInstanceId());
                Await.until("node B's job execution to end", Duration.ofSeconds(30), () -> dump(db, id).contains(" COMPLETED v"),
                        () -> ":\n" + dump(db, id));
                dump = dump(db, id);
            }
            assertThat(dump).contains("intervention " + id).contains("previous_owner=" + ownerA);

            int linesBefore = a.outputOrError().split("\n").length;
            signal(a, "CONT");
            Await.until("node A to notice it lost the run and end its job", Duration.ofSeconds(60),
                    () -> since(a, linesBefore).contains("no longer owned by this run")
                            && since(a, linesBefore).matches("(?s).*(Job execution \\d+ ended|The experiment's job could not run).*"),
                    () -> a.outputOrError());
            assertThat(dump(db, id)).as("node A's writes after waking up updated nothing").isEqualTo(dump);
            assertThat(a.process().isAlive()).as("node A lives on").isTrue();
        }
        List<TrialRow> trials = Experiments.trialRows(db, id);
        assertThat(trials).extracting(TrialRow::numberAndStatus)
                .containsExactly("0:complete", "1:complete", "2:complete", "3:complete", "4:complete");
    }

    /** Every row the run wrote: the experiment, its trials, result, interventions and Spring Batch executions. */
    private static String dump(TestDatabase db, long id) {
        List<String> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT 'experiment ' || e.id || ' ' || e.status || ' v' || e.version || ' owner=' || e.owner || ' attempt='
                       || e.attempt || ' heartbeat=' || e.heartbeat_at || ' finished=' || e.finished_at || ' job=' || e.job_execution_id
                  FROM orchestrator.experiment e WHERE e.id = :id
                UNION ALL
                SELECT 'trial ' || t.number || ' ' || t.status || ' attempt=' || t.attempt || ' worker=' || t.worker || ' score='
                       || coalesce(t.score::text, '-') || ' finished=' || coalesce(t.finished_at::text, '-')
                  FROM orchestrator.trial t WHERE t.experiment_id = :id
                UNION ALL
                SELECT 'set ' || s.id || ' trial=' || s.trial_id || ' score=' || s.score FROM orchestrator.hyperparameter_set s
                 WHERE s.experiment_id = :id
                UNION ALL
                SELECT 'version ' || v.version || ' ' || v.status FROM orchestrator.model_version v WHERE v.experiment_id = :id
                UNION ALL
                SELECT 'intervention ' || i.experiment_id || ' ' || i.action || ' ' || i.outcome || ' previous_owner=' || i.previous_owner
                  FROM orchestrator.experiment_intervention i WHERE i.experiment_id = :id
                UNION ALL
                SELECT 'execution ' || je.job_execution_id || ' ' || je.status || ' v' || je.version || ' exit=' || je.exit_code
                       || ' steps=' || (SELECT string_agg(s.step_name || ':' || s.status || ':v' || s.version || ':' || s.commit_count,
                                                          ',' ORDER BY s.step_execution_id)
                                          FROM batch.batch_step_execution s WHERE s.job_execution_id = je.job_execution_id)
                  FROM batch.batch_job_execution je
                  JOIN batch.batch_job_execution_params p ON p.job_execution_id = je.job_execution_id
                 WHERE p.parameter_name = 'experiment_id' AND p.parameter_value = CAST(:id AS text)
                """).bind("id", id).mapTo(String.class).list());
        return String.join("\n", rows);
    }

    private static void signal(ChildNode node, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process().pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    private static String since(ChildNode node, int line) {
        String[] lines = node.outputOrError().split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.min(line, lines.length), lines.length));
    }
}
