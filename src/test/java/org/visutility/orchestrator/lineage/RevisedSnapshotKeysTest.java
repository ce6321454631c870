package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.collect.IngestChannel;
import org.visutility.orchestrator.collect.IngestListeners;
import org.visutility.orchestrator.collect.RevisionRules;
import org.visutility.orchestrator.collect.Snapshot;
import org.visutility.orchestrator.collect.SnapshotIngest;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Question 25 of docs/lineage.md finds revised windows by the rows of the partial index
 * metric_snapshot_revised_keys (revision > 1 OR superseded_at IS NOT NULL) instead of comparing
 * every key with its later revisions: both must return the same rows.
 */
@ExtendWith(PostgresExtension.class)
class RevisedSnapshotKeysTest {
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);

    /** Every revision of every key that has more than one, found by comparing each row with its key's revisions. */
    private static final String BY_KEYS = """
            SELECT r.snapshot_id FROM lineage.snapshot_revisions r
             WHERE EXISTS (SELECT 1 FROM lineage.snapshot_revisions later
                            WHERE later.model_version_id = r.model_version_id AND later.observed_at = r.observed_at
                              AND later.segment = r.segment AND later.source = r.source AND later.revision > 1)
               AND r.observed_at >= now() - interval '14 days'
             ORDER BY r.snapshot_id""";
    /** The same, as question 25 asks it (through the partial index). */
    private static final String BY_INDEX = """
            SELECT r.snapshot_id FROM lineage.snapshot_revisions r
             WHERE (r.revision > 1 OR r.superseded_at IS NOT NULL)
               AND r.observed_at >= now() - interval '14 days'
             ORDER BY r.snapshot_id""";

    @Test
    void theRevisionsOfRevisedKeysAreExactlyTheRowsTheirPartialIndexHolds(TestDatabase db) {
        SnapshotIngest ingest = new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners());
        // four hours of two segments; the eu window of hour 1 revised twice, the us window of hour 2 once
        send(ingest, List.of(at(0, "eu", 0.90), at(0, "us", 0.91), at(1, "eu", 0.80), at(1, "us", 0.81), at(2, "eu", 0.85),
                at(2, "us", 0.86), at(3, "eu", 0.88), at(3, "us", 0.87)));
        send(ingest, List.of(at(1, "eu", 0.83), at(2, "us", 0.89)));
        send(ingest, List.of(at(1, "eu", 0.84), at(3, "us", 0.87)));

        List<Long> byKeys = db.jdbi().withHandle(h -> h.createQuery(BY_KEYS).mapTo(Long.class).list());
        List<Long> byIndex = db.jdbi().withHandle(h -> h.createQuery(BY_INDEX).mapTo(Long.class).list());

        assertThat(byKeys).as("three revisions of one key, two of the other").hasSize(5);
        assertThat(byIndex).containsExactlyElementsOf(byKeys);
        String plan = db.jdbi().withHandle(h -> {
            h.execute("SET enable_seqscan = off");
            return String.join("\n", h.createQuery("EXPLAIN " + BY_INDEX).mapTo(String.class).list());
        });
        // each monthly partition has its own copy of the index, attached to the partitioned one
        List<String> partitionIndexes = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'orchestrator.metric_snapshot_revised_keys'::regclass""").mapTo(String.class).list());
        assertThat(partitionIndexes).isNotEmpty();
        assertThat(partitionIndexes).as("the plan reads a partition's copy of the partial index:\n" + plan).anyMatch(plan::contains);
        assertThat(plan).doesNotContain("Seq Scan on metric_snapshot");
    }

    private static Snapshot at(int hoursBefore, String segment, double accuracy) {
        return new Snapshot("revised-keys", "v1", HOUR.minus(hoursBefore, ChronoUnit.HOURS), 1000, segment, "warehouse",
                Map.of("accuracy", accuracy));
    }

    private static void send(SnapshotIngest ingest, List<Snapshot> snapshots) {
        ingest.ingest(IngestChannel.FILE, "test", sink -> {
            for (int i = 0; i < snapshots.size(); i++) sink.add(i + 1, snapshots.get(i));
        }, RevisionRules.REVISE);
    }
}
