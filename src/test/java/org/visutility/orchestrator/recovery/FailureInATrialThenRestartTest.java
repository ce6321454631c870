package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A planned failure of the engine in trial k (an Error in the trainer's thread, as when a node
 * breaks), then a restart: the run resumes at k, trials 0..k-1 untouched.
 */
@ExtendWith(PostgresExtension.class)
class FailureInATrialThenRestartTest {
    private static final String COUNT_TRIALS = "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id";

    @TempDir
    Path home;

    @Test
    void aRestartResumesAtTheFailedTrialAndLeavesTheEarlierOnesUntouched(TestDatabase db) {
        long id = Experiments.queue(db, FaultInjectingTrainer.crashingSpec(4));
        Experiments.runner(db, home).run(id, false);

        ExperimentRow failed = Experiments.row(db, id);
        assertThat(failed.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(failed.error().orElseThrow()).isEqualTo("step trials failed: planned crash in trial 4");
        List<Map<String, Object>> before = Experiments.trials(db, id);
        assertThat(Experiments.count(db, COUNT_TRIALS, id)).isEqualTo(5);
        assertThat(before.subList(0, 4)).allSatisfy(t -> assertThat(t.get("status")).isEqualTo("complete"));
        assertThat(before.get(4)).containsEntry("number", 4).containsEntry("status", "running").containsEntry("attempt", 1);

        // restart (what ops restart does): back to the queue, then run again
        boolean requeued = db.jdbi().withHandle(h -> ExperimentRows.requeueFailed(h, id));
        assertThat(requeued).isTrue();
        Experiments.runner(db, home).run(id, false);

        ExperimentRow done = Experiments.row(db, id);
        assertThat(done.status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        List<Map<String, Object>> after = Experiments.trials(db, id);
        assertThat(Experiments.count(db, COUNT_TRIALS, id)).isEqualTo(10);
        assertThat(after).extracting(t -> t.get("number")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // trials 0..3: the very same rows, never re-run
        assertThat(after.subList(0, 4)).isEqualTo(before.subList(0, 4));
        // trial 4 ran again, with its attempt raised and the same params (a replay, not a new proposal)
        assertThat(after.get(4)).containsEntry("status", "complete").containsEntry("attempt", 2)
                .containsEntry("params", before.get(4).get("params"));
        assertThat(after.subList(5, 10)).allSatisfy(t -> assertThat(t).containsEntry("status", "complete").containsEntry("attempt", 1));

        // lineage.trial_attempts keeps both attempts of trial 4: the one the failure cut short, and the one that completed
        List<String> attempts = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT trial_number || ':' || attempt || ':' || outcome || ':' || (ended_at IS NOT NULL AND ended_at >= started_at)
                       || ':' || is_last_attempt || ':' || trainer
                  FROM lineage.trial_attempts WHERE experiment_id = :id ORDER BY trial_number, attempt""")
                .bind("id", id).mapTo(String.class).list());
        assertThat(attempts).hasSize(11);
        assertThat(attempts.subList(4, 6)).containsExactly("4:1:interrupted:true:false:" + FaultInjectingTrainer.TYPE,
                "4:2:complete:true:true:" + FaultInjectingTrainer.TYPE);
        assertThat(attempts).filteredOn(a -> !a.startsWith("4:")).allSatisfy(a -> assertThat(a).contains(":1:complete:true:true:"));

        // Spring Batch: one job instance, two executions; the second skipped prepare and resumed the trials step
        List<String> steps = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT j.job_execution_id || ':' || s.step_name || ':' || s.status
                  FROM batch.batch_job_execution j JOIN batch.batch_step_execution s ON s.job_execution_id = j.job_execution_id
                 WHERE j.job_instance_id = (SELECT job_instance_id FROM batch.batch_job_execution WHERE job_execution_id = :job)
                 ORDER BY s.step_execution_id""").bind("job", done.jobExecutionId().orElseThrow()).mapTo(String.class).list());
        Set<String> executions = new HashSet<>();
        steps.forEach(s -> executions.add(s.substring(0, s.indexOf(':'))));
        assertThat(executions).hasSize(2);
        assertThat(steps).extracting(s -> s.substring(s.indexOf(':') + 1))
                .containsExactly("prepare:COMPLETED", "trials:FAILED", "trials:COMPLETED", "finalize:COMPLETED", "gate:COMPLETED");
    }

    @Test
    void aGridIsCoveredExactlyOnceAcrossARestart(TestDatabase db) {
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: grid, seed: 3}
                budget: {trials: 30, parallel: 2}
                space:
                  x: {type: float, low: 0.0, high: 1.5, step: 0.5}
                  opt: {type: categorical, choices: [sgd, adam, rmsprop]}
                trainer: {type: test-fault, crash_at: 6}
                """);
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        db.jdbi().useHandle(h -> ExperimentRows.requeueFailed(h, id));
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        // 4 x-values x 3 choices = 12 points, each once, though the budget allowed 30 trials
        assertThat(trials).hasSize(12);
        assertThat(trials).extracting(t -> t.get("params")).doesNotHaveDuplicates();
        Set<String> points = new HashSet<>();
        for (String x : List.of("0.0", "0.5", "1.0", "1.5")) {
            for (String opt : List.of("sgd", "adam", "rmsprop")) points.add("{\"x\": " + x + ", \"opt\": \"" + opt + "\"}");
        }
        assertThat(trials).extracting(t -> (String) t.get("params")).containsExactlyInAnyOrderElementsOf(points);
        assertThat(trials).filteredOn(t -> t.get("number").equals(6)).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("attempt", 2));
    }
}
