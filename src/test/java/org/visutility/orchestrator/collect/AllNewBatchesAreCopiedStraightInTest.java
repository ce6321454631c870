package org.visutility.orchestrator.collect;

import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Handle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch whose keys are all new goes straight into the snapshot tables by COPY and stores exactly
 * what the staging path stores; a batch with a stored key, or racing a writer of the same key, goes
 * through the staging table and the database still decides (each test uses its own models).
 */
@ExtendWith(PostgresExtension.class)
class AllNewBatchesAreCopiedStraightInTest {
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);
    private static final RevisionRules SETTLE_IN_TWO_HOURS = new RevisionRules(OnChangedValue.REJECT, Duration.ofHours(2), null);
    private static TestDatabase db;
    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
    private static SnapshotIngest ingest;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        ingest = new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners());
        Metrics.addRegistry(REGISTRY); // the global registry counts nothing without one
    }

    @AfterAll
    static void tearDown() {
        Metrics.removeRegistry(REGISTRY);
    }

    /** Snapshots of one model: two segments, two sources, every finality, a negative zero, one minute apart. */
    private static List<Snapshot> batch(String model, int n) {
        List<Snapshot> out = new ArrayList<>(n);
        Finality[] finalities = Finality.values();
        for (int i = 0; i < n; i++) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", 0.5 + (i % 50) / 100.0);
            metrics.put("latency_ms", i % 7 == 0 ? -0.0 : 1.0e-7 * i);
            out.add(new Snapshot(model, "v1", HOUR.minus(i / 4, ChronoUnit.MINUTES), 100 + i, i % 2 == 0 ? "" : "eu",
                    i % 4 < 2 ? "serving" : "warehouse", metrics, finalities[i % finalities.length]));
        }
        return out;
    }

    /** A source that can feed again, as HTTP bodies and files are: tried as all new keys first. */
    private static IngestResult sendAgainable(RevisionRules rules, List<Snapshot> snapshots) {
        return ingest.ingest(IngestChannel.FILE, "test", SnapshotSource.feedsAgain(sink -> {
            for (int i = 0; i < snapshots.size(); i++) sink.add(i + 1, snapshots.get(i));
        }), rules);
    }

    /** A source read once (a collector's query): always through the staging table. */
    private static IngestResult sendOnce(RevisionRules rules, List<Snapshot> snapshots) {
        return ingest.ingest(IngestChannel.FILE, "test", sink -> {
            for (int i = 0; i < snapshots.size(); i++) sink.add(i + 1, snapshots.get(i));
        }, rules);
    }

    private static double copiedBatches() {
        return REGISTRY.counter(IngestMetrics.BATCHES_COPIED, "channel", IngestChannel.FILE.column()).count();
    }

    /** What a model's stored snapshots, metric values and newest snapshots say, without ids and batch times. */
    private static List<Map<String, Object>> stored(String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT 'snapshot' AS kind, s.observed_at, s.segment, s.source, s.sample_count, s.metrics::text AS metrics, NULL AS metric,
                       NULL::float8 AS value, s.revision, s.superseded_at, s.replaces_id,
                       CASE WHEN s.settled_at = s.ingested_at THEN 'when recorded' ELSE s.settled_at::text END AS settled,
                       s.batch_id = b.id AS in_its_batch, b.inserted_count
                  FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                  JOIN orchestrator.ingest_batch b ON b.id = s.batch_id AND b.snapshot_count = b.inserted_count
                 WHERE m.name = :m
                UNION ALL
                SELECT 'value', v.observed_at, s.segment, s.source, v.sample_count, NULL, v.metric, v.value, NULL, v.superseded_at, NULL,
                       CASE WHEN v.settled_at = v.recorded_at THEN 'when recorded' ELSE v.settled_at::text END,
                       v.recorded_at = s.ingested_at AND v.model_version_id = s.model_version_id, NULL
                  FROM orchestrator.metric_value v
                  JOIN orchestrator.metric_snapshot s ON s.id = v.snapshot_id AND s.observed_at = v.observed_at
                  JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :m
                UNION ALL
                SELECT 'latest', l.observed_at, l.segment, l.source, l.sample_count, l.metrics::text, NULL, NULL, l.revision, NULL, NULL,
                       NULL, l.snapshot_id = s.id AND l.recorded_at = s.ingested_at, NULL
                  FROM orchestrator.snapshot_latest l
                  JOIN orchestrator.metric_snapshot s ON s.id = l.snapshot_id AND s.observed_at = l.observed_at
                  JOIN orchestrator.model m ON m.id = l.model_id
                 WHERE m.name = :m
                 ORDER BY 1, 2, 3, 4, 7""").bind("m", model).mapToMap().list());
    }

    @Test
    void anAllNewBatchGoesStraightInAndStoresWhatTheStagingPathStores() {
        double before = copiedBatches();
        IngestResult copied = sendAgainable(SETTLE_IN_TWO_HOURS, batch("copy-straight", 40));
        assertThat(copiedBatches() - before).as("written by COPY, not through the staging table").isEqualTo(1.0);
        IngestResult staged = sendOnce(SETTLE_IN_TWO_HOURS, batch("copy-staged", 40));
        assertThat(copiedBatches() - before).isEqualTo(1.0);

        assertThat(copied.inserted()).isEqualTo(40);
        assertThat(copied.duplicate()).isZero();
        assertThat(copied.batchId()).isNotNull();
        assertThat(staged.inserted()).isEqualTo(40);
        List<Map<String, Object>> straight = stored("copy-straight");
        assertThat(straight).hasSize(40 + 80 + 2);
        assertThat(straight).as("the same rows, values, settle times and newest snapshots as the staging path")
                .isEqualTo(stored("copy-staged"));
    }

    @Test
    void aStreamedBatchOfSeveralChunksGoesStraightInInOneTransaction() {
        int n = NewSnapshotsPipeline.FIRST_CHUNK * 4 + 123;
        // registers the version: a streamed batch that changes the lifecycle goes through the staging table
        sendAgainable(RevisionRules.REJECT, List.of(new Snapshot("copy-chunks", "v1", HOUR.plus(1, ChronoUnit.HOURS), 1, "", "",
                Map.of("accuracy", 0.5))));
        double before = copiedBatches();
        IngestResult r = sendAgainable(RevisionRules.REJECT, batch("copy-chunks", n));
        assertThat(copiedBatches() - before).isEqualTo(1.0);
        assertThat(r.inserted()).isEqualTo(n);
        assertThat(AllNewBatchesAreCopiedStraightInTest.<Long>read(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'copy-chunks' AND s.batch_id = :batch""").bind("batch", r.batchId()).mapTo(Long.class).one()))
                .as("one batch holds them all").isEqualTo((long) n);
    }

    @Test
    void aStreamedBatchWhoseLaterChunksAreMadeReadyWhileTheServerWritesStoresWhatTheStagingPathStores() {
        // no estimate of the rest: the second chunk draws its ids between COPYs, the last finds them drawn and is made ready ahead
        int n = NewSnapshotsPipeline.FIRST_CHUNK * 4 + 123;
        sendAgainable(RevisionRules.REJECT, List.of(new Snapshot("copy-ahead", "v1", HOUR.plus(1, ChronoUnit.HOURS), 1, "", "",
                Map.of("accuracy", 0.5))));
        sendOnce(RevisionRules.REJECT, List.of(new Snapshot("copy-ahead-staged", "v1", HOUR.plus(1, ChronoUnit.HOURS), 1, "", "",
                Map.of("accuracy", 0.5))));
        double before = copiedBatches();
        IngestResult copied = sendAgainable(SETTLE_IN_TWO_HOURS, batch("copy-ahead", n));
        assertThat(copiedBatches() - before).as("written by COPY, not through the staging table").isEqualTo(1.0);
        sendOnce(SETTLE_IN_TWO_HOURS, batch("copy-ahead-staged", n));

        assertThat(copied.inserted()).isEqualTo(n);
        List<Map<String, Object>> straight = stored("copy-ahead");
        assertThat(straight).hasSize((n + 1) + (2 * n + 1) + 2);
        assertThat(straight).as("the same rows, values, settle times and newest snapshots as the staging path")
                .isEqualTo(stored("copy-ahead-staged"));
    }

    @Test
    void aBatchOfExactlyOneFullChunkIsWrittenWholeLikeAShorterOne() {
        // a whole batch may register its version and still go straight in; a streamed one may not
        double before = copiedBatches();
        IngestResult r = sendAgainable(RevisionRules.REJECT, batch("copy-one-full-chunk", NewSnapshotsPipeline.FIRST_CHUNK));
        assertThat(copiedBatches() - before).as("written whole by COPY, not streamed and handed to the staging table").isEqualTo(1.0);
        assertThat(r.inserted()).isEqualTo(NewSnapshotsPipeline.FIRST_CHUNK);
    }

    @Test
    void aStreamedBatchThatRegistersAVersionGoesThroughTheStagingTable() {
        double before = copiedBatches();
        IngestResult r = sendAgainable(RevisionRules.REJECT, batch("copy-new-version", NewSnapshotsPipeline.FIRST_CHUNK + 1));
        assertThat(copiedBatches() - before).as("the lifecycle rules need the whole batch's newest snapshot").isZero();
        assertThat(r.inserted()).isEqualTo(NewSnapshotsPipeline.FIRST_CHUNK + 1);
    }

    @Test
    void aReplayedBatchWritesNothingNewAndAStoredKeyInALaterChunkLeavesTheRestToTheStagingPath() {
        List<Snapshot> first = batch("copy-replay", NewSnapshotsPipeline.FIRST_CHUNK + 10);
        sendAgainable(RevisionRules.REJECT, first);
        double before = copiedBatches();

        IngestResult again = sendAgainable(RevisionRules.REJECT, first);
        assertThat(again.inserted()).isZero();
        assertThat(again.duplicate()).isEqualTo(first.size());
        assertThat(again.batchId()).as("a resent batch leaves no trace").isNull();

        // new keys first, then one already stored in the second chunk: the staging path writes the new ones
        List<Snapshot> more = new ArrayList<>();
        for (Snapshot s : batch("copy-replay", NewSnapshotsPipeline.FIRST_CHUNK + 5)) {
            more.add(new Snapshot(s.model(), s.version(), s.observedAt().minus(30, ChronoUnit.DAYS), s.sampleCount(), s.segment(),
                    s.source(), s.metrics(), s.finality()));
        }
        more.add(first.get(3));
        IngestResult mixed = sendAgainable(RevisionRules.REJECT, more);
        assertThat(copiedBatches() - before).as("neither went straight in").isZero();
        assertThat(mixed.inserted()).isEqualTo(more.size() - 1);
        assertThat(mixed.duplicate()).isEqualTo(1);
        assertThat(AllNewBatchesAreCopiedStraightInTest.<Long>read(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'copy-replay'""").mapTo(Long.class).one())).isEqualTo((long) first.size() + more.size() - 1);
    }

    @Test
    void aChangedValueOfAStoredKeyIsStillAConflict() {
        List<Snapshot> first = batch("copy-conflict", 3);
        sendAgainable(RevisionRules.REJECT, first);
        Snapshot s = first.get(1);
        Snapshot changed = new Snapshot(s.model(), s.version(), s.observedAt(), s.sampleCount() + 1, s.segment(), s.source(), s.metrics(),
                s.finality());
        try {
            sendAgainable(RevisionRules.REJECT, List.of(changed));
            throw new AssertionError("a changed value of a stored key was accepted");
        } catch (SnapshotConflictException e) {
            assertThat(e.conflicts()).hasSize(1);
        }
    }

    @Test
    void aBatchRacingAConcurrentWriterOfTheSameKeyEndsWithOneRow() throws Exception {
        sendAgainable(RevisionRules.REJECT, batch("copy-race", 1)); // registers the version
        Snapshot key = new Snapshot("copy-race", "v1", HOUR.plus(1, ChronoUnit.HOURS), 7, "", "serving", Map.of("accuracy", 0.75));
        double before = copiedBatches();
        CompletableFuture<IngestResult> racer;
        try (Handle writer = db.jdbi().open()) {
            // a concurrent writer holds the same new key, uncommitted: the COPY waits on the current-key index
            writer.begin();
            writer.execute("""
                    INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics)
                    SELECT v.model_id, v.id, ?, '', 'serving', 7, '{"accuracy": 0.75}'
                      FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = 'copy-race'""",
                    key.observedAt().atOffset(ZoneOffset.UTC));
            racer = CompletableFuture.supplyAsync(() -> sendAgainable(RevisionRules.REJECT, List.of(key)));
            Await.until("the batch to wait for the uncommitted key", Duration.ofSeconds(30), () -> waitingOnALock() >= 1);
            writer.commit();
        }
        IngestResult r = racer.get(60, TimeUnit.SECONDS);

        assertThat(copiedBatches() - before).as("the COPY lost the race and rolled back").isZero();
        assertThat(r.inserted()).isZero();
        assertThat(r.duplicate()).as("the staging path found the writer's identical value").isEqualTo(1);
        assertThat(AllNewBatchesAreCopiedStraightInTest.<Long>read(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'copy-race' AND s.observed_at = :at""").bind("at", key.observedAt().atOffset(ZoneOffset.UTC))
                .mapTo(Long.class).one())).isEqualTo(1L);
    }

    @Test
    void aBatchWhoseRivalRollsBackGoesStraightIn() throws Exception {
        sendAgainable(RevisionRules.REJECT, batch("copy-rival", 1));
        Snapshot key = new Snapshot("copy-rival", "v1", HOUR.plus(1, ChronoUnit.HOURS), 7, "", "serving", Map.of("accuracy", 0.75));
        double before = copiedBatches();
        CompletableFuture<IngestResult> racer;
        try (Handle writer = db.jdbi().open()) {
            writer.begin();
            writer.execute("""
                    INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics)
                    SELECT v.model_id, v.id, ?, '', 'serving', 9, '{"accuracy": 0.1}'
                      FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = 'copy-rival'""",
                    key.observedAt().atOffset(ZoneOffset.UTC));
            racer = CompletableFuture.supplyAsync(() -> sendAgainable(RevisionRules.REJECT, List.of(key)));
            Await.until("the batch to wait for the uncommitted key", Duration.ofSeconds(30), () -> waitingOnALock() >= 1);
            writer.rollback();
        }
        IngestResult r = racer.get(60, TimeUnit.SECONDS);

        assertThat(r.inserted()).isEqualTo(1);
        assertThat(copiedBatches() - before).isEqualTo(1.0);
        assertThat(AllNewBatchesAreCopiedStraightInTest.<List<Long>>read(h -> h.createQuery("""
                SELECT s.sample_count FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'copy-rival' AND s.observed_at = :at""").bind("at", key.observedAt().atOffset(ZoneOffset.UTC))
                .mapTo(Long.class).list())).containsExactly(7L);
    }

    private static <T> T read(org.jdbi.v3.core.HandleCallback<T, RuntimeException> query) {
        return db.jdbi().withHandle(query);
    }

    private static long waitingOnALock() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()""")
                .mapTo(Long.class).one());
    }
}
