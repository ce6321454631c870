package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.model.ServingReports;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Moves staged histograms into orchestrator.distribution_snapshot inside the caller's transaction,
 * set-based: opens the ingest batch (item_kind distributions), registers unknown models and versions
 * as snapshots do ({@link ServingReports}: a never-seen version is registered active or retired),
 * inserts what is new in one statement, and refuses keys stored with another histogram. Throws (so
 * that the transaction rolls back) on unknown models when they may not be registered and on conflicts.
 */
final class DistributionWriter {
    static final String ITEM_KIND = "distributions";

    private final boolean registerUnknown;

    DistributionWriter(boolean registerUnknown) {
        this.registerUnknown = registerUnknown;
    }

    IngestResult write(Handle tx, IngestChannel channel, String origin, DistributionStaging staged) {
        long batch = SnapshotWriter.insertBatch(tx, channel, origin, staged.count(), ITEM_KIND);
        if (registerUnknown) {
            SnapshotWriter.registerModels(tx, staged.models());
        } else {
            SnapshotWriter.rejectUnknown(tx, "FindUnknownDistributionVersions");
        }
        // registration only: the first snapshots (metrics) of an approved version activate it, histograms do not
        ServingReports.beforeSnapshots(tx, batch, staged.reported());
        int inserted = tx.createQuery(SqlFiles.load(DistributionWriter.class, "InsertDistributions"))
                .bind("batch", batch).mapTo(Integer.class).one();
        if (inserted < staged.count()) rejectConflicts(tx);
        Long batchId = SnapshotWriter.finishBatch(tx, batch, inserted, 0);
        return new IngestResult(batchId, channel, origin, staged.count(), inserted, staged.count() - inserted, staged.models());
    }

    private static void rejectConflicts(Handle tx) {
        List<DistributionConflictException.Conflict> conflicts = tx.createQuery(SqlFiles.load(DistributionWriter.class, "FindDistributionConflicts"))
                .bind("limit", SnapshotWriter.MAX_REPORTED)
                .map((rs, ctx) -> new DistributionConflictException.Conflict(rs.getInt("position"), rs.getString("model"),
                        rs.getString("version"), rs.getObject("observed_at", OffsetDateTime.class).toInstant(),
                        rs.getString("segment"), rs.getString("source"), rs.getString("feature")))
                .list();
        if (!conflicts.isEmpty()) throw new DistributionConflictException(conflicts);
    }
}
