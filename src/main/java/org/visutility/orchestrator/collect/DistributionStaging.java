package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.model.ReportedVersion;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams histograms into the connection's distribution staging table with COPY, and remembers the
 * models and versions the batch reports (for registration on first sight) on the way.
 */
final class DistributionStaging implements DistributionSink {
    private final Handle handle;
    private final CopyText copy;
    private final Set<String> models = new LinkedHashSet<>();
    private final Map<StagingTable.ModelVersion, Instant> versions = new LinkedHashMap<>();
    private int count;

    private DistributionStaging(Handle handle, CopyText copy) {
        this.handle = handle;
        this.copy = copy;
    }

    /** Empties the staging table of this connection (creating it when new) and starts a COPY into it. */
    static DistributionStaging open(Handle handle) throws SQLException {
        handle.execute(SqlFiles.load(DistributionStaging.class, "CreateDistributionStaging"));
        handle.execute(SqlFiles.load(DistributionStaging.class, "ClearDistributionStaging"));
        return new DistributionStaging(handle, CopyText.start(handle, SqlFiles.load(DistributionStaging.class, "CopyIntoDistributionStaging")));
    }

    @Override
    public void add(int position, Distribution d) {
        // COPY text format: names passed validation and hold no tab, newline or backslash; values are quoted
        StringBuilder b = copy.row();
        Histogram h = d.histogram();
        b.append(position).append('\t').append(d.model()).append('\t').append(d.version()).append('\t')
                .append(d.observedAt()).append('\t').append(d.segment()).append('\t').append(d.source()).append('\t')
                .append(d.feature()).append('\t').append(h.kind().word()).append('\t');
        if (h.edges() == null) {
            b.append("\\N");
        } else {
            b.append('{');
            for (int i = 0; i < h.edges().length; i++) b.append(i == 0 ? "" : ",").append(h.edges()[i]);
            b.append('}');
        }
        b.append('\t');
        if (h.categories() == null) {
            b.append("\\N");
        } else {
            b.append('{');
            for (int i = 0; i < h.categories().size(); i++) {
                if (i > 0) b.append(',');
                CopyText.appendArrayElement(b, h.categories().get(i));
            }
            b.append('}');
        }
        b.append("\t{");
        for (int i = 0; i < h.counts().length; i++) b.append(i == 0 ? "" : ",").append(h.counts()[i]);
        b.append("}\t").append(h.sampleCount()).append('\n');
        copy.rowDone();
        count++;
        models.add(d.model());
        versions.merge(new StagingTable.ModelVersion(d.model(), d.version()), d.observedAt(), (was, now) -> was.isAfter(now) ? was : now);
    }

    void finish() throws SQLException {
        copy.finish();
    }

    void cancel() {
        copy.cancel();
    }

    void clear() {
        handle.execute(SqlFiles.load(DistributionStaging.class, "ClearDistributionStaging"));
    }

    int count() {
        return count;
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
