package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.RescueAction;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.ops.StaleRunRescuer;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running experiments on both sides of the rescue cutoff (heartbeat age x Quartz check-in): only a
 * run whose heartbeat is stale AND whose node's check-in is stale or absent is rescued. A live node
 * that has not beaten for long, and a silent node whose run beat a moment ago, keep their runs.
 */
@ExtendWith(PostgresExtension.class)
class RunsOnBothSidesOfTheRescueCutoffTest {
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);

    private TestDatabase db;

    @BeforeEach
    void clean(TestDatabase db) {
        this.db = db;
        db.jdbi().useHandle(h -> {
            h.execute("DELETE FROM orchestrator.experiment_intervention");
            h.execute("UPDATE orchestrator.experiment SET status = 'cancelled' WHERE status = 'running'");
            h.execute("DELETE FROM quartz.qrtz_scheduler_state");
            // a node that checks in (now), and one that stopped checking in an hour ago
            h.execute("INSERT INTO quartz.qrtz_scheduler_state VALUES ('orchestrator', 'live-node', "
                    + "(extract(epoch FROM now()) * 1000)::bigint, 7500)");
            h.execute("INSERT INTO quartz.qrtz_scheduler_state VALUES ('orchestrator', 'dead-node', "
                    + "(extract(epoch FROM now() - interval '1 hour') * 1000)::bigint, 7500)");
        });
    }

    @Test
    void onlyRunsWithAStaleHeartbeatAndAGoneNodeAreRescued() {
        long absentOwner = running("vanished-node", "10 minutes", 0);
        long deadOwnerJustPastCutoff = running("dead-node", "61 seconds", 0);
        long liveOwnerLongSilent = running("live-node", "10 minutes", 0);
        long deadOwnerFreshBeat = running("dead-node", "50 seconds", 0);
        long neverBeat = running("vanished-node", null, 0);
        List<Long> untouched = List.of(liveOwnerLongSilent, deadOwnerFreshBeat);
        List<Integer> versionsBefore = versions(untouched);

        StuckRuns.Count stuck = db.jdbi().withHandle(h -> StuckRuns.count(h, STALE_AFTER));
        assertThat(stuck).as("stuck: heartbeat stale; orphaned: node gone too").isEqualTo(new StuckRuns.Count(4, 3));

        List<StaleRunRescuer.Rescue> rescued = rescuer().rescueAll(RescueAction.RECOVER_AND_RESTART, 3);

        assertThat(rescued).extracting(StaleRunRescuer.Rescue::experimentId)
                .containsExactlyInAnyOrder(absentOwner, deadOwnerJustPastCutoff, neverBeat);
        for (long id : List.of(absentOwner, deadOwnerJustPastCutoff, neverBeat)) {
            assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.QUEUED);
            assertThat(Experiments.row(db, id).owner()).isEmpty();
        }
        for (long id : untouched) assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(versions(untouched)).as("not even touched").isEqualTo(versionsBefore);
        assertThat(interventions()).containsExactlyInAnyOrder(
                absentOwner + ":rescue:requeued:vanished-node",
                deadOwnerJustPastCutoff + ":rescue:requeued:dead-node",
                neverBeat + ":rescue:requeued:vanished-node");
        assertThat(rescuer().rescueAll(RescueAction.RECOVER_AND_RESTART, 3)).as("a second pass finds nothing").isEmpty();
    }

    @Test
    void markFailedAndTheAttemptLimitFailTheRunInsteadOfRestartingIt() {
        long first = running("vanished-node", "5 minutes", 0);
        long exhausted = running("vanished-node", "5 minutes", 3);

        rescuer().rescueAll(RescueAction.RECOVER_AND_RESTART, 3);
        assertThat(Experiments.row(db, first).status()).isEqualTo(ExperimentStatus.QUEUED);
        assertThat(Experiments.row(db, exhausted).status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(Experiments.row(db, exhausted).error().orElseThrow())
                .contains("vanished-node is gone").contains("rescued 3 times already (rescue_max_attempts 3): marked failed");

        long marked = running("vanished-node", "5 minutes", 0);
        rescuer().rescueAll(RescueAction.MARK_FAILED, 3);
        assertThat(Experiments.row(db, marked).status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(Experiments.row(db, marked).error().orElseThrow()).endsWith("rescue_action MARK_FAILED: marked failed");
        assertThat(interventions()).containsExactlyInAnyOrder(first + ":rescue:requeued:vanished-node",
                exhausted + ":rescue:marked_failed:vanished-node", marked + ":rescue:marked_failed:vanished-node");
    }

    /** A running experiment owned by {@code owner} that last beat {@code ago} ago (null: never). */
    private long running(String owner, String ago, int rescues) {
        long id = Experiments.queue(db, Experiments.sphere(3, 0));
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE orchestrator.experiment
                   SET status = 'running', owner = :owner, started_at = now(), attempt = 1, version = 1, rescues = :rescues,
                       heartbeat_at = now() - CAST(:ago AS interval)
                 WHERE id = :id""").bind("owner", owner).bind("ago", ago).bind("rescues", rescues).bind("id", id).execute());
        return id;
    }

    private StaleRunRescuer rescuer() {
        return new StaleRunRescuer(db.jdbi(), BatchInfrastructure.create(db.dataSource()), STALE_AFTER, "rescuing-node",
                StaleRunRescuer.RequeueListener.NONE);
    }

    private List<Integer> versions(List<Long> ids) {
        return ids.stream().map(id -> Experiments.row(db, id).version()).toList();
    }

    private List<String> interventions() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT experiment_id || ':' || action || ':' || outcome || ':' || previous_owner
                  FROM orchestrator.experiment_intervention ORDER BY id""").mapTo(String.class).list());
    }
}
