package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lineage.compute_by_month, kept by a trigger as attempts are written, always equals the sums over
 * lineage.trial_attempts: an interrupted attempt and the attempt that replaced it, and an attempt
 * whose start moves to another month.
 */
@ExtendWith(PostgresExtension.class)
class ComputeByMonthTest {

    @TempDir
    Path home;

    @Test
    void aRestartedRunsMonthCountsTheInterruptedAttemptAndItsReplacementAsTheAttemptsDo(TestDatabase db) {
        long id = Experiments.queue(db, FaultInjectingTrainer.crashingSpec(2));
        Experiments.runner(db, home).run(id, false);
        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--wait");
        assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);

        long trials = Experiments.count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id", id);
        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id", id))
                .as("every trial once, and the attempt the failure cut short").isEqualTo(trials + 1);
        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id AND NOT is_last_attempt", id))
                .isEqualTo(1);
        assertThat(ModelMonths.kept(db, id)).as("the model's months (other tests' runs of the model included)").isNotEmpty()
                .isEqualTo(ModelMonths.summedFromAttempts(db, id));
    }

    @Test
    void attemptsWhoseStartMovesToAnotherMonthMoveTheirSumsWithThem(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 3));
        Experiments.runner(db, home).run(id, false);
        List<String> before = ModelMonths.kept(db, id);
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.trial_attempt SET started_at = started_at - interval '45 days', ended_at = ended_at - interval '45 days'
                 WHERE experiment_id = :id AND trial_number < 2""").bind("id", id).execute());

        List<String> kept = ModelMonths.kept(db, id);
        assertThat(kept).as("the moved attempts counted in an earlier month").isNotEqualTo(before).hasSizeGreaterThan(1)
                .isEqualTo(ModelMonths.summedFromAttempts(db, id));
    }

    @Test
    void firstAttemptsAndEndsWrittenByTheInlineUpsertsSumAsTheAttemptsDoAlongsideRestartsAndAnAttemptWrittenOutOfOrder(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 3));
        db.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE orchestrator.experiment SET status = 'running', heartbeat_at = now() WHERE id = :id").bind("id", id).execute();
            // trials 1-3 start (first attempts) and end: the trigger's inline cases
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at)
                    SELECT :id, n, '{}', 'running', 1, 'node-a', clock_timestamp() - interval '10 seconds' FROM generate_series(1, 3) n""")
                    .bind("id", id).execute();
            h.createUpdate("""
                    UPDATE orchestrator.trial SET status = CASE WHEN number = 2 THEN 'failed' ELSE 'complete' END, error = 'x', finished_at = clock_timestamp()
                     WHERE experiment_id = :id AND number IN (1, 2)""").bind("id", id).execute();
            // trial 3 runs again (attempt 2: the general case, attempt 1 becomes interrupted and lost), then ends
            h.createUpdate("UPDATE orchestrator.trial SET attempt = 2, started_at = clock_timestamp() WHERE experiment_id = :id AND number = 3")
                    .bind("id", id).execute();
            h.createUpdate("UPDATE orchestrator.trial SET status = 'complete', finished_at = clock_timestamp() + interval '3 seconds' WHERE experiment_id = :id AND number = 3")
                    .bind("id", id).execute();
            // trial 4's second attempt recorded before its first: the first, inserted inline, counts as lost
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at, finished_at)
                    VALUES (:id, 4, '{}', 'complete', 2, 'node-b', clock_timestamp() - interval '4 seconds', clock_timestamp())""")
                    .bind("id", id).execute();
            h.createUpdate("""
                    INSERT INTO orchestrator.trial_attempt (trial_id, experiment_id, trial_number, attempt, worker, started_at, ended_at, outcome)
                    SELECT t.id, :id, 4, 1, 'node-a', clock_timestamp() - interval '9 seconds', clock_timestamp() - interval '5 seconds', 'interrupted'
                      FROM orchestrator.trial t WHERE t.experiment_id = :id AND t.number = 4""").bind("id", id).execute();
            // trial 5 starts and its run fails: an open first attempt interrupted by the experiment's trigger
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at)
                    VALUES (:id, 5, '{}', 'running', 1, 'node-a', clock_timestamp() - interval '2 seconds')""").bind("id", id).execute();
            h.createUpdate("UPDATE orchestrator.experiment SET status = 'failed' WHERE id = :id").bind("id", id).execute();
        });

        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id AND outcome = 'interrupted'", id))
                .as("trial 3's first attempt, trial 4's written one, trial 5's").isEqualTo(3);
        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id AND NOT is_last_attempt", id))
                .isEqualTo(2);
        assertThat(ModelMonths.kept(db, id)).isNotEmpty().isEqualTo(ModelMonths.summedFromAttempts(db, id));
    }
}
