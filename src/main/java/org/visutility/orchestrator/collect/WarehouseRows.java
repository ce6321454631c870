package org.visutility.orchestrator.collect;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The loop every SQL collector run shares, whatever its rows hold (snapshots or histograms): each
 * warehouse row validated, an invalid one recorded and either failing the run or left out
 * (skip_row), the highest watermark kept, the valid rows handed on.
 */
final class WarehouseRows<T> {
    /** How one kind of row is read and validated. */
    interface Reading<T> {
        /** The row's item, or null with its violations added to {@code out}. */
        T validate(int row, ResultSet rs, List<Violation> out) throws SQLException;

        /** The watermark a valid row advances to. */
        Instant watermark(ResultSet rs, T item) throws SQLException;

        /** An invalid row's watermark column, when the query has one: its observed_at is not to be trusted. */
        Optional<Instant> declaredWatermark(ResultSet rs) throws SQLException;
    }

    /** Where the valid rows go. */
    interface Sink<T> {
        void add(int row, T item);
    }

    private final boolean skipInvalid;
    private final RejectedRows rejected;
    /** Rows read so far, valid or not. */
    int count;
    /** The highest watermark seen, null before any. */
    Instant watermark;

    WarehouseRows(boolean skipInvalid, RejectedRows rejected) {
        this.skipInvalid = skipInvalid;
        this.rejected = rejected;
    }

    void read(ResultSet rs, Reading<T> reading, Sink<T> sink) throws SQLException {
        List<Violation> reported = new ArrayList<>();
        List<Violation> scratch = new ArrayList<>();
        int invalid = 0;
        while (rs.next()) {
            count++;
            T item = reading.validate(count, rs, scratch);
            if (item == null) {
                invalid++;
                if (reported.size() < SnapshotFileImport.MAX_REPORTED_VIOLATIONS) reported.addAll(scratch);
                rejected.invalid(count, rejected.recordsMore() ? WarehouseRowJson.of(rs) : null, scratch);
                scratch.clear();
                if (skipInvalid) reading.declaredWatermark(rs).ifPresent(this::seen);
                continue;
            }
            seen(reading.watermark(rs, item));
            // once a row is invalid and the run fails, the rest are only validated (every problem reported at once)
            if (invalid == 0 || skipInvalid) sink.add(count, item);
        }
        if (invalid > 0 && !skipInvalid) throw new InvalidSnapshotsException(reported, invalid);
    }

    private void seen(Instant w) {
        if (watermark == null || w.isAfter(watermark)) watermark = w;
    }
}
