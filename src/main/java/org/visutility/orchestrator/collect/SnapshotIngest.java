package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.IngestSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * The one write path of every collector: stage the validated snapshots with COPY, ensure their
 * partitions, then in one transaction register models, insert what is new (set-based) and record
 * the batch; tell the listeners once it committed. A rejected input writes nothing.
 */
public final class SnapshotIngest {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotIngest.class);
    /** PostgreSQL's check_violation, raised when no partition holds a row. */
    private static final String NO_PARTITION_STATE = "23514";

    /** Work that must commit or roll back together with a batch (a SQL collector's watermark). */
    @FunctionalInterface
    public interface CommitStep {
        void run(Handle transaction, IngestResult result);
    }

    private final Jdbi jdbi;
    private final SnapshotBatchValidator validator;
    private final SnapshotWriter writer;
    private final SnapshotPartitions partitions;
    private final IngestListeners listeners;

    public SnapshotIngest(Jdbi jdbi, IngestSettings settings, IngestListeners listeners) {
        this.jdbi = jdbi;
        this.validator = new SnapshotBatchValidator(settings.extraBoundedMetrics(), settings.maxAge());
        this.writer = new SnapshotWriter(settings.registerUnknown());
        this.partitions = new SnapshotPartitions(settings.maxNewPartitions());
        this.listeners = listeners;
    }

    public SnapshotBatchValidator validator() {
        return validator;
    }

    /** Ingests with {@link RevisionRules#REJECT}: a changed value for a stored key is a conflict. */
    public IngestResult ingest(IngestChannel channel, String origin, SnapshotSource source) {
        return ingest(channel, origin, source, RevisionRules.REJECT);
    }

    public IngestResult ingest(IngestChannel channel, String origin, SnapshotSource source, RevisionRules rules) {
        return ingest(channel, origin, source, rules, (tx, result) -> {
        });
    }

    /**
     * Ingests what the source feeds; {@code beforeCommit} runs in the batch's transaction once the
     * snapshots are written. An empty source writes nothing and runs nothing.
     *
     * @param rules what a changed value for a stored key does, and the source's default finality
     * @throws InvalidSnapshotsException  the source found invalid items, unknown models may not be registered,
     *                                    or the rules refuse a revision (a settled window, a key too old)
     * @throws SnapshotConflictException  a key is stored (reject) or repeated in the input with different values
     */
    public IngestResult ingest(IngestChannel channel, String origin, SnapshotSource source, RevisionRules rules, CommitStep beforeCommit) {
        IngestResult result;
        try {
            result = stageAndWrite(channel, origin, source, rules, beforeCommit);
        } catch (InvalidSnapshotsException e) {
            IngestMetrics.rejected(channel, IngestMetrics.Reason.INVALID);
            throw e;
        } catch (SnapshotConflictException e) {
            IngestMetrics.rejected(channel, IngestMetrics.Reason.CONFLICT);
            throw e;
        } catch (RuntimeException e) {
            IngestMetrics.rejected(channel, IngestMetrics.Reason.ERROR);
            throw e;
        }
        IngestMetrics.accepted(channel, result.snapshots(), result.revised());
        if (result.batchId() != null) listeners.batchCommitted(result);
        return result;
    }

    private IngestResult stageAndWrite(IngestChannel channel, String origin, SnapshotSource source, RevisionRules rules,
                                       CommitStep beforeCommit) {
        try (Handle handle = jdbi.open()) {
            StagingTable staging = stage(handle, source);
            try {
                if (staging.count() == 0) return new IngestResult(null, channel, origin, 0, 0, 0, Set.of());
                return write(handle, channel, origin, staging, rules, beforeCommit);
            } finally {
                clearQuietly(staging);
            }
        }
    }

    private static StagingTable stage(Handle handle, SnapshotSource source) {
        StagingTable staging;
        try {
            staging = StagingTable.open(handle);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start staging snapshots: " + e.getMessage(), e);
        }
        try {
            source.feedTo(staging);
            staging.finish();
            return staging;
        } catch (RuntimeException e) {
            staging.cancel();
            throw e;
        } catch (IOException e) {
            staging.cancel();
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            staging.cancel();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private IngestResult write(Handle handle, IngestChannel channel, String origin, StagingTable staging, RevisionRules rules,
                               CommitStep beforeCommit) {
        for (int attempt = 1; ; attempt++) {
            partitions.ensure(handle, staging.months());
            try {
                return handle.inTransaction(tx -> {
                    IngestResult r = writer.write(tx, channel, origin, staging, rules);
                    beforeCommit.run(tx, r);
                    return r;
                });
            } catch (JdbiException e) {
                if (attempt > 1 || !isMissingPartition(e)) throw e;
                LOG.info("A snapshot partition was dropped since it was ensured; ensuring again");
                partitions.forget();
            }
        }
    }

    private static boolean isMissingPartition(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && NO_PARTITION_STATE.equals(s.getSQLState())
                    && String.valueOf(s.getMessage()).contains("no partition")) {
                return true;
            }
        }
        return false;
    }

    private static void clearQuietly(StagingTable staging) {
        try {
            staging.clear();
        } catch (RuntimeException e) {
            LOG.debug("Could not empty the staging table (the connection is likely gone): {}", e.getMessage());
        }
    }
}
