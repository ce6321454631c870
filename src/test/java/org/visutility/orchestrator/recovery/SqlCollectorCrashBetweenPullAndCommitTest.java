package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Slow;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.collect.IngestListeners;
import org.visutility.orchestrator.collect.SnapshotIngest;
import org.visutility.orchestrator.collect.SqlCollector;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node is killed (SIGKILL) while its SQL collector has pulled a window and written it, before the
 * commit: the window is neither kept nor lost, the watermark stays, and the next run takes the
 * window exactly once.
 */
@Slow
@ExtendWith(PostgresExtension.class)
class SqlCollectorCrashBetweenPullAndCommitTest {
    private static final String COLLECTOR = "dwh-crash";
    private static final String QUERY = """
            SELECT model, version, observed_at, sample_count, accuracy FROM serving WHERE observed_at > :since ORDER BY observed_at""";

    @Test
    void aWindowPulledButNotCommittedIsPulledAgainAndCountedOnce(TestDatabase db, @TempDir Path dir) throws Exception {
        try (TestDatabase warehouse = TestPostgres.get().newEmptyDatabase("crash_warehouse")) {
            warehouse.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE serving (model text, version text, observed_at timestamptz, sample_count bigint, accuracy float8)");
                h.execute("""
                        INSERT INTO serving VALUES ('crashy', 'v1', '2026-01-05T10:00:00Z', 100, 0.9),
                                                   ('crashy', 'v1', '2026-01-05T10:01:00Z', 100, 0.9),
                                                   ('crashy', 'v1', '2026-01-05T10:02:00Z', 100, 0.9)""");
            });
            String collectors = Json.MAPPER.writeValueAsString(List.of(Map.of("name", COLLECTOR, "url", warehouse.url(),
                    "user", warehouse.user(), "query", QUERY, "cron", "* * * * * ?")));
            Map<String, String> env = db.environment(Map.of("ORCHESTRATOR_COLLECTORS", collectors));

            try (ChildNode node = ChildNode.start(env, dir.resolve("node.log"), "serve")) {
                node.awaitServing(Duration.ofSeconds(90));
                await(() -> Instant.parse("2026-01-05T10:02:00Z").equals(watermark(db)), "the first window to commit", node);
                assertThat(snapshots(db)).isEqualTo(3);

                // hold the watermark row: the next pull writes its snapshots, then waits for this lock before its commit
                try (Handle holder = db.jdbi().open()) {
                    holder.begin();
                    holder.createQuery("SELECT collector FROM orchestrator.collector_watermark WHERE collector = :c FOR UPDATE")
                            .bind("c", COLLECTOR).mapTo(String.class).one();
                    warehouse.jdbi().useHandle(h -> h.execute("""
                            INSERT INTO serving VALUES ('crashy', 'v1', '2026-01-05T10:03:00Z', 100, 0.8),
                                                       ('crashy', 'v1', '2026-01-05T10:04:00Z', 100, 0.8)"""));
                    await(() -> collectorWaitsOnTheLock(db), "the second pull to wait before its commit", node);

                    node.kill();
                    holder.rollback();
                }
            }
            await(() -> !collectorSessionAlive(db), "the killed node's session to end", null);
            assertThat(snapshots(db)).as("the uncommitted window is gone").isEqualTo(3);
            assertThat(watermark(db)).as("the watermark did not move").isEqualTo(Instant.parse("2026-01-05T10:02:00Z"));

            SqlCollector collector = new SqlCollector(new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()), db.jdbi());
            SqlCollectorSetting setting = new SqlCollectorSetting(COLLECTOR, warehouse.url(), Optional.ofNullable(warehouse.user()),
                    Optional.empty(), QUERY, "* * * * * ?");
            SqlCollector.Outcome recovered = collector.run(setting);
            assertThat(recovered.ok()).as(recovered.error()).isTrue();
            assertThat(recovered.result().inserted()).isEqualTo(2);
            assertThat(snapshots(db)).isEqualTo(5);
            assertThat(watermark(db)).isEqualTo(Instant.parse("2026-01-05T10:04:00Z"));
            Long keys = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(DISTINCT observed_at) FROM orchestrator.metric_snapshot").mapTo(Long.class).one());
            assertThat(keys).isEqualTo(5);
            Long batches = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM orchestrator.ingest_batch WHERE channel = 'sql' AND origin = :c").bind("c", COLLECTOR)
                    .mapTo(Long.class).one());
            assertThat(batches).as("one batch per committed window").isEqualTo(2);

            assertThat(collector.run(setting).rows()).isZero();
            assertThat(snapshots(db)).isEqualTo(5);
        }
    }

    private static long snapshots(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.metric_snapshot").mapTo(Long.class).one());
    }

    private static Instant watermark(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT watermark FROM orchestrator.collector_watermark WHERE collector = :c")
                .bind("c", COLLECTOR).mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null));
    }

    private static boolean collectorWaitsOnTheLock(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) > 0 FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%collector_watermark%'""")
                .mapTo(Boolean.class).one());
    }

    private static boolean collectorSessionAlive(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) > 0 FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'""")
                .mapTo(Boolean.class).one()) || collectorWaitsOnTheLock(db);
    }

    private static void await(Supplier<Boolean> condition, String what, ChildNode node) throws Exception {
        Await.until(what, Duration.ofSeconds(60), condition::get, () -> node == null ? "" : "; node output:\n" + output(node));
    }

    private static String output(ChildNode node) {
        try {
            return node.output();
        } catch (java.io.IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
