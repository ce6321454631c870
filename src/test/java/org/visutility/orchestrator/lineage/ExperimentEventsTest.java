package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.config.RescueAction;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.ops.StaleRunRescuer;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lineage.experiment_events tells a run's story as the commands wrote it, and experiment_lineage
 * keeps restarts and rescues apart: a failure keeps its step, trial and error after the restart
 * cleared them from the experiment, and a rescue still counts after a later restart.
 */
@ExtendWith(PostgresExtension.class)
class ExperimentEventsTest {
    private static final String SPEC = FaultInjectingTrainer.crashingSpec(4);

    @TempDir
    Path home;

    record Event(String event, String node, String previousNode, String step, Integer trial, String error) {
    }

    @Test
    void aRunThatFailedAndWasRestartedIntoSuccessShowsTheFailureTheRestartAndTheSuccess(TestDatabase db) {
        long id = Experiments.queue(db, SPEC);
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);

        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--wait");
        assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);

        List<Event> events = events(db, id);
        assertThat(events).extracting(Event::event)
                .containsExactly("queued", "claimed", "failed", "restarted", "claimed", "succeeded");
        Event failed = events.get(2);
        assertThat(failed.node()).isEqualTo(Experiments.OWNER);
        assertThat(failed.step()).isEqualTo("trials");
        assertThat(failed.trial()).isEqualTo(4);
        assertThat(failed.error()).isEqualTo("step trials failed: planned crash in trial 4");
        assertThat(events.get(3).previousNode()).as("the restart names the node whose run it restarted").isEqualTo(Experiments.OWNER);
        assertThat(events.get(5).node()).as("the node that ran the restarted run to its end").isNotNull()
                .isEqualTo(events.get(4).node());

        Map<String, Object> lineage = lineage(db, id);
        assertThat(lineage).containsEntry("restarts", 1L).containsEntry("rescues", 0L).containsEntry("attempt", 2);
    }

    @Test
    void aRescuedRunShowsWhichNodeTookItFromWhichAndItsRescueCountSurvivesARestart(TestDatabase db) {
        long id = Experiments.queue(db, SPEC);
        // a node that is gone (no Quartz check-in) left the run running
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.experiment
                   SET status = 'running', owner = 'gone-node', started_at = now(), attempt = 1, version = 1,
                       heartbeat_at = now() - interval '10 minutes'
                 WHERE id = :id""").bind("id", id).execute());
        StaleRunRescuer rescuer = new StaleRunRescuer(db.jdbi(), BatchInfrastructure.create(db.dataSource()), Duration.ofMinutes(1),
                "rescuing-node", StaleRunRescuer.RequeueListener.NONE);
        assertThat(rescuer.rescueAll(RescueAction.RECOVER_AND_RESTART, 3)).extracting(StaleRunRescuer.Rescue::experimentId).contains(id);
        Experiments.runner(db, home).run(id, false);                    // fails in trial 4
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--wait");
        assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
        int ownCount = db.jdbi().withHandle(h -> h.createQuery("SELECT rescues FROM orchestrator.experiment WHERE id = :id")
                .bind("id", id).mapTo(Integer.class).one());
        assertThat(ownCount).as("the experiment's own count starts over on a restart").isZero();

        List<Event> events = events(db, id);
        assertThat(events).extracting(Event::event)
                .containsExactly("queued", "claimed", "rescued", "claimed", "failed", "restarted", "claimed", "succeeded");
        assertThat(events.get(2)).isEqualTo(new Event("rescued", "rescuing-node", "gone-node", null, null, null));
        assertThat(lineage(db, id)).containsEntry("restarts", 1L).containsEntry("rescues", 1L);
    }

    @Test
    void aRunThatFailedByItsOwnRulesNamesTheTrialThatFailedLastAndItsRetryRound(TestDatabase db) throws Exception {
        Path fixed = home.resolve("trainer-fixed");
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 11}
                budget: {trials: 6, max_failed: 2}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: test-fault, flaky: [2, 4], fixed_by: "%s"}
                """.formatted(fixed));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        java.nio.file.Files.createFile(fixed);
        Cli.Run retry = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(retry.status()).as(retry.out() + retry.err()).isEqualTo(ExitCode.OK);

        List<Event> events = events(db, id);
        assertThat(events).extracting(Event::event).containsExactly("queued", "claimed", "failed", "retried", "claimed", "succeeded");
        Event failed = events.get(2);
        assertThat(failed.trial()).as("the trial that failed last").isEqualTo(4);
        assertThat(failed.error()).contains("max_failed");
        String trialError = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT note FROM lineage.experiment_events WHERE experiment_id = :id AND event = 'failed'""")
                .bind("id", id).mapTo(String.class).one());
        assertThat(trialError).startsWith("trial 4 failed: ");
        assertThat(lineage(db, id)).containsEntry("restarts", 1L);
    }

    static List<Event> events(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT event, node, previous_node, step, trial_number, error
                  FROM lineage.experiment_events WHERE experiment_id = :id ORDER BY seq""")
                .bind("id", id)
                .map((rs, ctx) -> new Event(rs.getString("event"), rs.getString("node"), rs.getString("previous_node"),
                        rs.getString("step"), (Integer) rs.getObject("trial_number"), rs.getString("error")))
                .list());
    }

    static Map<String, Object> lineage(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT restarts, rescues, attempt, supersedes_experiment_id, superseded_by_experiment_id
                  FROM lineage.experiment_lineage WHERE experiment_id = :id""").bind("id", id).mapToMap().one());
    }
}
