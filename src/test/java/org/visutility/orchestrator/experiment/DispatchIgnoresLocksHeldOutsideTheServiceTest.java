package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, case 2: the dispatcher counted free slots under a blocking pg_advisory_lock, which any
 * database user can take: a member of lineage_reader held it with one SELECT, experiments stayed
 * queued while /health said up, and SIGTERM hung until kill -9. Dispatch now proceeds whatever
 * a reader holds, and a round that cannot get its own lock fails within a bounded wait.
 */
@ExtendWith(PostgresExtension.class)
class DispatchIgnoresLocksHeldOutsideTheServiceTest {
    private static final String READER = "dispatch_lock_reader";
    private static final String READER_PASSWORD = "dispatch-lock-reader-password";
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @Test
    void aReaderHoldingTheOldDispatchLockNeitherHoldsTheQueueNorHangsShutdown(TestDatabase db) throws Exception {
        // a reader as an administrator makes one: SELECT on everything of the service, nothing more
        db.jdbi().useHandle(h -> h.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + READER + "') THEN "
                + "CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "'; END IF; END $$; "
                + "GRANT USAGE ON SCHEMA orchestrator, lineage TO " + READER + "; "
                + "GRANT SELECT ON ALL TABLES IN SCHEMA orchestrator, lineage TO " + READER));
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_DISPATCH_INTERVAL", "200ms")).withHttpPort(0);
        try (Connection reader = DriverManager.getConnection(db.url(), READER, READER_PASSWORD)) {
            try (Statement st = reader.createStatement()) {
                st.execute("SELECT pg_advisory_lock(hashtext('orchestrator.experiment_dispatch'))");
                // nor can the reader take the lock the dispatcher uses now, even out of read-only mode
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
                assertThatThrownBy(() -> st.execute("SELECT name FROM orchestrator.cluster_lock FOR UPDATE"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            Node node = Node.start(config, List.of(new ExperimentModule()));
            try {
                long id = Experiments.queue(db, Experiments.sphere(2, 0));
                Await.until("the experiment to be dispatched and succeed while the reader holds the lock", Duration.ofSeconds(30),
                        () -> Experiments.row(db, id).status() == ExperimentStatus.SUCCEEDED);
            } finally {
                closeWithin(node, reader);
            }
        }
    }

    @Test
    void aRoundWhoseOwnLockIsHeldFailsWithinTheBoundedWaitAndSaysSo(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_DISPATCH_INTERVAL", "200ms")).withHttpPort(0);
        long id;
        // a service connection (or a DBA) holding the dispatch lock row
        try (Handle holder = db.jdbi().open()) {
            holder.begin();
            holder.createQuery("SELECT name FROM orchestrator.cluster_lock WHERE name = 'experiment_dispatch' FOR UPDATE")
                    .mapTo(String.class).one();
            CompletableFuture<List<Long>> round = CompletableFuture.supplyAsync(() -> ExperimentDispatcher.claimWaiting(db.jdbi(), 2));
            assertThatThrownBy(() -> round.get(ExperimentDispatcher.LOCK_WAIT.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS))
                    .as("a dispatch round while the lock is held").hasMessageContaining("lock timeout");

            id = Experiments.queue(db, Experiments.sphere(2, 0));
            Node node = Node.start(config, List.of(new ExperimentModule()));
            try {
                Await.until("the dispatch job's failure in orchestrator.job_run", Duration.ofSeconds(30),
                        () -> lastDispatchError(db).contains("lock timeout"));
                assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.QUEUED);
                assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.experiment WHERE id = :id AND dispatched_at IS NULL", id))
                        .as("nothing half-written").isEqualTo(1);
            } finally {
                closeWithin(node, holder::rollback);
            }
            holder.rollback();
        }
        try (Node node = Node.start(config, List.of(new ExperimentModule()))) {
            Await.until("the experiment to run once the lock is free", Duration.ofSeconds(30),
                    () -> Experiments.row(db, id).status() == ExperimentStatus.SUCCEEDED);
        }
    }

    private static String lastDispatchError(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT last_error FROM orchestrator.job_run WHERE job = 'experiments.experiment-dispatch'")
                .mapTo(String.class).findOne()).orElse("");
    }

    /** Closes the node, failing if that takes longer than {@link #CLOSE_WITHIN}; then lets it finish by closing the lock holder. */
    private static void closeWithin(Node node, AutoCloseable lockHolder) throws Exception {
        CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close);
        try {
            closing.get(CLOSE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lockHolder.close();
            closing.get(60, TimeUnit.SECONDS);
            throw new AssertionError("closing the node took longer than " + CLOSE_WITHIN + " while the lock was held");
        }
    }
}
