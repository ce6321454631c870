package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trials unit's statement writes its trials' attempt rows and their compute per month itself
 * (V392), and the triggers skip those rows: the rows are the ones the triggers write for any
 * other writer, and the triggers fire again for every write after the statement.
 */
@ExtendWith(PostgresExtension.class)
class AttemptsWrittenByTheTrialsUnitTest {
    /** What record_trial_attempt writes for a trial that started once and ended: its attempt row differs in nothing. */
    private static final String ATTEMPTS_NOT_AS_THE_TRIGGER_WRITES = """
            SELECT count(*)
              FROM orchestrator.trial t
              FULL JOIN orchestrator.trial_attempt a ON a.trial_id = t.id
             WHERE coalesce(t.experiment_id, a.experiment_id) = :id
               AND (t.id IS NULL OR a.id IS NULL
                    OR (a.experiment_id, a.trial_number, a.attempt, a.worker, a.orchestrator_version, a.started_at, a.ended_at, a.outcome)
                       IS DISTINCT FROM (t.experiment_id, t.number, t.attempt, t.worker, t.orchestrator_version, t.started_at, t.finished_at, t.status)
                    OR a.error IS DISTINCT FROM CASE WHEN t.status = 'failed' THEN t.error END)""";

    @TempDir
    Path home;

    @Test
    void aRunsAttemptsAreTheRowsTheTriggerWritesAndItsMonthsAreTheirSums(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(12, 5));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);

        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id", id)).isEqualTo(12);
        assertThat(Experiments.count(db, ATTEMPTS_NOT_AS_THE_TRIGGER_WRITES, id)).isZero();
        assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id AND duration_seconds > 0", id))
                .as("every attempt ended, its seconds counted").isEqualTo(12);
        assertThat(ModelMonths.kept(db, id)).isNotEmpty().isEqualTo(ModelMonths.summedFromAttempts(db, id));
    }

    @Test
    void whileTheUnitsMarkIsSetTheTriggersSkipAWriteAndOnceClearedTheyFireForTheRestOfTheTransaction(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 3));
        long[] attempts = new long[2];
        db.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE orchestrator.experiment SET status = 'running', heartbeat_at = now() WHERE id = :id").bind("id", id).execute();
            h.createQuery("SELECT orchestrator.trials_unit_marks_its_writes()").mapTo(Boolean.class).one();
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at)
                    VALUES (:id, 1, '{}', 'running', 1, 'node-a', clock_timestamp())""").bind("id", id).execute();
            attempts[0] = h.createQuery("SELECT count(*) FROM orchestrator.trial_attempt WHERE experiment_id = :id").bind("id", id)
                    .mapTo(Long.class).one();
            h.createQuery("SELECT orchestrator.trials_unit_clears_its_mark(true, 0, 0, 0)").mapTo(Boolean.class).one();
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at)
                    VALUES (:id, 2, '{}', 'running', 1, 'node-a', clock_timestamp())""").bind("id", id).execute();
            attempts[1] = h.createQuery("SELECT count(*) FROM orchestrator.trial_attempt WHERE experiment_id = :id").bind("id", id)
                    .mapTo(Long.class).one();
            h.rollback();
        });
        assertThat(attempts[0]).as("the marked write is left to the statement that set the mark").isZero();
        assertThat(attempts[1]).as("after the mark, the trigger records the trial's attempt").isEqualTo(1);
    }

    @Test
    void theMarkDoesNotOutliveItsTransaction(TestDatabase db) {
        String after = db.jdbi().withHandle(h -> {
            h.useTransaction(t -> t.createQuery("SELECT orchestrator.trials_unit_marks_its_writes()").mapTo(Boolean.class).one());
            return h.createQuery("SELECT coalesce(current_setting('orchestrator.trials_unit_writing', true), '')").mapTo(String.class).one();
        });
        assertThat(after).isEmpty();
    }
}
