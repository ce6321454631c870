package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.IngestSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * The one write path of histograms, whatever brought them (HTTP, a file, a SQL collector): stage the
 * validated items with COPY, then in one transaction register models and versions, insert what is
 * new and record the batch. An invalid input or a conflicting key writes nothing. Histograms are
 * never revised: the same one again is a duplicate, another one for a stored key a conflict.
 */
public final class DistributionIngest {
    private static final Logger LOG = LoggerFactory.getLogger(DistributionIngest.class);

    private final Jdbi jdbi;
    private final DistributionBatchValidator validator;
    private final DistributionWriter writer;

    public DistributionIngest(Jdbi jdbi, IngestSettings settings) {
        this.jdbi = jdbi;
        this.validator = new DistributionBatchValidator(new SnapshotBatchValidator(settings.extraBoundedMetrics(), settings.maxAge()),
                new HistogramRules(settings.maxHistogramBins()));
        this.writer = new DistributionWriter(settings.registerUnknown());
    }

    public DistributionBatchValidator validator() {
        return validator;
    }

    public IngestResult ingest(IngestChannel channel, String origin, DistributionSource source) {
        return ingest(channel, origin, source, (tx, result) -> {
        });
    }

    /**
     * Ingests what the source feeds; {@code beforeCommit} runs in the batch's transaction once the
     * histograms are written (a SQL collector's watermark). An empty source writes nothing and runs nothing.
     *
     * @throws InvalidSnapshotsException     invalid items, or unknown models that may not be registered
     * @throws DistributionConflictException a key is stored, or repeated in the input, with another histogram
     */
    public IngestResult ingest(IngestChannel channel, String origin, DistributionSource source, SnapshotIngest.CommitStep beforeCommit) {
        try (Handle handle = jdbi.open()) {
            DistributionStaging staging = stage(handle, source);
            try {
                if (staging.count() == 0) return new IngestResult(null, channel, origin, 0, 0, 0, Set.of());
                return handle.inTransaction(tx -> {
                    IngestResult r = writer.write(tx, channel, origin, staging);
                    beforeCommit.run(tx, r);
                    return r;
                });
            } finally {
                try {
                    staging.clear();
                } catch (RuntimeException e) {
                    LOG.debug("Could not empty the distribution staging table (the connection is likely gone): {}", e.getMessage());
                }
            }
        }
    }

    private static DistributionStaging stage(Handle handle, DistributionSource source) {
        DistributionStaging staging;
        try {
            staging = DistributionStaging.open(handle);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start staging histograms: " + e.getMessage(), e);
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
}
