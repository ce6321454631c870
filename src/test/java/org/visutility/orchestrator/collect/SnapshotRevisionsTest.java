package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Changed values of stored keys: rejected or stored as revisions, with finality and lateness rules (each test its own model). */
@ExtendWith(PostgresExtension.class)
class SnapshotRevisionsTest {
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
    private static TestDatabase db;
    private static SnapshotIngest ingest;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        ingest = new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners());
    }

    private static Snapshot snapshot(String model, Instant at, long samples, double accuracy, Finality finality) {
        return new Snapshot(model, "v1", at, samples, "", "warehouse", Map.of("accuracy", accuracy), finality);
    }

    private static Snapshot snapshot(String model, long samples, double accuracy) {
        return snapshot(model, HOUR, samples, accuracy, Finality.UNSAID);
    }

    private static IngestResult send(RevisionRules rules, Snapshot... snapshots) {
        return ingest.ingest(IngestChannel.SQL, "test", sink -> {
            for (int i = 0; i < snapshots.length; i++) sink.add(i + 1, snapshots[i]);
        }, rules);
    }

    /** A key's revisions, oldest first. */
    private static List<Map<String, Object>> revisions(String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.id, s.revision, s.superseded_at IS NULL AS current, s.sample_count, (s.metrics ->> 'accuracy')::float8 AS accuracy,
                       s.replaces_id, s.ingested_at, s.superseded_at, s.settled_at, s.batch_id
                  FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = :m ORDER BY s.revision""").bind("m", model).mapToMap().list());
    }

    @Test
    void aChangedValueOfAReviseSourceIsStoredAsTheNextRevisionAndTheOldOneSuperseded() {
        IngestResult first = send(RevisionRules.REVISE, snapshot("rev-basic", 1000, 0.80));
        assertThat(first.inserted()).isEqualTo(1);

        IngestResult second = send(RevisionRules.REVISE, snapshot("rev-basic", 1200, 0.78));

        assertThat(second.inserted()).isZero();
        assertThat(second.revised()).isEqualTo(1);
        assertThat(second.duplicate()).isZero();
        assertThat(second.batchId()).isNotNull();
        List<Map<String, Object>> rows = revisions("rev-basic");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("revision", 1).containsEntry("current", false).containsEntry("accuracy", 0.80);
        assertThat(rows.get(1)).containsEntry("revision", 2).containsEntry("current", true).containsEntry("accuracy", 0.78)
                .containsEntry("sample_count", 1200L).containsEntry("replaces_id", rows.get(0).get("id"))
                .containsEntry("batch_id", second.batchId());
        assertThat(rows.get(0).get("superseded_at")).as("superseded when the next revision was recorded")
                .isEqualTo(rows.get(1).get("ingested_at"));
        Map<String, Object> batch = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT inserted_count, revised_count FROM orchestrator.ingest_batch WHERE id = :id").bind("id", second.batchId()).mapToMap().one());
        assertThat(batch).containsEntry("inserted_count", 0).containsEntry("revised_count", 1);
    }

    @Test
    void theSameValueSentAgainIsADuplicateNotARevision() {
        send(RevisionRules.REVISE, snapshot("rev-dup", 1000, 0.80));
        Counts before = Counts.of(db.jdbi());

        IngestResult again = send(RevisionRules.REVISE, snapshot("rev-dup", 1000, 0.8000));

        assertThat(again.duplicate()).isEqualTo(1);
        assertThat(again.revised()).isZero();
        assertThat(again.batchId()).as("a resent batch writes nothing").isNull();
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
        assertThat(revisions("rev-dup")).hasSize(1);
    }

    @Test
    void aRejectSourceStillRejectsAChangedValueAndWritesNothing() {
        send(RevisionRules.REJECT, snapshot("rev-reject", 1000, 0.80));
        Counts before = Counts.of(db.jdbi());

        assertThatThrownBy(() -> send(RevisionRules.REJECT, snapshot("rev-reject", HOUR.plusSeconds(60), 10, 0.5, Finality.UNSAID),
                snapshot("rev-reject", 1000, 0.70)))
                .isInstanceOf(SnapshotConflictException.class)
                .satisfies(e -> assertThat(((SnapshotConflictException) e).conflicts()).singleElement()
                        .satisfies(c -> assertThat(c.position()).isEqualTo(2)));
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void metricValueRowsFollowTheirSnapshotsSupersession() {
        send(RevisionRules.REVISE, snapshot("rev-values", 1000, 0.80));
        send(RevisionRules.REVISE, snapshot("rev-values", 1100, 0.79));
        send(RevisionRules.REVISE, snapshot("rev-values", 1200, 0.77));

        List<Map<String, Object>> mismatched = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.id FROM orchestrator.metric_snapshot s
                  JOIN orchestrator.model m ON m.id = s.model_id
                  JOIN orchestrator.metric_value v ON v.snapshot_id = s.id AND v.observed_at = s.observed_at
                 WHERE m.name = 'rev-values'
                   AND (v.recorded_at <> s.ingested_at OR v.superseded_at IS DISTINCT FROM s.superseded_at
                        OR v.settled_at IS DISTINCT FROM s.settled_at OR v.sample_count <> s.sample_count)""").mapToMap().list());
        assertThat(mismatched).isEmpty();
        List<Double> current = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT v.value FROM orchestrator.metric_value v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = 'rev-values' AND v.superseded_at IS NULL""").mapTo(Double.class).list());
        assertThat(current).containsExactly(0.77);
        assertThat(revisions("rev-values")).extracting(r -> r.get("current")).containsExactly(false, false, true);
    }

    @Test
    void finalityDecidesSettledAtAndTheSourcesDefaultAppliesWhenUnsaid() {
        Instant h = HOUR;
        send(RevisionRules.REVISE, snapshot("fin-final", h, 10, 0.9, Finality.FINAL), snapshot("fin-prov", h, 10, 0.9, Finality.PROVISIONAL),
                snapshot("fin-unsaid-revise", h, 10, 0.9, Finality.UNSAID));
        send(RevisionRules.REJECT, snapshot("fin-unsaid-reject", h, 10, 0.9, Finality.UNSAID));
        send(new RevisionRules(OnChangedValue.REVISE, Duration.ofHours(2), null), snapshot("fin-settle", h, 10, 0.9, Finality.UNSAID));

        Map<String, Object> fin = revisions("fin-final").get(0);
        assertThat(fin.get("settled_at")).as("final: settled when recorded").isEqualTo(fin.get("ingested_at"));
        assertThat(revisions("fin-prov").get(0).get("settled_at")).as("provisional").isNull();
        assertThat(revisions("fin-unsaid-revise").get(0).get("settled_at")).as("a revise source without settle: provisional").isNull();
        Map<String, Object> rejected = revisions("fin-unsaid-reject").get(0);
        assertThat(rejected.get("settled_at")).as("a reject source: final when recorded, as before").isEqualTo(rejected.get("ingested_at"));
        assertThat(instant(revisions("fin-settle").get(0).get("settled_at"))).as("observed_at + settle").isEqualTo(h.plus(2, ChronoUnit.HOURS));
    }

    @Test
    void aFinalResendOfAProvisionalValueSettlesItWithoutANewRevision() {
        send(RevisionRules.REVISE, snapshot("fin-resend", HOUR, 10, 0.9, Finality.PROVISIONAL));

        IngestResult again = send(RevisionRules.REVISE, snapshot("fin-resend", HOUR, 10, 0.9, Finality.FINAL));

        assertThat(again.duplicate()).isEqualTo(1);
        List<Map<String, Object>> rows = revisions("fin-resend");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("settled_at")).isNotNull();
        Long unsettledValues = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_value v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = 'fin-resend' AND v.settled_at IS NULL""").mapTo(Long.class).one());
        assertThat(unsettledValues).isZero();
    }

    @Test
    void aRevisionOfASettledWindowIsRejectedNamingTheKeyAndWhenItSettled() {
        send(RevisionRules.REVISE, snapshot("rev-settled", HOUR, 10, 0.9, Finality.FINAL));
        Instant settledAt = instant(revisions("rev-settled").get(0).get("settled_at"));
        Counts before = Counts.of(db.jdbi());

        assertThatThrownBy(() -> send(RevisionRules.REVISE, snapshot("rev-settled", HOUR, 12, 0.8, Finality.UNSAID)))
                .isInstanceOf(InvalidSnapshotsException.class)
                .satisfies(e -> assertThat(((InvalidSnapshotsException) e).violations()).singleElement().satisfies(v -> {
                    assertThat(v.position()).isEqualTo(1);
                    assertThat(v.field()).isEqualTo("observed_at");
                    assertThat(v.rule()).contains("model=rev-settled version=v1 observed_at=" + HOUR)
                            .contains("settled at " + settledAt).contains("not revised");
                }));
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void aWindowPastItsSettleTimeIsNotRevised() {
        RevisionRules settleAnHour = new RevisionRules(OnChangedValue.REVISE, Duration.ofHours(1), null);
        send(settleAnHour, snapshot("rev-settle-time", 10, 0.9)); // observed three hours ago: settled two hours ago

        assertThatThrownBy(() -> send(settleAnHour, snapshot("rev-settle-time", 11, 0.8)))
                .isInstanceOf(InvalidSnapshotsException.class)
                .hasMessageContaining("nothing was written")
                .satisfies(e -> assertThat(((InvalidSnapshotsException) e).violations().get(0).rule())
                        .contains("settled at " + HOUR.plus(1, ChronoUnit.HOURS)));
    }

    @Test
    void aTooLateRevisionIsRejectedAndAYoungerOneOfTheSameBatchIsNotWrittenEither() {
        RevisionRules withinTwoHours = new RevisionRules(OnChangedValue.REVISE, null, Duration.ofHours(2));
        Instant recent = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(30, ChronoUnit.MINUTES);
        send(withinTwoHours, snapshot("rev-late", HOUR, 10, 0.9, Finality.UNSAID), snapshot("rev-late", recent, 10, 0.9, Finality.UNSAID));
        Counts before = Counts.of(db.jdbi());

        assertThatThrownBy(() -> send(withinTwoHours, snapshot("rev-late", recent, 11, 0.8, Finality.UNSAID),
                snapshot("rev-late", HOUR, 11, 0.8, Finality.UNSAID)))
                .isInstanceOf(InvalidSnapshotsException.class)
                .satisfies(e -> assertThat(((InvalidSnapshotsException) e).violations()).singleElement().satisfies(v -> {
                    assertThat(v.position()).isEqualTo(2);
                    assertThat(v.rule()).contains("too late").contains("max_revision_age (2h)");
                }));
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);

        assertThat(send(withinTwoHours, snapshot("rev-late", recent, 11, 0.8, Finality.UNSAID)).revised())
                .as("a key younger than max_revision_age is revised").isEqualTo(1);
    }

    @Test
    void aKeyGivenTwiceInOneBatchWithDifferentValuesIsRejectedWhenRevising() {
        send(RevisionRules.REVISE, snapshot("rev-repeat", 10, 0.9));
        Counts before = Counts.of(db.jdbi());

        assertThatThrownBy(() -> send(RevisionRules.REVISE, snapshot("rev-repeat", 11, 0.8), snapshot("rev-repeat", 12, 0.7)))
                .isInstanceOf(SnapshotConflictException.class)
                .satisfies(e -> assertThat(((SnapshotConflictException) e).conflicts()).singleElement()
                        .satisfies(c -> assertThat(c.position()).isEqualTo(2)));
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);

        IngestResult same = send(RevisionRules.REVISE, snapshot("rev-repeat", 11, 0.8), snapshot("rev-repeat", 11, 0.8));
        assertThat(same.revised()).as("an identical repeat: one revision, one duplicate").isEqualTo(1);
        assertThat(same.duplicate()).isEqualTo(1);
    }

    @Test
    void twoConcurrentRevisionsOfOneKeyLeaveExactlyOneCurrentRevision() throws Exception {
        send(RevisionRules.REVISE, snapshot("rev-race", 10, 0.9));
        CompletableFuture<IngestResult> a;
        CompletableFuture<IngestResult> b;
        try (Handle holder = db.jdbi().open()) {
            // hold the current revision so that both batches reach the lock and queue behind it
            holder.begin();
            holder.createQuery("""
                    SELECT s.id FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                     WHERE m.name = 'rev-race' AND s.superseded_at IS NULL FOR UPDATE OF s""").mapTo(Long.class).one();
            a = CompletableFuture.supplyAsync(() -> send(RevisionRules.REVISE, snapshot("rev-race", 11, 0.8)));
            b = CompletableFuture.supplyAsync(() -> send(RevisionRules.REVISE, snapshot("rev-race", 12, 0.7)));
            Await.until("both batches to wait for the key's lock", Duration.ofSeconds(30), () -> waitingOnALock() >= 2);
            holder.commit();
        }
        IngestResult ra = a.get(60, TimeUnit.SECONDS);
        IngestResult rb = b.get(60, TimeUnit.SECONDS);

        assertThat(ra.revised() + rb.revised()).as("each batch stored its value as a revision").isEqualTo(2);
        List<Map<String, Object>> rows = revisions("rev-race");
        assertThat(rows).extracting(r -> r.get("revision")).containsExactly(1, 2, 3);
        assertThat(rows).filteredOn(r -> (Boolean) r.get("current")).hasSize(1);
        assertThat(rows.get(1).get("replaces_id")).isEqualTo(rows.get(0).get("id"));
        assertThat(rows.get(2).get("replaces_id")).isEqualTo(rows.get(1).get("id"));
        assertThat(instant(rows.get(1).get("superseded_at"))).isAfterOrEqualTo(instant(rows.get(1).get("ingested_at")));
    }

    @Test
    void twoConcurrentFirstValuesOfANewKeyBecomeRevisionsOneAndTwo() throws Exception {
        send(RevisionRules.REVISE, snapshot("rev-new-race", HOUR.minus(1, ChronoUnit.HOURS), 1, 0.5, Finality.UNSAID)); // registers the version
        CompletableFuture<IngestResult> a;
        CompletableFuture<IngestResult> b;
        try (Handle holder = db.jdbi().open()) {
            // an uncommitted first value of the key makes both batches wait on the current-key index
            holder.begin();
            holder.execute("""
                    INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics)
                    SELECT v.model_id, v.id, ?, '', 'warehouse', 1, '{"accuracy": 0.1}'
                      FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = 'rev-new-race'""",
                    HOUR.atOffset(java.time.ZoneOffset.UTC));
            a = CompletableFuture.supplyAsync(() -> send(RevisionRules.REVISE, snapshot("rev-new-race", 11, 0.8)));
            b = CompletableFuture.supplyAsync(() -> send(RevisionRules.REVISE, snapshot("rev-new-race", 12, 0.7)));
            Await.until("both batches to wait for the uncommitted first value", Duration.ofSeconds(30), () -> waitingOnALock() >= 2);
            holder.rollback();
        }
        IngestResult ra = a.get(60, TimeUnit.SECONDS);
        IngestResult rb = b.get(60, TimeUnit.SECONDS);

        assertThat(ra.inserted() + rb.inserted()).as("one batch stored the first value").isEqualTo(1);
        assertThat(ra.revised() + rb.revised()).as("the other revised it").isEqualTo(1);
        List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.revision, s.superseded_at IS NULL AS current FROM orchestrator.metric_snapshot s
                  JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'rev-new-race' AND s.observed_at = :at ORDER BY s.revision""")
                .bind("at", HOUR.atOffset(java.time.ZoneOffset.UTC)).mapToMap().list());
        assertThat(rows).extracting(r -> r.get("revision")).containsExactly(1, 2);
        assertThat(rows).extracting(r -> r.get("current")).containsExactly(false, true);
    }

    private static long waitingOnALock() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()""")
                .mapTo(Long.class).one());
    }

    private static Instant instant(Object timestamp) {
        if (timestamp instanceof OffsetDateTime o) return o.toInstant();
        return ((java.sql.Timestamp) timestamp).toInstant();
    }
}
