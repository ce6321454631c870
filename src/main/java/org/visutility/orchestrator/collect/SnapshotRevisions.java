package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a revise source's changed values as revisions, inside the batch's transaction, once the new
 * keys are inserted: rejects a key given twice with different values, locks the current revisions
 * whose value changed in key order (duplicates lock nothing), refuses revisions of settled windows
 * and of keys older than the source's max_revision_age, then marks the replaced revisions (and their
 * metric values) superseded and inserts the new ones, all at one instant.
 * The partial unique index metric_snapshot_current_key keeps one current revision per key whatever
 * the interleaving; the lock makes a concurrent batch wait and then revise the revision it finds.
 */
final class SnapshotRevisions {
    /**
     * How often the current revisions are locked again when another batch superseded some while this
     * one waited; each pass takes the revisions the other batches committed, so a second pass is rare.
     */
    static final int MAX_LOCK_PASSES = 20;

    private final Handle tx;
    private final long batch;
    private final RevisionRules rules;

    SnapshotRevisions(Handle tx, long batch, RevisionRules rules) {
        this.tx = tx;
        this.batch = batch;
        this.rules = rules;
    }

    /** One locked current revision and the first staged snapshot of its key, whose value differs. */
    private record Current(int position, String model, String version, Instant observedAt, String segment, String source,
                           long id, int revision, Instant settledAt) {
        String key() {
            return "model=" + model + " version=" + version + " observed_at=" + observedAt + " segment=" + segment + " source=" + source;
        }
    }

    /**
     * @param saysFinal whether some staged snapshot says final (only then can a duplicate settle a provisional revision)
     * @return how many revisions were stored
     * @throws SnapshotConflictException a key is given twice in the input with different values
     * @throws InvalidSnapshotsException revisions the rules refuse (settled window, too late), by position
     */
    int revise(boolean saysFinal) {
        SnapshotWriter.rejectConflicts(tx, "FindRepeatedKeyConflicts");
        List<Current> changed = lockChanged();
        OffsetDateTime at = tx.createQuery(SqlFiles.load(SnapshotRevisions.class, "CurrentInstant")).mapTo(OffsetDateTime.class).one();
        int revised = 0;
        if (!changed.isEmpty()) {
            refuseWhatTheRulesForbid(changed, at.toInstant());
            revised = store(changed, at);
        }
        if (saysFinal) SnapshotWriter.settleDuplicates(tx, at);
        return revised;
    }

    private List<Current> lockChanged() {
        for (int pass = 1; ; pass++) {
            long expected = tx.createQuery(SqlFiles.load(SnapshotRevisions.class, "CountChangedRevisions"))
                    .bind("batch", batch).mapTo(Long.class).one();
            if (expected == 0) return List.of();
            List<Current> locked = tx.createQuery(SqlFiles.load(SnapshotRevisions.class, "LockChangedRevisions"))
                    .bind("batch", batch)
                    .map((rs, ctx) -> new Current(rs.getInt("position"), rs.getString("model"), rs.getString("version"),
                            rs.getObject("observed_at", OffsetDateTime.class).toInstant(), rs.getString("segment"), rs.getString("source"),
                            rs.getLong("id"), rs.getInt("revision"),
                            rs.getObject("settled_at", OffsetDateTime.class) == null ? null
                                    : rs.getObject("settled_at", OffsetDateTime.class).toInstant()))
                    .list();
            // a revision superseded by a batch that committed while this one waited is skipped by the lock:
            // fewer locked than counted means count again and lock the revisions that batch stored
            if (locked.size() >= expected) return locked;
            if (pass == MAX_LOCK_PASSES) {
                throw new ConcurrentRevisionException("other batches kept revising the same snapshot keys; nothing was written, send again");
            }
        }
    }

    private void refuseWhatTheRulesForbid(List<Current> changed, Instant at) {
        List<Violation> violations = new ArrayList<>();
        Instant oldestRevisable = rules.maxRevisionAge() == null ? null : at.minus(rules.maxRevisionAge());
        for (Current c : changed) {
            if (c.settledAt() != null && !c.settledAt().isAfter(at)) {
                violations.add(new Violation(c.position(), "observed_at", "changes the value of " + c.key() + " (revision "
                        + c.revision() + "), whose window settled at " + c.settledAt() + ": a settled window is final and is not revised"));
            } else if (oldestRevisable != null && c.observedAt().isBefore(oldestRevisable)) {
                violations.add(new Violation(c.position(), "observed_at", "changes the value of " + c.key() + " too late: it was observed"
                        + " more than max_revision_age (" + Durations.format(rules.maxRevisionAge()) + ") ago, before " + oldestRevisable));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidSnapshotsException(violations.subList(0, Math.min(violations.size(), SnapshotWriter.MAX_REPORTED)),
                    violations.size());
        }
    }

    private int store(List<Current> changed, OffsetDateTime at) {
        Long[] ids = changed.stream().map(Current::id).toArray(Long[]::new);
        OffsetDateTime[] observedAts = changed.stream().map(c -> c.observedAt().atOffset(java.time.ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
        Integer[] positions = changed.stream().map(Current::position).toArray(Integer[]::new);
        int superseded = tx.createQuery(SqlFiles.load(SnapshotRevisions.class, "SupersedeRevisions"))
                .bindArray("ids", Long.class, (Object[]) ids)
                .bindArray("observedAts", OffsetDateTime.class, (Object[]) observedAts)
                .bind("at", at)
                .mapTo(Integer.class).one();
        if (superseded != changed.size()) {
            throw new IllegalStateException("superseded " + superseded + " of " + changed.size() + " locked revisions");
        }
        return tx.createQuery(SqlFiles.load(SnapshotRevisions.class, "InsertRevisions"))
                .bindArray("positions", Integer.class, (Object[]) positions)
                .bindArray("ids", Long.class, (Object[]) ids)
                .bind("batch", batch)
                .bind("at", at)
                .bind("settle", rules.settleInterval())
                .bind("finalWhenUnsaid", rules.finalWhenUnsaid())
                .mapTo(Integer.class).one();
    }
}
