package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lineage.model_freshness and the table ingest keeps for it (orchestrator.snapshot_latest): the newest
 * current snapshot per model and segment, whatever order batches arrive or commit in.
 */
@ExtendWith(PostgresExtension.class)
class ModelFreshnessTest {
    private static final Instant NOON = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(30, ChronoUnit.HOURS);

    private static Snapshot snapshot(String model, String version, Instant at, String segment, String source, double accuracy) {
        return new Snapshot(model, version, at, 1000, segment, source, Map.of("accuracy", accuracy, "recall", 0.5));
    }

    private static void ingest(TestDatabase db, List<Snapshot> batch) {
        new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()).ingest(IngestChannel.FILE, "test", sink -> {
            for (int i = 0; i < batch.size(); i++) sink.add(i + 1, batch.get(i));
        });
    }

    private static List<Map<String, Object>> freshness(TestDatabase db, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT segment, version, last_observed_at, source, last_accuracy, revision, hours_since_last
                          FROM lineage.model_freshness WHERE model = :model ORDER BY segment""")
                .bind("model", model).mapToMap().list());
    }

    @Test
    void anOlderBatchArrivingLaterDoesNotMoveTheLastSnapshotBack(TestDatabase db) {
        ingest(db, List.of(snapshot("late", "v1", NOON.plus(2, ChronoUnit.HOURS), "eu", "serving", 0.8)));
        ingest(db, List.of(snapshot("late", "v1", NOON, "eu", "serving", 0.9), snapshot("late", "v1", NOON.minusSeconds(60), "us", "serving", 0.7)));

        List<Map<String, Object>> rows = freshness(db, "late");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("segment", "eu").containsEntry("last_accuracy", 0.8);
        assertThat(((java.sql.Timestamp) rows.get(0).get("last_observed_at")).toInstant()).isEqualTo(NOON.plus(2, ChronoUnit.HOURS));
        assertThat(((Number) rows.get(0).get("hours_since_last")).doubleValue()).isGreaterThan(24);
        assertThat(rows.get(1)).containsEntry("segment", "us").containsEntry("last_accuracy", 0.7);
    }

    @Test
    void atOneObservedAtTheLaterRegisteredVersionWinsThenTheSourceLastInByteOrder(TestDatabase db) {
        // "batch" sorts after "Serving" in byte order (b = 0x62 > S = 0x53), before it in most locales
        ingest(db, List.of(snapshot("tied", "v1", NOON, "", "Serving", 0.91), snapshot("tied", "v1", NOON, "", "batch", 0.92)));
        assertThat(freshness(db, "tied")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("source", "batch").containsEntry("last_accuracy", 0.92).containsEntry("version", "v1"));

        // in the other order, and in another batch: the same answer
        ingest(db, List.of(snapshot("tied2", "v1", NOON, "", "batch", 0.92)));
        ingest(db, List.of(snapshot("tied2", "v1", NOON, "", "Serving", 0.91)));
        assertThat(freshness(db, "tied2")).singleElement().satisfies(r -> assertThat(r).containsEntry("source", "batch"));

        // a version registered later, at the same instant, wins over the source order
        ingest(db, List.of(snapshot("tied", "v2", NOON, "", "Serving", 0.95)));
        assertThat(freshness(db, "tied")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("version", "v2").containsEntry("source", "Serving").containsEntry("last_accuracy", 0.95));
    }

    @Test
    void aRevisedSnapshotShowsItsCurrentRevision(TestDatabase db) throws Exception {
        ingest(db, List.of(snapshot("revised", "v1", NOON, "", "warehouse", 0.90)));
        // a revision as the write path stores it: the first revision superseded, the second current, in one
        // transaction with the batch that brought it
        db.jdbi().useHandle(h -> {
            StagingTable staged = StagingTable.open(h);
            staged.add(1, snapshot("revised", "v1", NOON, "", "warehouse", 0.75));
            staged.finish();
            h.useTransaction(tx -> {
                tx.execute("""
                        WITH old AS (
                            UPDATE orchestrator.metric_snapshot s SET superseded_at = now()
                             WHERE s.model_id = (SELECT id FROM orchestrator.model WHERE name = 'revised') AND s.superseded_at IS NULL
                            RETURNING s.*)
                        INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count,
                                                                  metrics, revision, replaces_id, settled_at)
                        SELECT model_id, model_version_id, observed_at, segment, source, sample_count, '{"accuracy": 0.75}', 2, id, now()
                          FROM old""");
                tx.execute(SqlFiles.load(SnapshotWriter.class, "UpdateSnapshotLatest"));
            });
            staged.clear();
        });

        assertThat(freshness(db, "revised")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("last_accuracy", 0.75).containsEntry("revision", 2));
        // the rebuild from the history agrees
        db.jdbi().useHandle(h -> h.execute("SELECT orchestrator.rebuild_snapshot_latest()"));
        assertThat(freshness(db, "revised")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("last_accuracy", 0.75).containsEntry("revision", 2));
        String health = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT latest_metrics ->> 'accuracy' FROM lineage.model_health WHERE model = 'revised'").mapTo(String.class).one());
        assertThat(health).isEqualTo("0.75");
    }

    @Test
    void concurrentBatchesLeaveTheNewestSnapshotOfEveryVersionAndSegment(TestDatabase db) throws Exception {
        int senders = 4;
        int batchesEach = 8;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<Void>> sent = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                String source = "sender-" + s;
                Random random = new Random(s);
                sent.add(pool.submit((Callable<Void>) () -> {
                    for (int b = 0; b < batchesEach; b++) {
                        List<Snapshot> batch = new ArrayList<>();
                        for (int m = 0; m < 5; m++) {
                            for (String segment : List.of("eu", "us")) {
                                // senders share instants, so ties between sources happen
                                int hour = random.nextInt(12);
                                // a key sent again carries the same values (a duplicate, not a conflict)
                                double accuracy = (hour * 31 + m * 7 + sender) / 1000.0;
                                batch.add(snapshot("busy-" + m, m % 2 == 0 ? "v1" : "v2", NOON.minus(hour, ChronoUnit.HOURS), segment, source, accuracy));
                            }
                        }
                        // a key repeated in a batch is written once; keep keys distinct within the batch
                        ingest(db, batch.stream().collect(java.util.stream.Collectors.toMap(
                                x -> List.of(x.model(), x.observedAt(), x.segment()), x -> x, (x, y) -> x)).values().stream().toList());
                    }
                    return null;
                }));
            }
            for (Future<Void> f : sent) f.get();
        } finally {
            pool.shutdown();
        }

        String fromHistory = """
                SELECT DISTINCT ON (s.model_version_id, s.segment) s.model_version_id, s.segment, s.id, s.observed_at, s.source, s.metrics
                  FROM orchestrator.metric_snapshot s
                  JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name LIKE 'busy-%' AND s.superseded_at IS NULL
                 ORDER BY s.model_version_id, s.segment, s.observed_at DESC, s.source COLLATE "C" DESC""";
        String kept = """
                SELECT l.model_version_id, l.segment, l.snapshot_id AS id, l.observed_at, l.source, l.metrics
                  FROM orchestrator.snapshot_latest l
                  JOIN orchestrator.model m ON m.id = l.model_id
                 WHERE m.name LIKE 'busy-%'
                 ORDER BY l.model_version_id, l.segment""";
        List<Map<String, Object>> expected = db.jdbi().withHandle(h -> h.createQuery(fromHistory).mapToMap().list());
        assertThat(expected).hasSize(10);
        List<Map<String, Object>> actual = db.jdbi().withHandle(h -> h.createQuery(kept).mapToMap().list());
        assertThat(actual).isEqualTo(expected);
    }
}
