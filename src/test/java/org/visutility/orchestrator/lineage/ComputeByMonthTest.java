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
    private static final String SUMMED = """
            SELECT model || ':' || to_char(date_trunc('month', started_at AT TIME ZONE 'UTC'), 'YYYY-MM') || ':' || count(*) || ':'
                   || count(*) FILTER (WHERE outcome = 'interrupted') || ':' || coalesce(sum(duration_seconds), 0) || ':'
                   || coalesce(sum(duration_seconds) FILTER (WHERE NOT is_last_attempt), 0)
              FROM lineage.trial_attempts
             WHERE model_id = (SELECT model_id FROM orchestrator.experiment WHERE id = :id)
             GROUP BY model, date_trunc('month', started_at AT TIME ZONE 'UTC')
             ORDER BY 1""";
    private static final String KEPT = """
            SELECT c.model || ':' || to_char(c.month, 'YYYY-MM') || ':' || c.attempts || ':' || c.interrupted || ':' || c.seconds || ':' || c.seconds_lost
              FROM lineage.compute_by_month c
             WHERE c.model_id = (SELECT model_id FROM orchestrator.experiment WHERE id = :id)
             ORDER BY 1""";

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
        assertThat(rows(db, KEPT, id)).as("the model's months (other tests' runs of the model included)").isNotEmpty()
                .isEqualTo(rows(db, SUMMED, id));
    }

    @Test
    void attemptsWhoseStartMovesToAnotherMonthMoveTheirSumsWithThem(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 3));
        Experiments.runner(db, home).run(id, false);
        List<String> before = rows(db, KEPT, id);
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.trial_attempt SET started_at = started_at - interval '45 days', ended_at = ended_at - interval '45 days'
                 WHERE experiment_id = :id AND trial_number < 2""").bind("id", id).execute());

        List<String> kept = rows(db, KEPT, id);
        assertThat(kept).as("the moved attempts counted in an earlier month").isNotEqualTo(before).hasSizeGreaterThan(1)
                .isEqualTo(rows(db, SUMMED, id));
    }

    private static List<String> rows(TestDatabase db, String sql, long id) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).list());
    }
}
