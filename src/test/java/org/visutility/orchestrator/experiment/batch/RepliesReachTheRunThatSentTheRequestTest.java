package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.integration.util.UUIDConverter;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replies of one experiment share one group of the channel store, whichever run of it reads them.
 * After a takeover, an old owner still alive (not knowing yet that it lost the experiment) may take a
 * reply meant for the new owner: it puts it back for that run and reads no more; the new owner drops
 * the late replies of the old run's attempts, which it ran again.
 */
@ExtendWith(PostgresExtension.class)
class RepliesReachTheRunThatSentTheRequestTest {
    private static final long EXPERIMENT = 41;
    private static final Params PARAMS = Params.of(Map.of("x", DoubleNode.valueOf(0.5)));
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void aLaterRunsReplyTakenByTheOldOwnerIsPutBackForItAndTheOldRunsLateReplyIsDroppedByTheNewOwner(TestDatabase db)
            throws Exception {
        try (Database database = DatabaseConnector.open(db.config()); TrialChannels channels = TrialChannels.open(database)) {
            // run 3 owned the experiment and sent trial 0's first attempt; it still reads the replies
            ClusterTrials old = new ClusterTrials(EXPERIMENT, "node-a", 3, channels);
            old.start(0, 1, PARAMS, new AtomicBoolean());
            Await.until("the old run to read the replies", WITHIN, old::reading);
            // run 5 took the experiment over and ran trial 0 again; its worker replies while only the old run reads
            channels.reply(reply(2, 5, 0.25));
            Await.until("the old run to hear a reply of a later run", WITHIN, old::overtaken);
            Await.until("the old run to stop reading the replies", WITHIN, () -> !old.reading());
            assertThat(replies(db)).as("the reply is back in the store, not dropped").isEqualTo(1);

            ClusterTrials taker = new ClusterTrials(EXPERIMENT, "node-b", 5, channels);
            taker.start(0, 2, PARAMS, new AtomicBoolean());
            TrialLauncher.Done done = taker.poll(WITHIN.toMillis());
            assertThat(done).isNotNull();
            assertThat(done.number()).isZero();
            assertThat(done.attempt()).isEqualTo(2);
            assertThat(done.result().metrics()).containsEntry("loss", 0.25);

            // trial 1 in flight for run 5 at attempt 2; the old run's attempt 1 of it ends late: dropped, not recorded
            taker.start(1, 2, PARAMS, new AtomicBoolean());
            channels.reply(new TrialMessages.Reply(EXPERIMENT, 1, 1, 3, "node-c", false,
                    TrialResult.complete(Map.of("loss", 0.5), Optional.empty()), List.of(), Duration.ofSeconds(1)));
            // once the store is empty the reply was handled (it leaves the store in the transaction it is handled in)
            Await.until("the new run to take the late reply", WITHIN, () -> replies(db) == 0);
            assertThat(taker.poll(0)).isNull();
            assertThat(old.poll(0)).as("the old run recorded nothing").isNull();
            taker.close();
            old.close();
        }
    }

    private static TrialMessages.Reply reply(int attempt, int run, double loss) {
        return new TrialMessages.Reply(EXPERIMENT, 0, attempt, run, "node-c", false,
                TrialResult.complete(Map.of("loss", loss), Optional.empty()), List.of(), Duration.ofSeconds(1));
    }

    /** Messages waiting in the experiment's reply group. */
    private static long replies(TestDatabase db) {
        String group = UUIDConverter.getUUID(TrialChannels.replyGroup(EXPERIMENT)).toString();
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM batch.int_channel_message WHERE region = :region AND group_key = :group")
                .bind("region", TrialChannels.REGION).bind("group", group).mapTo(Long.class).one());
    }
}
