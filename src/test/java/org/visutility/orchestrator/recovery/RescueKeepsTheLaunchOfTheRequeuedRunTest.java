package org.visutility.orchestrator.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.RescueAction;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.ops.StaleRunRescuer;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by the chaos test (ChaosKillsDuringARunTest): a node's rescuer requeued a dead node's run
 * and only then dropped the dead node's one-shot Quartz job. A dispatch round in between had
 * already scheduled the requeued run's new job under the same key, so the drop deleted that launch:
 * the run sat queued until the dispatcher's check of runs dispatched long ago, 30 s later. The dead
 * job must go while the rescuer still holds the run, when no dispatch round can pick it.
 */
@ExtendWith(PostgresExtension.class)
class RescueKeepsTheLaunchOfTheRequeuedRunTest {
    @Test
    void theDeadNodesJobIsDroppedWhileTheRunIsHeldNotOnceADispatchRoundCanLaunchIt(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(3, 0));
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.experiment
                   SET status = 'running', owner = 'vanished-node', started_at = now(), attempt = 1, version = 1,
                       heartbeat_at = now() - interval '10 minutes', dispatched_at = now() - interval '11 minutes'
                 WHERE id = :id""").bind("id", id).execute());
        // what a dispatch round would see at the moment the dead node's job is dropped
        List<Map<String, Object>> seenWhenDropping = new ArrayList<>();
        StaleRunRescuer rescuer = new StaleRunRescuer(db.jdbi(), BatchInfrastructure.create(db.dataSource()), Duration.ofMinutes(1),
                "rescuing-node", experiment -> seenWhenDropping.add(db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT status, owner FROM orchestrator.experiment WHERE id = :id")
                        .bind("id", experiment).mapToMap().one())));

        assertThat(rescuer.rescueAll(RescueAction.RECOVER_AND_RESTART, 3)).hasSize(1);

        assertThat(seenWhenDropping).as("the dead job is dropped once, while the rescuer holds the run")
                .containsExactly(Map.of("status", "running", "owner", "rescuer:rescuing-node"));
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.QUEUED);
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.experiment WHERE id = :id AND dispatched_at IS NULL", id))
                .as("the next dispatch round launches it").isEqualTo(1);
    }

    @Test
    void aRunMarkedFailedKeepsNoLaunchToDrop(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(3, 0));
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.experiment SET status = 'running', owner = 'vanished-node', started_at = now(), attempt = 1,
                       version = 1, heartbeat_at = now() - interval '10 minutes' WHERE id = :id""").bind("id", id).execute());
        List<Long> dropped = new ArrayList<>();
        StaleRunRescuer rescuer = new StaleRunRescuer(db.jdbi(), BatchInfrastructure.create(db.dataSource()), Duration.ofMinutes(1),
                "rescuing-node", dropped::add);

        rescuer.rescueAll(RescueAction.MARK_FAILED, 3);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(dropped).as("only a run going back to the queue is relaunched").isEmpty();
    }
}
