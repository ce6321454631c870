package org.visutility.orchestrator.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher hands out at most max_running_experiments slots, oldest first, even when two nodes dispatch at once. */
@ExtendWith(PostgresExtension.class)
class DispatchCapTest {
    private static final String SPEC = """
            model: churn
            objective: {metric: loss, direction: minimize}
            strategy: {name: random}
            budget: {trials: 1}
            space: {x: {type: float, low: 0.0, high: 1.0}}
            trainer: {type: function, function: sphere}
            """;

    @Test
    void queuedExperimentsAreDispatchedOldestFirstUpToTheCap(TestDatabase db) {
        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET status = 'cancelled' WHERE status IN ('queued', 'running')"));
        long first = Experiments.queue(db, SPEC);
        long second = Experiments.queue(db, SPEC);
        long third = Experiments.queue(db, SPEC);

        assertThat(ExperimentDispatcher.claimWaiting(db.jdbi(), 2)).containsExactly(first, second);
        assertThat(ExperimentDispatcher.claimWaiting(db.jdbi(), 2)).as("both slots are taken").isEmpty();

        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET status = 'succeeded' WHERE id = ?", first));
        assertThat(ExperimentDispatcher.claimWaiting(db.jdbi(), 2)).containsExactly(third);
    }

    @Test
    void twoDispatchersAtOnceNeverExceedTheCap(TestDatabase db) throws Exception {
        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET status = 'cancelled' WHERE status IN ('queued', 'running')"));
        for (int i = 0; i < 6; i++) Experiments.queue(db, SPEC);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> rounds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rounds.add(pool.submit(() -> {
                    go.await();
                    return ExperimentDispatcher.claimWaiting(db.jdbi(), 3);
                }));
            }
            go.countDown();
            List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<Long>> r : rounds) claimed.addAll(r.get());
            assertThat(claimed).hasSize(3).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }
}
