package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.model.ReportedVersion;
import org.visutility.orchestrator.model.ServingReports;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch whose keys are all new straight into metric_snapshot and metric_value with binary
 * COPY, chunk by chunk, in one transaction: no staging table and no merge. Whether the keys are new
 * is left to the database: a stored key (or one a concurrent batch is writing) makes the COPY fail
 * on the unique current-key index, and so does a key repeated in the batch; the caller then rolls
 * back and writes through the staging table, which tells duplicates, conflicts and revisions apart.
 * Anything else this path does not decide alone (a version whose lifecycle the batch changes, a
 * month without a partition after the first chunk, a version not registered) is handed over the same way.
 */
final class NewSnapshotsCopy {
    private static final Logger LOG = LoggerFactory.getLogger(NewSnapshotsCopy.class);
    /** Why the batch goes through the staging table after all (nothing of it is written here). */
    static final class NotAllNewException extends RuntimeException {
        NotAllNewException(String why, Throwable cause) {
            super(why, cause, false, false);
        }
    }

    /**
     * A snapshot with its position (index, line or row) in the input, and what its COPY needs that
     * depends on it alone: made on the reading thread, so that the COPY thread of a file only sorts and sends.
     */
    record Numbered(int position, Snapshot snapshot, StagingTable.ModelVersion version, YearMonth month, byte[] metricsJson) {
        static Numbered of(int position, Snapshot snapshot) {
            return new Numbered(position, snapshot, NewSnapshotsCopy.version(snapshot),
                    YearMonth.from(snapshot.observedAt().atOffset(ZoneOffset.UTC)), NewSnapshotsCopy.metricsJson(snapshot));
        }
    }

    /** The metrics as jsonb text, as StagingTable writes them (names passed validation and need no escaping): ASCII. */
    static byte[] metricsJson(Snapshot s) {
        StringBuilder json = new StringBuilder(16 + 24 * s.metrics().size());
        json.append('{');
        boolean first = true;
        for (var e : s.metrics().entrySet()) {
            if (!first) json.append(',');
            first = false;
            json.append('"').append(e.getKey()).append("\":").append(e.getValue().doubleValue());
        }
        String text = json.append('}').toString();
        byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (ascii.length != text.length()) throw new IllegalArgumentException("jsonb text must be ASCII here");
        return ascii;
    }

    record Ids(long modelId, long versionId) {
    }

    private record VersionSegment(long versionId, String segment) {
    }

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK = "40P01";
    /** check_violation: no partition holds the row. */
    private static final String NO_PARTITION = "23514";
    private static final int SNAPSHOT_FIELDS = 10;
    private static final int VALUE_FIELDS = 8;
    private static final String APPROVED = VersionStatus.APPROVED.sql();
    /** The closing statement and the commit, sent together: one round trip, one reply. */
    private static final String FINISH_AND_COMMIT = SqlFiles.load(NewSnapshotsCopy.class, "FinishNewSnapshotsBatch") + ";\n"
            + SqlFiles.load(NewSnapshotsCopy.class, "CommitNewSnapshotsBatch");

    private final Handle handle;
    private final SnapshotPartitions partitions;
    private final boolean registerUnknown;
    private final IngestChannel channel;
    private final String origin;
    private final RevisionRules rules;
    private final Map<StagingTable.ModelVersion, Ids> ids = new HashMap<>();
    /** A copy of {@link #ids} for the reading thread of a file, which sorts later chunks while this one COPYs. */
    private volatile Map<StagingTable.ModelVersion, Ids> published = Map.of();
    private final Map<VersionSegment, Snapshot> newest = new LinkedHashMap<>();
    private final Set<String> models = new LinkedHashSet<>();
    private ServingReports.Pending lifecycle;
    /** The first chunk's snapshot ids, drawn when the batch was opened. */
    private long[] reserved;
    /**
     * Ids drawn ahead for later chunks: as many as the source expects (a file's estimate), else the
     * next chunk's; unused ones are a harmless gap.
     */
    private long[] ahead = new long[0];
    /** How many snapshots the source expected after the chunk being written; -1 when it did not say. */
    private int expectedAfter = -1;
    private long batch;
    private Instant now;
    private boolean begun;
    private int count;
    /** Where the time went (logged at debug when the batch commits). */
    private final BatchPhases phases = new BatchPhases();

