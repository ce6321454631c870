package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.model.VersionTransitions;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the serving stack's snapshots do to the version lifecycle, in the ingest transaction: the
 * first snapshots of an approved version activate it, a never-seen version takes over only when it
 * reports newer than the active one, and a candidate's or rejected version's snapshots change nothing.
 */
@ExtendWith(PostgresExtension.class)
class IngestDrivesTheVersionLifecycleTest {
    private static final Instant T = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(12));

    private TestDatabase db;
    private SnapshotIngest ingest;

    @BeforeEach
    void ingestInto(TestDatabase db) {
        this.db = db;
        this.ingest = new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners());
    }

    private IngestResult report(String model, String version, Instant... at) {
        return ingest.ingest(IngestChannel.FILE, "test", sink -> {
            for (int i = 0; i < at.length; i++) {
                sink.add(i, new Snapshot(model, version, at[i], 1000, "", "serving", Map.of("accuracy", 0.9)));
            }
        });
    }

    private long snapshots(String model, String version) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model_version v ON v.id = s.model_version_id
                  JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = :model AND v.version = :version""")
                .bind("model", model).bind("version", version).mapTo(Long.class).one());
    }

    private JsonNode lastEvidence(String model, String version) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT CAST(e.evidence AS text) FROM orchestrator.model_version_event e
                  JOIN orchestrator.model_version v ON v.id = e.model_version_id JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :model AND v.version = :version ORDER BY e.id DESC LIMIT 1""")
                .bind("model", model).bind("version", version).mapTo(String.class).one()).transform(text -> {
                    try {
                        return Json.MAPPER.readTree(text);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    private void approve(String model, String version) {
        long id = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT v.id FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :model AND v.version = :version""").bind("model", model).bind("version", version).mapTo(Long.class).one());
        db.jdbi().useTransaction(h -> VersionTransitions.change(h, id, VersionStatus.APPROVED, Actor.GATE, "scored better", null));
    }

    @Test
    void theFirstSnapshotsOfAnApprovedVersionMakeItActiveAndRetireTheActiveOne() {
        report("churn", "v1", T, T.plusSeconds(600));
        Lifecycles.version(db.jdbi(), "churn", "v2", "candidate");
        // shadow traffic of the candidate: recorded, nothing changes
        report("churn", "v2", T.plusSeconds(600));
        assertThat(Lifecycles.statuses(db.jdbi(), "churn")).containsEntry("v1", "active").containsEntry("v2", "candidate");
        assertThat(snapshots("churn", "v2")).isEqualTo(1);

        approve("churn", "v2");
        // the shadow snapshot sent again is a duplicate: nothing new under v2, nothing activated
        IngestResult again = report("churn", "v2", T.plusSeconds(600));
        assertThat(again.inserted()).isZero();
        assertThat(Lifecycles.status(db.jdbi(), "churn", "v2")).isEqualTo("approved");

        IngestResult first = report("churn", "v2", T.plusSeconds(1200), T.plusSeconds(1800));

        assertThat(Lifecycles.statuses(db.jdbi(), "churn")).containsEntry("v1", "retired").containsEntry("v2", "active");
        assertThat(Lifecycles.events(db.jdbi(), "churn", "v2")).containsExactly("(new) -> candidate by serving",
                "candidate -> approved by gate", "approved -> active by serving");
        assertThat(Lifecycles.events(db.jdbi(), "churn", "v1")).containsExactly("(new) -> active by serving", "active -> retired by serving");
        JsonNode evidence = lastEvidence("churn", "v2");
        assertThat(evidence.path("batch_id").asLong()).isEqualTo(first.batchId());
        assertThat(evidence.path("snapshots").asInt()).isEqualTo(2);
        assertThat(evidence.path("retired").asText()).isEqualTo("v1");

        // late snapshots of the retired version are recorded and bring it back to nothing
        report("churn", "v1", T.plusSeconds(1200));
        assertThat(snapshots("churn", "v1")).isEqualTo(3);
        assertThat(Lifecycles.statuses(db.jdbi(), "churn")).containsEntry("v1", "retired").containsEntry("v2", "active");
        assertThat(Lifecycles.brokenChains(db.jdbi(), "churn")).isEmpty();
    }

    @Test
    void aNeverSeenVersionTakesOverOnlyWhenItReportsNewerThanTheActiveOne() {
        report("fraud", "f1", T, T.plusSeconds(600));
        assertThat(Lifecycles.events(db.jdbi(), "fraud", "f1")).containsExactly("(new) -> active by serving");

        // older history of a version never seen: registered, retired
        report("fraud", "f0", T.minus(Duration.ofDays(1)));
        assertThat(Lifecycles.statuses(db.jdbi(), "fraud")).containsEntry("f0", "retired").containsEntry("f1", "active");
        assertThat(Lifecycles.events(db.jdbi(), "fraud", "f0")).containsExactly("(new) -> retired by serving");

        // a new version reporting after the active one's newest snapshot takes over
        report("fraud", "f2", T.plusSeconds(1200));
        assertThat(Lifecycles.statuses(db.jdbi(), "fraud")).containsEntry("f1", "retired").containsEntry("f2", "active");

        // two new versions in one batch: the one observed last takes over
        ingest.ingest(IngestChannel.FILE, "test", sink -> {
            sink.add(0, new Snapshot("fraud", "f4", T.plusSeconds(2400), 1000, "", "serving", Map.of("accuracy", 0.9)));
            sink.add(1, new Snapshot("fraud", "f3", T.plusSeconds(1800), 1000, "", "serving", Map.of("accuracy", 0.9)));
        });
        assertThat(Lifecycles.statuses(db.jdbi(), "fraud")).containsEntry("f2", "retired").containsEntry("f3", "retired")
                .containsEntry("f4", "active");
        assertThat(Lifecycles.events(db.jdbi(), "fraud", "f3")).containsExactly("(new) -> retired by serving");
        assertThat(Lifecycles.brokenChains(db.jdbi(), "fraud")).isEmpty();
    }

    @Test
    void snapshotsOfACandidateOrARejectedVersionAreRecordedAndChangeNothing() {
        report("ranker", "r1", T);
        Lifecycles.version(db.jdbi(), "ranker", "r2", "candidate");
        Lifecycles.version(db.jdbi(), "ranker", "r3", "candidate");
        long r3 = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM orchestrator.model_version WHERE version = 'r3'").mapTo(Long.class).one());
        db.jdbi().useTransaction(h -> VersionTransitions.change(h, r3, VersionStatus.REJECTED, Actor.GATE, "worse on recall", null));
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());

        report("ranker", "r2", T.plusSeconds(600));
        report("ranker", "r3", T.plusSeconds(1200));

        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);
        assertThat(List.of(snapshots("ranker", "r2"), snapshots("ranker", "r3"))).containsExactly(1L, 1L);
    }
}
