package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

/** Accepted batches, idempotent re-sends, conflicts and listeners through POST /api/v1/snapshots (each test uses its own model). */
@ExtendWith(PostgresExtension.class)
class HttpIngestTest {
    private static final Instant T0 = Instant.parse("2026-01-31T23:00:00Z");
    private static final List<IngestResult> told = new CopyOnWriteArrayList<>();
    private static Node node;
    private static SnapshotApi api;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        IngestListeners listeners = new IngestListeners();
        listeners.add(result -> {
            throw new IllegalStateException("a listener that always fails");
        });
        listeners.add(told::add);
        node = Node.start(db.config(), List.of(new CollectModule(listeners)));
        api = new SnapshotApi(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void anAcceptedBatchIsStoredWholeWithItsMetricValuesAndBatchRow() throws Exception {
        Map<String, Object> eu = aSnapshot("accepted", "v3", T0);
        Map<String, Object> bare = aSnapshot("accepted", "v3", T0.plus(2, ChronoUnit.HOURS)); // the next month
        bare.remove("segment");
        bare.remove("source");
        SnapshotApi.Answer a = api.post(List.of(eu, bare));

        assertThat(a.status()).as(a.response().body()).isEqualTo(200);
        assertThat(a.body().path("snapshots").asInt()).isEqualTo(2);
        assertThat(a.body().path("inserted").asInt()).isEqualTo(2);
        assertThat(a.body().path("duplicate").asInt()).isZero();
        long batch = a.body().path("batch_id").asLong();

        List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.segment, s.source, s.sample_count, s.batch_id, v.version, v.source AS version_source,
                       (SELECT count(*) FROM orchestrator.metric_value mv WHERE mv.snapshot_id = s.id) AS values
                  FROM orchestrator.metric_snapshot s
                  JOIN orchestrator.model_version v ON v.id = s.model_version_id
                  JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'accepted' ORDER BY s.observed_at""").mapToMap().list());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("segment", "eu").containsEntry("source", "serving").containsEntry("sample_count", 5000L)
                .containsEntry("batch_id", batch).containsEntry("version", "v3").containsEntry("version_source", "ingest")
                .containsEntry("values", 3L);
        assertThat(rows.get(1)).containsEntry("segment", "").containsEntry("source", "");

        Map<String, Object> batchRow = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT channel, origin, snapshot_count, inserted_count FROM orchestrator.ingest_batch WHERE id = :id")
                .bind("id", batch).mapToMap().one());
        assertThat(batchRow).containsEntry("channel", "http").containsEntry("origin", "127.0.0.1")
                .containsEntry("snapshot_count", 2).containsEntry("inserted_count", 2);

        Double accuracy = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT value FROM orchestrator.metric_value v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = 'accepted' AND metric = 'accuracy' ORDER BY observed_at DESC LIMIT 1""").mapTo(Double.class).one());
        assertThat(accuracy).isEqualTo(0.91);
        List<String> partitions = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT relname FROM pg_class WHERE relname IN ('metric_snapshot_2026_01', 'metric_snapshot_2026_02') ORDER BY 1")
                .mapTo(String.class).list());
        assertThat(partitions).containsExactly("metric_snapshot_2026_01", "metric_snapshot_2026_02");
    }

    @Test
    void aResentBatchInsertsNothingAndReportsDuplicates() throws Exception {
        List<Map<String, Object>> batch = List.of(aSnapshot("resent", "v1", T0), aSnapshot("resent", "v1", T0.plusSeconds(60)));
        assertThat(api.post(batch).body().path("inserted").asInt()).isEqualTo(2);
        Counts before = Counts.of(db.jdbi());

        SnapshotApi.Answer again = api.post(batch);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("inserted").asInt()).isZero();
        assertThat(again.body().path("duplicate").asInt()).isEqualTo(2);
        assertThat(again.body().path("batch_id").isNull()).isTrue();
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void aBatchMixingNewAndStoredSnapshotsInsertsOnlyTheNewOnes() throws Exception {
        Map<String, Object> stored = aSnapshot("mixed", "v1", T0);
        api.post(List.of(stored));
        // the same values spelled differently (key order, 0.910) are still the same snapshot
        Map<String, Object> sameValues = aSnapshot("mixed", "v1", T0);
        sameValues.put("metrics", Map.of("recall", 0.84, "precision", 0.88, "accuracy", 0.910));
        SnapshotApi.Answer a = api.post(List.of(sameValues, aSnapshot("mixed", "v1", T0.plusSeconds(1))));
        assertThat(a.body().path("inserted").asInt()).isEqualTo(1);
        assertThat(a.body().path("duplicate").asInt()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithDifferentValuesIsA409NamingTheKeyAndWritesNothing() throws Exception {
        api.post(List.of(aSnapshot("conflicted", "v1", T0)));
        Counts before = Counts.of(db.jdbi());
        Map<String, Object> changed = aSnapshot("conflicted", "v1", T0);
        changed.put("sample_count", 4999);

        SnapshotApi.Answer a = api.post(List.of(aSnapshot("conflicted", "v1", T0.plusSeconds(30)), changed));

        assertThat(a.status()).isEqualTo(409);
        assertThat(a.body().path("error").asText()).contains("nothing was written");
        JsonNode c = a.body().path("conflicts").get(0);
        assertThat(a.body().path("conflicts")).hasSize(1);
        assertThat(c.path("index").asInt()).isEqualTo(1);
        assertThat(c.path("model").asText()).isEqualTo("conflicted");
        assertThat(c.path("version").asText()).isEqualTo("v1");
        assertThat(Instant.parse(c.path("observed_at").asText())).isEqualTo(T0);
        assertThat(c.path("segment").asText()).isEqualTo("eu");
        assertThat(c.path("source").asText()).isEqualTo("serving");
        assertThat(Counts.of(db.jdbi())).as("the new snapshot of the same batch was not kept either").isEqualTo(before);
    }

    @Test
    void aKeyRepeatedInOneBatchCountsOnceWhenIdenticalAndConflictsWhenNot() throws Exception {
        Map<String, Object> s = aSnapshot("repeated", "v1", T0);
        SnapshotApi.Answer same = api.post(List.of(s, s));
        assertThat(same.body().path("inserted").asInt()).isEqualTo(1);
        assertThat(same.body().path("duplicate").asInt()).isEqualTo(1);

        Map<String, Object> a = aSnapshot("repeated", "v1", T0.plusSeconds(5));
        Map<String, Object> b = aSnapshot("repeated", "v1", T0.plusSeconds(5));
        b.put("metrics", Map.of("accuracy", 0.5));
        SnapshotApi.Answer differing = api.post(List.of(a, b));
        assertThat(differing.status()).isEqualTo(409);
        assertThat(differing.body().path("conflicts").get(0).path("index").asInt()).isEqualTo(1);
    }

    @Test
    void observedAtAFewMinutesAheadIsAcceptedAndOffsetsAreNormalised() throws Exception {
        Map<String, Object> ahead = aSnapshot("clock-skew", "v1", Instant.now().plus(9, ChronoUnit.MINUTES));
        Map<String, Object> offset = aSnapshot("clock-skew", "v1", T0);
        offset.put("observed_at", "2026-02-01T02:30:00+03:30");
        SnapshotApi.Answer a = api.post(List.of(ahead, offset));
        assertThat(a.status()).as(a.response().body()).isEqualTo(200);
        OffsetDateTime stored = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT min(observed_at) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'clock-skew'""").mapTo(OffsetDateTime.class).one());
        assertThat(stored.toInstant()).isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
    }

    @Test
    void listenersAreToldAfterCommitAndAFailingListenerNeverFailsTheIngest() throws Exception {
        told.clear();
        SnapshotApi.Answer a = api.post(List.of(aSnapshot("observed", "v2", T0)));

        assertThat(a.status()).isEqualTo(200);
        assertThat(told).hasSize(1);
        IngestResult r = told.get(0);
        assertThat(r.batchId()).isEqualTo(a.body().path("batch_id").asLong());
        assertThat(r.channel()).isEqualTo(IngestChannel.HTTP);
        assertThat(r.inserted()).isEqualTo(1);
        assertThat(r.models()).containsExactly("observed");
        Long committed = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.ingest_batch WHERE id = :id")
                .bind("id", r.batchId()).mapTo(Long.class).one());
        assertThat(committed).isEqualTo(1);

        told.clear();
        api.post(List.of(aSnapshot("observed", "v2", T0)));
        assertThat(told).as("a batch of nothing but duplicates committed nothing to tell").isEmpty();
    }

    @Test
    void aMonthWhosePartitionWasDroppedSinceIsCreatedAgain() throws Exception {
        // a year back: within the age ingest accepts (ORCHESTRATOR_INGEST_MAX_AGE), whenever the test runs
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(12);
        Instant tenth = month.atDay(10).atStartOfDay().toInstant(ZoneOffset.UTC);
        assertThat(api.post(List.of(aSnapshot("retention", "v1", tenth))).status()).isEqualTo(200);
        Integer dropped = db.jdbi().withHandle(h -> h.createQuery("SELECT orchestrator.drop_snapshot_partitions_before(:cutoff)")
                .bind("cutoff", month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC)).mapTo(Integer.class).one());
        assertThat(dropped).isEqualTo(2);

        SnapshotApi.Answer a = api.post(List.of(aSnapshot("retention", "v1", tenth.plusSeconds(60))));

        assertThat(a.status()).as(a.response().body()).isEqualTo(200);
        assertThat(a.body().path("inserted").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentBatchesOfOneNewModelRegisterItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            statuses.add(pool.submit(() -> api.post(List.of(aSnapshot("raced", "v9", T0.plusSeconds(offset)))).status()));
        }
        for (Future<Integer> f : statuses) assertThat(f.get()).isEqualTo(200);
        pool.shutdown();
        Long versions = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = 'raced'""")
                .mapTo(Long.class).one());
        assertThat(versions).isEqualTo(1);
    }
}