    NewSnapshotsCopy(Handle handle, SnapshotPartitions partitions, boolean registerUnknown, IngestChannel channel, String origin,
                     RevisionRules rules) {
        this.handle = handle;
        this.partitions = partitions;
        this.registerUnknown = registerUnknown;
        this.channel = channel;
        this.origin = origin;
        this.rules = rules;
    }

    /**
     * Writes one chunk (in the transaction this opens with the first).
     *
     * @param whole         whether the chunk is the whole batch (then the lifecycle rules see all of it)
     * @param expectedAfter how many snapshots the source expects after this chunk (an estimate), -1 when it does not say
     * @throws NotAllNewException the batch must go through the staging table; roll back
     */
    void write(List<Numbered> chunk, boolean whole, int expectedAfter) {
        write(chunk, null, null, whole, expectedAfter, null);
    }

    /**
     * @param sorted    the chunk's rows in key order ({@link #sorted}), or null to sort them here
     * @param ready     the chunk made ready while the one before was written ({@link #readyAhead}), or null
     * @param meanwhile run once the chunk's rows are all sent, while the server still writes them
     *                  (a file's next chunk is made ready then), or null
     */
    void write(List<Numbered> chunk, Row[] sorted, Ready ready, boolean whole, int expectedAfter, Runnable meanwhile) {
        if (chunk.isEmpty()) return;
        this.expectedAfter = expectedAfter;
        if (ready == null) {
            Set<YearMonth> months = new HashSet<>();
            Map<StagingTable.ModelVersion, Instant> reported = new LinkedHashMap<>();
            for (Numbered n : chunk) {
                months.add(n.month());
                reported.merge(n.version(), n.snapshot().observedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
            long t0 = System.nanoTime();
            if (!begun) {
                begin(months, reported, chunk.size(), whole);
            } else if (!partitions.allExist(handle, months)) {
                throw new NotAllNewException("a month of a later chunk has no partition yet", null);
            } else if (!lookUp(reported.keySet())) {
                throw new NotAllNewException("a later chunk reports a version whose lifecycle it changes", null);
            }
            phases.add(BatchPhases.Phase.OPEN, t0, 0);
            published = Map.copyOf(ids);
            ready = prepare(chunk, sorted);
        }
        send(ready, meanwhile);
    }

    /**
     * Makes a later chunk ready to send (key order, snapshot ids, settle times) without asking the
     * database, while the server still writes the chunk before: then the server does not wait
     * between the two. Null when the chunk needs the database first: a month or a version not seen
     * in earlier chunks (looked up, or handed over), or more snapshot ids than were drawn ahead.
     * A version seen before is known not to change its lifecycle: a streamed batch with one that
     * did was handed over when it was looked up.
     */
    Ready readyAhead(List<Numbered> chunk, Row[] sorted, int expectedAfter) {
        if (!begun || chunk.isEmpty() || ahead.length < chunk.size()) return null;
        Set<YearMonth> months = new HashSet<>();
        for (Numbered n : chunk) {
            months.add(n.month());
            if (!ids.containsKey(n.version())) return null;
        }
        if (!partitions.known(months)) return null;
        this.expectedAfter = expectedAfter;
        return prepare(chunk, sorted);
    }

    private void begin(Set<YearMonth> months, Map<StagingTable.ModelVersion, Instant> reported, int chunkSize, boolean whole) {
        try {
            partitions.ensure(handle, months); // outside the transaction: creating a partition locks the parent table
        } catch (InvalidSnapshotsException e) {
            // too many new months: the staging path refuses it, after reporting any invalid item first
            throw new NotAllNewException("too many months without a partition", e);
        }
        handle.begin();
        begun = true;
        if (open(reported.keySet(), chunkSize)) return;
        // a version never seen or approved: the lifecycle decides on the batch's newest snapshot of each version
        if (!whole) throw new NotAllNewException("a streamed batch reports a version whose lifecycle it changes", null);
        if (!registerUnknown) throw new NotAllNewException("a version is not registered (the staging path refuses it)", null);
        Set<String> chunkModels = new LinkedHashSet<>();
        reported.keySet().forEach(v -> chunkModels.add(v.model()));
        SnapshotWriter.registerModels(handle, chunkModels);
        lifecycle = ServingReports.beforeSnapshots(handle, batch, reportedVersions(reported));
        if (!lookUp(reported.keySet())) throw new NotAllNewException("a version is neither registered nor active", null);
    }

    /**
     * Opens the batch in one round trip: its row and start time, the versions' ids and the first
     * chunk's snapshot ids, with those of the snapshots the source expects after it (a file: then
     * no later chunk draws ids in the usual case); false when a version is not registered or
     * approved, as {@link #lookUp}.
     */
    private boolean open(Set<StagingTable.ModelVersion> versions, int chunkSize) {
        List<String> names = new ArrayList<>(versions.size());
        List<String> tags = new ArrayList<>(versions.size());
        for (StagingTable.ModelVersion v : versions) {
            names.add(v.model());
            tags.add(v.version());
        }
        boolean[] approved = {false};
        int drawn = chunkSize + (expectedAfter >= 0 ? drawAhead() : 0);
        phases.roundTrip();
        handle.createQuery(SqlFiles.load(NewSnapshotsCopy.class, "OpenNewSnapshotsBatch"))
                .bind("channel", channel.column()).bind("origin", origin).bind("itemKind", SnapshotWriter.ITEM_KIND)
                .bindArray("models", String.class, names)
                .bindArray("versions", String.class, tags)
                .bind("count", drawn)
                .map((rs, ctx) -> {
                    batch = rs.getLong("batch_id");
                    now = rs.getObject("started_at", OffsetDateTime.class).toInstant();
                    String[] models = strings(rs.getArray("models"));
                    String[] tagsFound = strings(rs.getArray("versions"));
                    Long[] modelIds = longs(rs.getArray("model_ids"));
                    Long[] versionIds = longs(rs.getArray("version_ids"));
                    String[] statuses = strings(rs.getArray("statuses"));
                    for (int i = 0; i < models.length; i++) {
                        if (APPROVED.equals(statuses[i])) approved[0] = true;
                        ids.put(new StagingTable.ModelVersion(models[i], tagsFound[i]), new Ids(modelIds[i], versionIds[i]));
                    }
                    long[] ids = idsOf(longs(rs.getArray("first_ids")), longs(rs.getArray("run_lengths")), drawn);
                    reserved = java.util.Arrays.copyOf(ids, chunkSize);
                    ahead = java.util.Arrays.copyOfRange(ids, chunkSize, drawn);
                    return null;
                }).one();
        return !approved[0] && ids.keySet().containsAll(versions);
    }

    private static String[] strings(java.sql.Array a) throws SQLException {
        return a == null ? new String[0] : (String[]) a.getArray();
    }

    private static Long[] longs(java.sql.Array a) throws SQLException {
        return a == null ? new Long[0] : (Long[]) a.getArray();
    }

    /** The ids of runs of consecutive ids, in order; exactly {@code n} of them. */
    private static long[] idsOf(Long[] firstIds, Long[] runLengths, int n) {
        long[] out = new long[n];
        int filled = 0;
        for (int r = 0; r < firstIds.length; r++) {
            for (long k = 0; k < runLengths[r]; k++) {
                if (filled == n) throw new IllegalStateException("drew more than " + n + " snapshot ids");
                out[filled++] = firstIds[r] + k;
            }
        }
        if (filled != n) throw new IllegalStateException("drew " + filled + " snapshot ids, not " + n);
        return out;
    }

    /**
     * Looks up the ids of versions not seen in earlier chunks; false when one is not registered or
     * approved (the lifecycle acts on it: ServingReports), true when the batch changes no lifecycle.
     */
    private boolean lookUp(Set<StagingTable.ModelVersion> versions) {
        List<String> names = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (StagingTable.ModelVersion v : versions) {
            if (ids.containsKey(v)) continue;
            names.add(v.model());
            tags.add(v.version());
        }
        if (names.isEmpty()) return true;
        boolean[] approved = {false};
        phases.roundTrip();
        handle.createQuery(SqlFiles.load(NewSnapshotsCopy.class, "ResolveVersionIds"))
                .bindArray("models", String.class, names)
                .bindArray("versions", String.class, tags)
                .map((rs, ctx) -> {
                    if (APPROVED.equals(rs.getString("status"))) approved[0] = true;
                    return ids.put(new StagingTable.ModelVersion(rs.getString("model"), rs.getString("version")),
                            new Ids(rs.getLong("model_id"), rs.getLong("version_id")));
                })
                .list();
        if (approved[0]) return false;
        for (StagingTable.ModelVersion v : versions) {
            if (!ids.containsKey(v)) return false;
        }
        return true;
    }

    /** A snapshot of the chunk with its version's ids, looked up once for sorting and encoding. */
    record Row(Snapshot snapshot, Ids ids, byte[] metricsJson) {
    }

    private static final Comparator<Row> KEY_ORDER = Comparator.comparingLong((Row r) -> r.ids().versionId())
            .thenComparing(r -> r.snapshot().observedAt())
            .thenComparing(r -> r.snapshot().segment())
            .thenComparing(r -> r.snapshot().source());

    /**
     * The chunk's rows in key order, for a later chunk of a file, sorted on the reading thread while
     * the writer COPYs the one before; null when a version of it is not known yet (the writer then
     * looks it up and sorts). Safe to call from the reading thread: it reads only what was published.
     */
    Row[] sorted(List<Numbered> chunk) {
        return sorted(chunk, published);
    }

    private static Row[] sorted(List<Numbered> chunk, Map<StagingTable.ModelVersion, Ids> known) {
        Row[] rows = new Row[chunk.size()];
        for (int i = 0; i < rows.length; i++) {
            Numbered n = chunk.get(i);
            Ids v = known.get(n.version());
            if (v == null) return null;
            rows[i] = new Row(n.snapshot(), v, n.metricsJson());
        }
        // key order: the unique index is filled in order, and concurrent batches lock keys in one order
        java.util.Arrays.sort(rows, KEY_ORDER);
        return rows;
    }

    /** A chunk ready to send: its rows in key order, with their snapshot ids and settle times. */
    record Ready(Row[] rows, long[] snapshotIds, Instant[] settledAt) {
    }

    /** Puts a chunk in key order with its snapshot ids and settle times; what the batch closes with learns of its rows. */
    private Ready prepare(List<Numbered> chunk, Row[] sortedRows) {
        long t0 = System.nanoTime();
        Row[] rows = sortedRows != null ? sortedRows : sorted(chunk, ids);
        long t1 = phases.add(BatchPhases.Phase.SORT, t0, 0);
        long[] snapshotIds;
        if (reserved != null) {
            snapshotIds = reserved; // drawn when the batch was opened
            reserved = null;
        } else {
            snapshotIds = idsFor(rows.length);
        }
        t1 = phases.add(BatchPhases.Phase.OPEN, t1, 0);
        Instant[] settledAt = new Instant[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Snapshot s = rows[i].snapshot();
            settledAt[i] = settledAt(s);
            models.add(s.model());
            newest.merge(new VersionSegment(rows[i].ids().versionId(), s.segment()), s, NewSnapshotsCopy::newer);
        }
        phases.add(BatchPhases.Phase.SORT, t1, 0);
        return new Ready(rows, snapshotIds, settledAt);
    }

    private void send(Ready ready, Runnable meanwhile) {
        Row[] rows = ready.rows();
        long[] snapshotIds = ready.snapshotIds();
        Instant[] settledAt = ready.settledAt();
        long t1 = System.nanoTime();
        // each COPY's rows are encoded as the server reads the ones before: no buffer of the whole chunk
        copyIn("CopyNewSnapshots", out -> {
            for (int i = 0; i < rows.length; i++) {
                Snapshot s = rows[i].snapshot();
                Ids v = rows[i].ids();
                out.startRow(SNAPSHOT_FIELDS);
                out.int8(snapshotIds[i]);
                out.int8(v.modelId());
                out.int8(v.versionId());
                out.timestamp(s.observedAt());
                out.text(s.segment());
                out.text(s.source());
                out.int8(s.sampleCount());
                out.jsonb(rows[i].metricsJson());
                out.int8(batch);
                timestampOrNull(out, settledAt[i]);
            }
        }, null);
        long aside = copyIn("CopyNewMetricValues", out -> {
            for (int i = 0; i < rows.length; i++) {
                Snapshot s = rows[i].snapshot();
                Ids v = rows[i].ids();
                for (var e : s.metrics().entrySet()) {
                    out.startRow(VALUE_FIELDS);
                    out.int8(snapshotIds[i]);
                    out.timestamp(s.observedAt());
                    out.int8(v.modelId());
                    out.int8(v.versionId());
                    out.text(e.getKey());
                    // the staging path's value went through jsonb numeric, which has no negative zero
                    double d = e.getValue();
                    out.float8(d == 0.0 ? 0.0 : d);
                    out.int8(s.sampleCount());
                    timestampOrNull(out, settledAt[i]);
                }
            }
        }, meanwhile);
        phases.add(BatchPhases.Phase.COPY, t1 + aside, 4); // the time spent meanwhile went to the next chunk's phases
        count += rows.length;
    }

    /** As InsertSnapshots decides settled_at: said final, said provisional, else the source's default. */
    private Instant settledAt(Snapshot s) {
        return switch (s.finality()) {
            case FINAL -> now;
            case PROVISIONAL -> null;
            case UNSAID -> rules.settle() != null ? s.observedAt().plus(rules.settle()) : rules.finalWhenUnsaid() ? now : null;
        };
    }

    private static void timestampOrNull(BinaryCopyRows rows, Instant at) {
        if (at == null) rows.nullField();
        else rows.timestamp(at);
    }

    private static Snapshot newer(Snapshot a, Snapshot b) {
        int byTime = a.observedAt().compareTo(b.observedAt());
        if (byTime != 0) return byTime > 0 ? a : b;
        return a.source().compareTo(b.source()) >= 0 ? a : b;
    }

    /**
     * The ids of a later chunk: from those drawn ahead, else drawn with those of the snapshots the
     * source expects after it, or when it does not say with the next chunk's (at most
     * {@link NewSnapshotsPipeline#CHUNK} more), so that a file pays few round trips for its ids.
     */
    private long[] idsFor(int n) {
        if (ahead.length < n) {
            int more = expectedAfter >= 0 ? drawAhead() : Math.min(NewSnapshotsPipeline.CHUNK, 2 * n);
            long[] drawn = reserveIds(n - ahead.length + more);
            phases.roundTrip();
            long[] all = java.util.Arrays.copyOf(ahead, ahead.length + drawn.length);
            System.arraycopy(drawn, 0, all, ahead.length, drawn.length);
            ahead = all;
        }
        long[] out = java.util.Arrays.copyOf(ahead, n);
        ahead = java.util.Arrays.copyOfRange(ahead, n, ahead.length);
        return out;
    }

    /**
     * How many ids to draw ahead for the snapshots the source expects: its estimate with a margin
     * (too few costs a round trip more, too many a gap), at most two full chunks (a wrong estimate
     * draws no more than the usual policy would).
     */
    private int drawAhead() {
        if (expectedAfter == 0) return 0; // the last chunk
        long padded = expectedAfter + expectedAfter / 8L + 64;
        return (int) Math.min(2L * NewSnapshotsPipeline.CHUNK, padded);
    }

    private long[] reserveIds(int n) {
        long[] out = new long[n];
        int[] filled = {0};
        handle.createQuery(SqlFiles.load(NewSnapshotsCopy.class, "ReserveSnapshotIds")).bind("count", n)
                .map((rs, ctx) -> {
                    long first = rs.getLong("first_id");
                    long run = rs.getLong("ids");
                    for (long k = 0; k < run; k++) out[filled[0]++] = first + k;
                    return null;
                }).list();
        if (filled[0] != n) throw new IllegalStateException("drew " + filled[0] + " snapshot ids, not " + n);
        return out;
    }

    /** Writes one COPY's rows; may stop with the COPY's failure (the server's answer so far). */
    @FunctionalInterface
    private interface RowsWriter {
        void write(BinaryCopyRows rows) throws SQLException;
    }

    /**
     * @param meanwhile run once every row is sent, before waiting for the server's answer (null: none)
     * @return how long {@code meanwhile} took, in nanoseconds
     */
    private long copyIn(String sql, RowsWriter rows, Runnable meanwhile) {
        try {
            CopyManager copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI();
            CopyIn in = copy.copyIn(SqlFiles.load(NewSnapshotsCopy.class, sql));
            try {
                BinaryCopyRows out = new BinaryCopyRows(in::writeToCopy);
                rows.write(out);
                out.finish();
                long aside = 0;
                if (meanwhile != null) {
                    in.flushCopy(); // the server has every row while this thread works on
                    long t0 = System.nanoTime();
                    meanwhile.run();
                    aside = System.nanoTime() - t0;
                }
                in.endCopy();
                return aside;
            } finally {
                if (in.isActive()) in.cancelCopy();
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState())) {
                throw new NotAllNewException("a key of the batch is stored, repeated or being written by another batch", e);
            }
            if (NO_PARTITION.equals(e.getSQLState())) {
                // dropped since it was remembered: the staging path forgets and ensures the months again
                throw new NotAllNewException("a month's partition was dropped since it was ensured", e);
            }
            throw new IllegalStateException("COPY of new snapshots failed: " + e.getMessage(), e);
        }
    }

    /**
     * After the last chunk: keeps orchestrator.snapshot_latest, activates approved versions, closes
     * the batch, runs {@code beforeCommit} and commits. Nothing written (an empty input): no batch.
     */
    IngestResult commit(SnapshotIngest.CommitStep beforeCommit) {
        if (!begun) return new IngestResult(null, channel, origin, 0, 0, 0, Set.of());
        long t0 = System.nanoTime();
        if (lifecycle != null) lifecycle.afterSnapshots(handle, batch);
        IngestResult result = new IngestResult(batch, channel, origin, count, count, 0, 0, models);
        beforeCommit.run(handle, result);
        long t1 = phases.add(BatchPhases.Phase.FINISH, t0, 0);
        finishBatchAndCommit();
        // the server committed with the closing statement: the driver finds no transaction open and sends nothing
        handle.commit();
        phases.add(BatchPhases.Phase.COMMIT, t1, 1);
        if (LOG.isDebugEnabled()) LOG.debug("Batch {} of {} snapshots COPYed straight in: {}", batch, count, phases.text());
        return result;
    }

    /** Abandons whatever was written: nothing of the batch stays. */
    void rollback() {
        if (begun && handle.isInTransaction()) handle.rollback();
    }

    /**
     * Closes the batch row and keeps orchestrator.snapshot_latest, in one statement sent with the
     * transaction's COMMIT (one round trip): when the statement fails the server skips the COMMIT,
     * and the transaction is rolled back as before.
     */
    private void finishBatchAndCommit() {
        List<Long> versions = new ArrayList<>(newest.size());
        List<String> segments = new ArrayList<>(newest.size());
        List<Long> observed = new ArrayList<>(newest.size());
        List<String> sources = new ArrayList<>(newest.size());
        newest.forEach((k, s) -> {
            versions.add(k.versionId());
            segments.add(k.segment());
            observed.add(SqlValues.micros(s.observedAt()));
            sources.add(s.source());
        });
        handle.createUpdate(FINISH_AND_COMMIT)
                .bind("batch", batch)
                .bind("count", count)
                .bindArray("versions", Long.class, versions)
                .bindArray("segments", String.class, segments)
                .bindArray("observed_us", Long.class, observed)
                .bindArray("sources", String.class, sources)
                .execute();
    }

    private static StagingTable.ModelVersion version(Snapshot s) {
        return new StagingTable.ModelVersion(s.model(), s.version());
    }

    private static List<ReportedVersion> reportedVersions(Map<StagingTable.ModelVersion, Instant> reported) {
        List<ReportedVersion> out = new ArrayList<>(reported.size());
        reported.forEach((v, at) -> out.add(new ReportedVersion(v.model(), v.version(), at)));
        return out;
    }
}
