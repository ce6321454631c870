package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** orchestrator.collector_watermark: how far each SQL collector has pulled, and how its last run went. */
final class CollectorWatermarks {
    /** The longest error text kept for a failed run. */
    static final int MAX_ERROR_CHARS = 2000;

    private final Jdbi jdbi;

    CollectorWatermarks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<Instant> current(String collector) {
        return jdbi.withHandle(h -> h.createQuery(SqlFiles.load(CollectorWatermarks.class, "CurrentWatermark"))
                .bind("collector", collector)
                .mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant));
    }

    /** Records a successful run, in the pull's own transaction; {@code skipped} rows were left out (skip_row). */
    void advance(Handle handle, String collector, Instant watermark, Long batchId, int rows, int skipped) {
        handle.createUpdate(SqlFiles.load(CollectorWatermarks.class, "AdvanceWatermark"))
                .bind("collector", collector)
                .bindByType("watermark", watermark == null ? null : watermark.atOffset(ZoneOffset.UTC), OffsetDateTime.class)
                .bindByType("batch", batchId, Long.class)
                .bind("rows", rows)
                .bind("skipped", skipped)
                .execute();
    }

    /** Records a failed run (one more in a row), in the caller's transaction. */
    void recordFailure(Handle handle, String collector, String error) {
        handle.createUpdate(SqlFiles.load(CollectorWatermarks.class, "RecordCollectorFailure"))
                .bind("collector", collector)
                .bind("error", cut(error))
                .execute();
    }

    static String cut(String error) {
        return error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "..." : error;
    }
}
