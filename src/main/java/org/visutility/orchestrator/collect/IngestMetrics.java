package org.visutility.orchestrator.collect;

import io.micrometer.core.instrument.Metrics;

/**
 * Ingest in Micrometer's global registry (GET /metrics): {@code orchestrator_snapshots_accepted_total{channel}}
 * counts the snapshots of accepted batches (new and already stored alike);
 * {@code orchestrator_snapshots_revised_total{channel}} those of them stored as revisions of a stored key;
 * {@code orchestrator_snapshot_batches_total{channel,outcome,reason}} counts batches (HTTP requests,
 * files, collector pulls), accepted (reason {@code none}) or rejected by reason. A rejected batch
 * writes nothing, so its snapshots are counted nowhere else. {@code orchestrator_snapshot_batches_copied_total{channel}}
 * counts the accepted batches whose keys were all new and went straight in by COPY (the rest went
 * through the staging table).
 */
public final class IngestMetrics {
    public static final String SNAPSHOTS_ACCEPTED = "orchestrator.snapshots.accepted";
    public static final String BATCHES = "orchestrator.snapshot.batches";
    public static final String SNAPSHOTS_REVISED = "orchestrator.snapshots.revised";
    public static final String BATCHES_COPIED = "orchestrator.snapshot.batches.copied";

    /** Why a batch was rejected (the reason tag). */
    public enum Reason {
        /** No bearer token though tokens are configured (401). */
        MISSING_TOKEN,
        /** A bearer token that is not one of ORCHESTRATOR_INGEST_TOKENS (403), e.g. a client left behind by a rotation. */
        WRONG_TOKEN,
        /** No tokens configured and the caller is not on loopback (403). */
        NOT_LOOPBACK,
        /** Not application/json (415). */
        UNSUPPORTED_MEDIA_TYPE,
        /** Over the body or batch size limit (413). */
        TOO_LARGE,
        /** The body could not be read (400). */
        UNREADABLE,
        /** Items break the rules, or name unknown models that may not be registered (400). */
        INVALID,
        /** A key is stored with different values (409). */
        CONFLICT,
        /** The write failed: the database is away or an internal error (503/500). */
        ERROR;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private IngestMetrics() {
    }

    static void accepted(IngestChannel channel, int snapshots, int revised) {
        Metrics.counter(SNAPSHOTS_ACCEPTED, "channel", channel.column()).increment(snapshots);
        Metrics.counter(SNAPSHOTS_REVISED, "channel", channel.column()).increment(revised);
        Metrics.counter(BATCHES, "channel", channel.column(), "outcome", "accepted", "reason", "none").increment();
    }

    /** An accepted batch written straight in by COPY (all its keys new). */
    static void copied(IngestChannel channel) {
        Metrics.counter(BATCHES_COPIED, "channel", channel.column()).increment();
    }

    static void rejected(IngestChannel channel, Reason reason) {
        Metrics.counter(BATCHES, "channel", channel.column(), "outcome", "rejected", "reason", reason.tag()).increment();
    }
}
