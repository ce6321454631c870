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
import java.util.HashMap;
import java.util.Map;
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
    private static final String UNIQUE_VIOLATION_STATE = "23505";
    /** Rounds lost to concurrent batches storing the same new keys before the input is refused (it may be sent again). */
    private static final int MAX_CONCURRENT_FIRST_VALUES = 20;

    /** Work that must commit or roll back together with a batch (a SQL collector's watermark). */
    @FunctionalInterface
    public interface CommitStep {
        void run(Handle transaction, IngestResult result);
    }

    /**
     * Takes note of a staged snapshot the write refused and left out of the batch (a SQL collector
     * with on_invalid_row: skip_row): its position, the snapshot as JSON, the field and the rule.
     */
    @FunctionalInterface
    public interface RefusedSnapshots {
        void leftOut(int position, String snapshotJson, String field, String rule);
    }

    private final Jdbi jdbi;
    private final SnapshotBatchValidator validator;
    private final SnapshotWriter writer;
    private final boolean registerUnknown;
    private final SnapshotPartitions partitions;
    private final IngestListeners listeners;

    public SnapshotIngest(Jdbi jdbi, IngestSettings settings, IngestListeners listeners) {
        this.jdbi = jdbi;
        this.validator = new SnapshotBatchValidator(settings.extraBoundedMetrics(), settings.maxAge());
        this.writer = new SnapshotWriter(settings.registerUnknown());
        this.registerUnknown = settings.registerUnknown();
        this.partitions = new SnapshotPartitions(settings.maxNewPartitions());
        this.listeners = listeners;
    }

    public SnapshotBatchValidator validator() {
        return validator;
    }

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
        return ingest(channel, origin, source, rules, null, beforeCommit);
    }

    /**
     * As {@link #ingest(IngestChannel, String, SnapshotSource, RevisionRules, CommitStep)}, but snapshots the write
     * refuses (a conflict with a stored key, an unknown model that may not be registered) are left
     * out and told to {@code refused}, and the rest is written; with {@code refused} null they reject
     * the whole input. When every snapshot is left out nothing is written and {@code beforeCommit} does not run.
     */
    public IngestResult ingest(IngestChannel channel, String origin, SnapshotSource source, RevisionRules rules,
                               RefusedSnapshots refused, CommitStep beforeCommit) {
        IngestResult result;
        try {
            result = refused == null && source.canFeedAgain() ? copyNewOrStage(channel, origin, source, rules, beforeCommit)
                    : stageAndWrite(channel, origin, source, rules, refused, beforeCommit);
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

    /**
     * Tries the batch as all new keys, COPYed straight into the snapshot tables (most batches: fresh
     * observations); when the database or the lifecycle says otherwise, rolls that back and feeds the
     * source again through the staging table, which decides duplicates, conflicts and revisions.
     */
    private IngestResult copyNewOrStage(IngestChannel channel, String origin, SnapshotSource source, RevisionRules rules,
                                        CommitStep beforeCommit) {
        try (Handle handle = jdbi.open()) {
            NewSnapshotsCopy copy = new NewSnapshotsCopy(handle, partitions, registerUnknown, channel, origin, rules);
            NewSnapshotsPipeline pipeline = new NewSnapshotsPipeline(copy);
            try {
                try {
                    source.feedTo(pipeline);
                } catch (Exception e) {
                    pipeline.abandon();
                    throw e;
                }
                pipeline.finish();
                IngestResult result = copy.commit(beforeCommit);
                if (result.batchId() != null) IngestMetrics.copied(channel);
                return result;
            } catch (NewSnapshotsCopy.NotAllNewException e) {
                LOG.debug("Batch not written as all new keys ({}); writing it through the staging table", e.getMessage());
            } catch (RuntimeException e) {
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            } finally {
                copy.rollback();
            }
        }
        return stageAndWrite(channel, origin, source, rules, null, beforeCommit);
    }

    private IngestResult stageAndWrite(IngestChannel channel, String origin, SnapshotSource source, RevisionRules rules,
                                       RefusedSnapshots refused, CommitStep beforeCommit) {
        try (Handle handle = jdbi.open()) {
            StagingTable staging = stage(handle, source);
            try {
                if (staging.count() == 0) return new IngestResult(null, channel, origin, 0, 0, 0, Set.of());
                return write(handle, channel, origin, staging, rules, refused, beforeCommit);
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
                               RefusedSnapshots refused, CommitStep beforeCommit) {
        boolean partitionsEnsuredAgain = false;
        int concurrentFirstValues = 0;
        while (true) {
            partitions.ensure(handle, staging.months());
            try {
                return handle.inTransaction(tx -> {
                    IngestResult r = writer.write(tx, channel, origin, staging, rules);
                    beforeCommit.run(tx, r);
                    return r;
                });
            } catch (SnapshotConflictException | InvalidSnapshotsException e) {
                // the transaction rolled back; the staged rows are still there (COPYed outside it)
                if (refused == null || leaveOut(staging, e, refused) == 0) throw e;
                if (staging.count() == 0) return new IngestResult(null, channel, origin, 0, 0, 0, Set.of());
            } catch (JdbiException e) {
                if (isConcurrentFirstValue(e)) {
                    // another batch stored the same new key first; read again: it is now a duplicate or a revision
                    if (++concurrentFirstValues > MAX_CONCURRENT_FIRST_VALUES) {
                        throw new ConcurrentRevisionException("other batches kept storing the same new snapshot keys; nothing was written, send again");
                    }
                    LOG.debug("Another batch stored one of this batch's new keys first; writing again");
                    continue;
                }
                if (partitionsEnsuredAgain || !isMissingPartition(e)) throw e;
                partitionsEnsuredAgain = true;
                LOG.info("A snapshot partition was dropped since it was ensured; ensuring again");
                partitions.forget();
            }
        }
    }

    /** Takes the refused snapshots out of the staged batch; returns how many (none: the refusal is not about rows). */
    private static int leaveOut(StagingTable staging, RuntimeException refusal, RefusedSnapshots refused) {
        Map<Integer, String[]> why = new HashMap<>();
        if (refusal instanceof SnapshotConflictException c) {
            for (SnapshotConflictException.Conflict k : c.conflicts()) why.put(k.position(), new String[]{"key", IngestReports.CONFLICT_RULE});
        } else {
            for (Violation v : ((InvalidSnapshotsException) refusal).violations()) {
                if (v.position() == Violation.WHOLE_INPUT) return 0;
                why.putIfAbsent(v.position(), new String[]{v.field(), v.rule()});
            }
        }
        if (why.isEmpty()) return 0;
        return staging.drop(why.keySet(), (position, json) -> refused.leftOut(position, json, why.get(position)[0], why.get(position)[1]));
    }

    /**
     * Two batches inserting the same new key at once: the loser's insert can hit the unique
     * (key, revision) index before its ON CONFLICT arbiter (the current-key index) sees the winner.
     */
    private static boolean isConcurrentFirstValue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION_STATE.equals(s.getSQLState())
                    && String.valueOf(s.getMessage()).contains("metric_snapshot")) {
                return true;
            }
        }
        return false;
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
