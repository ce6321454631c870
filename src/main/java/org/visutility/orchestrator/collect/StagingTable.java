package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.model.ReportedVersion;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;

import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Streams snapshots into the connection's staging table with COPY, and remembers what the batch
 * touches (months for partitions, models and versions for registration) on the way.
 */
final class StagingTable implements SnapshotSink {
    private final Handle handle;
    private final CopyText copy;
    private final Set<YearMonth> months = new HashSet<>();
    private final Set<String> models = new LinkedHashSet<>();
    private final Map<ModelVersion, Instant> versions = new LinkedHashMap<>();
    private int count;
    private boolean saysFinal;

    record ModelVersion(String model, String version) {
    }

    private StagingTable(Handle handle, CopyText copy) {
        this.handle = handle;
        this.copy = copy;
    }

    /** Empties the staging table of this connection (creating it when new) and starts a COPY into it. */
    static StagingTable open(Handle handle) throws SQLException {
        handle.execute(SqlFiles.load(StagingTable.class, "CreateStagingTable"));
        handle.execute(SqlFiles.load(StagingTable.class, "ClearStagingTable"));
        return new StagingTable(handle, CopyText.start(handle, SqlFiles.load(StagingTable.class, "CopyIntoStagingTable")));
    }

    @Override
    public void add(int position, Snapshot s) {
        // COPY text format: names passed validation and hold no tab, newline or backslash
        StringBuilder b = copy.row();
        b.append(position).append('\t').append(s.model()).append('\t').append(s.version()).append('\t')
                .append(s.observedAt()).append('\t').append(s.segment()).append('\t').append(s.source()).append('\t')
                .append(s.sampleCount()).append('\t').append('{');
        boolean first = true;
        for (var e : s.metrics().entrySet()) {
            if (!first) b.append(',');
            first = false;
            b.append('"').append(e.getKey()).append("\":").append(e.getValue().doubleValue());
        }
        b.append("}\t").append(s.finality().copyText()).append('\n');
        count++;
        if (s.finality() == Finality.FINAL) saysFinal = true;
        months.add(YearMonth.from(s.observedAt().atOffset(ZoneOffset.UTC)));
        models.add(s.model());
        versions.merge(new ModelVersion(s.model(), s.version()), s.observedAt(), (was, now) -> was.isAfter(now) ? was : now);
        copy.rowDone();
    }

    /** Ends the COPY; the staged rows are then visible to this connection. */
    void finish() throws SQLException {
        copy.finish();
    }

    /** Abandons the COPY (invalid input): nothing is staged. */
    void cancel() {
        copy.cancel();
    }

    /** Empties the staging table so that it holds no rows while the connection idles in the pool. */
    void clear() {
        handle.execute(SqlFiles.load(StagingTable.class, "ClearStagingTable"));
    }

    /** Whether some staged snapshot says its window is final. */
    boolean saysFinal() {
        return saysFinal;
    }

    int count() {
        return count;
    }

    /**
     * Takes the snapshots at these positions out of the staged batch, after a write that refused them
     * rolled back; tells {@code out} each one's position and JSON. Models and versions are read again
     * so that nothing is registered for a snapshot no longer in the batch.
     *
     * @return how many were taken out
     */
    int drop(Set<Integer> positions, java.util.function.BiConsumer<Integer, String> out) {
        List<Map.Entry<Integer, String>> dropped = handle.createQuery(SqlFiles.load(StagingTable.class, "DropStagedSnapshots"))
                .bindArray("positions", Integer.class, positions.toArray(Integer[]::new))
                .map((rs, ctx) -> Map.entry(rs.getInt("position"), rs.getString("snapshot")))
                .list();
        dropped.stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.accept(e.getKey(), e.getValue()));
        models.clear();
        versions.clear();
        count = 0;
        handle.createQuery(SqlFiles.load(StagingTable.class, "StagedVersions")).map((rs, ctx) -> {
            String model = rs.getString("model");
            models.add(model);
            versions.put(new ModelVersion(model, rs.getString("version")), rs.getObject("newest", java.time.OffsetDateTime.class).toInstant());
            count += rs.getInt("snapshots");
            return null;
        }).list();
        return dropped.size();
    }

    Set<YearMonth> months() {
        return months;
    }

    Set<String> models() {
        return models;
    }

    /** Each (model, version) the batch reports, with its newest observation. */
    List<ReportedVersion> reported() {
        List<ReportedVersion> out = new ArrayList<>(versions.size());
        versions.forEach((v, newest) -> out.add(new ReportedVersion(v.model(), v.version(), newest)));
        return out;
    }
}
