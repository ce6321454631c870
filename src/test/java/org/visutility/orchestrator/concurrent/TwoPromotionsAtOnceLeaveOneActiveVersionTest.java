package org.visutility.orchestrator.concurrent;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two operators promote two candidates of one model at the same moment: the second waits for the
 * first (the model's lock), then sees the version the first made active and retires it. One
 * version ends active, and every version's history is a whole chain.
 */
@ExtendWith(PostgresExtension.class)
class TwoPromotionsAtOnceLeaveOneActiveVersionTest {

    @Test
    void aPromotionWaitsForTheOneInFlightAndRetiresTheVersionItActivated(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "race", "v1", "active");
        Lifecycles.version(db.jdbi(), "race", "v2", "candidate");
        Lifecycles.version(db.jdbi(), "race", "v3", "candidate");
        Actor alice = Actor.operator("--actor", "alice");
        Actor bob = Actor.operator("--actor", "bob");

        CompletableFuture<OperatorActions.Outcome> second;
        try (Handle first = db.jdbi().open()) {
            first.begin();
            OperatorActions.promote(first, "race", "v2", false, alice, "v2 is better");
            // the first promotion has written everything but not committed: the second starts now
            second = CompletableFuture.supplyAsync(() -> db.jdbi().inTransaction(h ->
                    OperatorActions.promote(h, "race", "v3", false, bob, "v3 is better")));
            Await.until("the second promotion to wait for a lock", Duration.ofSeconds(20), () -> waitingOnALock(db) >= 1);
            assertThat(second).isNotDone();
            first.commit();
        }
        OperatorActions.Outcome outcome = second.get(30, TimeUnit.SECONDS);

        assertThat(outcome.retirement().orElseThrow().version()).isEqualTo("v2");
        assertThat(Lifecycles.statuses(db.jdbi(), "race"))
                .containsEntry("v1", "retired").containsEntry("v2", "retired").containsEntry("v3", "active");
        assertThat(Lifecycles.events(db.jdbi(), "race", "v2")).containsExactly("(new) -> candidate by serving",
                "candidate -> approved by operator:alice", "approved -> active by operator:alice", "active -> retired by operator:bob");
        assertThat(Lifecycles.brokenChains(db.jdbi(), "race")).isEmpty();
    }

    private static long waitingOnALock(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()""")
                .mapTo(Long.class).one());
    }
}
