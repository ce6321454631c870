package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.model.ServingReports;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.config.Setting;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves staged snapshots into the snapshot tables inside the caller's transaction, set-based:
 * registers models, lets the version lifecycle register never-seen versions and activate approved
 * ones ({@link ServingReports}), inserts what is new, tells duplicates from changed values (conflicts
 * for a reject source, revisions for a revise source: {@link SnapshotRevisions}), keeps the newest
 * snapshot per version and segment (orchestrator.snapshot_latest), and records the ingest batch.
 * Throws (so that the transaction rolls back) on unknown models when they may not be registered, on
 * conflicts and on revisions the rules refuse.
 */
final class SnapshotWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    /** The most conflicts or unknown versions one rejection lists (a whole HTTP batch). */
    static final int MAX_REPORTED = SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH;
    /** orchestrator.ingest_batch.item_kind of a snapshot batch. */
    static final String ITEM_KIND = "snapshots";

    private final boolean registerUnknown;

    SnapshotWriter(boolean registerUnknown) {
        this.registerUnknown = registerUnknown;
    }

    IngestResult write(Handle tx, IngestChannel channel, String origin, StagingTable staged, RevisionRules rules) {
        long batch = insertBatch(tx, channel, origin, staged.count(), ITEM_KIND);
        if (registerUnknown) {
            registerModels(tx, staged.models());
        } else {
            rejectUnknown(tx, "FindUnknownVersions");
        }
        // never-seen versions are registered here, as the serving rule says (ServingReports)
        ServingReports.Pending lifecycle = ServingReports.beforeSnapshots(tx, batch, staged.reported());
        int inserted = tx.createQuery(SqlFiles.load(SnapshotWriter.class, "InsertSnapshots"))
                .bind("batch", batch)
                .bind("settle", rules.settleInterval())
                .bind("finalWhenUnsaid", rules.finalWhenUnsaid())
                .mapTo(Integer.class).one();
        int revised = 0;
        if (inserted < staged.count()) {
            if (rules.revises()) {
                revised = new SnapshotRevisions(tx, batch, rules).revise(staged.saysFinal());
            } else {
                rejectConflicts(tx, "FindConflicts");
                if (staged.saysFinal()) settleDuplicates(tx, null);
            }
        }
        lifecycle.afterSnapshots(tx, batch);
        keepLatestSnapshots(tx);
        Long batchId = finishBatch(tx, batch, inserted, revised);
        return new IngestResult(batchId, channel, origin, staged.count(), inserted, revised, staged.count() - inserted - revised,
                staged.models());
    }

    /** Settles the current provisional revisions that staged snapshots repeat and say final; at {@code at}, or now (null). */
    static void settleDuplicates(Handle tx, OffsetDateTime at) {
        var q = tx.createQuery(SqlFiles.load(SnapshotWriter.class, "SettleDuplicates"));
        if (at == null) q.bindNull("at", java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        else q.bind("at", at);
        q.mapTo(Integer.class).one();
    }

    /** orchestrator.snapshot_latest follows the batch in its transaction (lineage.model_freshness reads it). */
    private static void keepLatestSnapshots(Handle tx) {
        tx.createQuery(SqlFiles.load(SnapshotWriter.class, "UpdateSnapshotLatest")).mapTo(Integer.class).one();
    }

    /** Opens the batch's orchestrator.ingest_batch row (snapshots or distributions); returns its id. */
    static long insertBatch(Handle tx, IngestChannel channel, String origin, int items, String itemKind) {
        return tx.createQuery(SqlFiles.load(SnapshotWriter.class, "InsertIngestBatch"))
                .bind("channel", channel.column())
                .bind("origin", origin)
                .bind("snapshotCount", items)
                .bind("itemKind", itemKind)
                .mapTo(Long.class).one();
    }

    /** Closes the batch: its counts, or (nothing new) deletes it, so that a resent batch leaves no trace; returns its id or null. */
    static Long finishBatch(Handle tx, long batch, int inserted, int revised) {
        if (inserted + revised == 0) {
            tx.createUpdate(SqlFiles.load(SnapshotWriter.class, "DiscardIngestBatch")).bind("batch", batch).execute();
            return null;
        }
        tx.createUpdate(SqlFiles.load(SnapshotWriter.class, "FinishIngestBatch")).bind("batch", batch)
                .bind("inserted", inserted).bind("revised", revised).execute();
        return batch;
    }

    /** Registers the models never seen before (ingest_register_unknown). */
    static void registerModels(Handle tx, java.util.Collection<String> models) {
        List<String> newModels = tx.createQuery(SqlFiles.load(SnapshotWriter.class, "RegisterModels"))
                .bindArray("names", String.class, models)
                .mapTo(String.class).list();
        for (String m : newModels) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("model", m)) {
                LOG.info("Registered model {} on first sight", m);
            }
        }
    }

    /** Throws the staged items (the named query finds them) of models or versions not registered, if any. */
    static void rejectUnknown(Handle tx, String query) {
        List<Map<String, Object>> rows = tx.createQuery(SqlFiles.load(SnapshotWriter.class, query))
                .bind("limit", MAX_REPORTED).mapToMap().list();
        if (rows.isEmpty()) return;
        String because = " (" + Setting.INGEST_REGISTER_UNKNOWN.env() + " is false: register it first)";
        List<Violation> violations = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            int position = ((Number) r.get("position")).intValue();
            if (Boolean.TRUE.equals(r.get("unknown_model"))) {
                violations.add(new Violation(position, "model", "unknown model \"" + r.get("model") + "\"" + because));
            } else {
                violations.add(new Violation(position, "version", "unknown version \"" + r.get("version") + "\" of model \""
                        + r.get("model") + "\"" + because));
            }
        }
        throw new InvalidSnapshotsException(violations, ((Number) rows.get(0).get("total")).intValue());
    }

    /** Throws the conflicts the named query finds (staged snapshots against stored or earlier ones), if any. */
    static void rejectConflicts(Handle tx, String query) {
        List<SnapshotConflictException.Conflict> conflicts = tx.createQuery(SqlFiles.load(SnapshotWriter.class, query))
                .bind("limit", MAX_REPORTED)
                .map((rs, ctx) -> new SnapshotConflictException.Conflict(rs.getInt("position"), rs.getString("model"),
                        rs.getString("version"), rs.getObject("observed_at", OffsetDateTime.class).toInstant(),
                        rs.getString("segment"), rs.getString("source")))
                .list();
        if (!conflicts.isEmpty()) throw new SnapshotConflictException(conflicts);
    }
}
