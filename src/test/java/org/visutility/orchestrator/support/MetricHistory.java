package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.core.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes crafted metric histories straight into the database, as ingest would store them: the
 * model and version, the month partitions, a metric_snapshot row and its metric_value rows. Each
 * snapshot is recorded (and final) at the instant it describes, as a live feed would be; a later
 * correction is written with {@link #revise}.
 * <pre>
 *   List&lt;Long&gt; ids = MetricHistory.in(jdbi).model("churn").version("v1").metric("accuracy")
 *           .from(t0).every(Duration.ofMinutes(10)).samples(1000).values(0.91, 0.90, 0.84);
 * </pre>
 */
public final class MetricHistory {
    private final Jdbi jdbi;
    private String model = "churn";
    private String version = "v1";
    private String metric = "accuracy";
    private Instant from = Instant.parse("2026-01-01T00:00:00Z");
    private Duration every = Duration.ofMinutes(10);
    private long samples = 1000;
    private String source = "";

    private MetricHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static MetricHistory in(Jdbi jdbi) {
        return new MetricHistory(jdbi);
    }

    public MetricHistory model(String name) {
        this.model = name;
        return this;
    }

    public MetricHistory version(String label) {
        this.version = label;
        return this;
    }

    public MetricHistory metric(String name) {
        this.metric = name;
        return this;
    }

    public MetricHistory from(Instant first) {
        this.from = first;
        return this;
    }

    public MetricHistory every(Duration interval) {
        this.every = interval;
        return this;
    }

    public MetricHistory samples(long perSnapshot) {
        this.samples = perSnapshot;
        return this;
    }

    public MetricHistory source(String name) {
        this.source = name;
        return this;
    }

    /** The instant of the i-th value written by {@link #values}. */
    public Instant at(int i) {
        return from.plus(every.multipliedBy(i));
    }

    /** One snapshot per value, at from, from + every, ...; returns their snapshot ids in order. */
    public List<Long> values(double... values) {
        List<Long> ids = new ArrayList<>();
        jdbi.useTransaction(h -> {
            for (int i = 0; i < values.length; i++) ids.add(snapshot(h, at(i), samples, Map.of(metric, values[i])));
        });
        return ids;
    }

    /** One snapshot with several metrics at an instant. */
    public long snapshot(Instant at, long sampleCount, Map<String, Double> metrics) {
        return jdbi.inTransaction(h -> snapshot(h, at, sampleCount, metrics));
    }

    /**
     * Records a revision of a stored snapshot at {@code recordedAt}, as a source that revises its
     * values would: a new row for the same key with the next revision number and the new values
     * (the sample count kept), and the revision it replaces (with its metric values) marked
     * superseded at that instant. Returns the new revision's snapshot id.
     */
    public long revise(long snapshotId, Instant recordedAt, Map<String, Double> metrics) {
        return revise(snapshotId, recordedAt, recordedAt, metrics);
    }

    /** {@link #revise} with the instant its window is final ({@code settledAt}; null: provisional). */
    public long revise(long snapshotId, Instant recordedAt, Instant settledAt, Map<String, Double> metrics) {
        OffsetDateTime r = recordedAt.atOffset(ZoneOffset.UTC);
        OffsetDateTime s = settledAt == null ? null : settledAt.atOffset(ZoneOffset.UTC);
        return jdbi.inTransaction(h -> {
            // the current revision gives way first: a key has one current revision at any time
            int current = h.createUpdate("UPDATE orchestrator.metric_snapshot SET superseded_at = :r WHERE id = :old AND superseded_at IS NULL")
                    .bind("old", snapshotId).bind("r", r).execute();
            if (current != 1) throw new IllegalArgumentException("snapshot " + snapshotId + " is not a current revision");
            h.createUpdate("UPDATE orchestrator.metric_value SET superseded_at = :r WHERE snapshot_id = :old")
                    .bind("old", snapshotId).bind("r", r).execute();
            long id = h.createQuery("""
                    INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics,
                                                              ingested_at, settled_at, revision, replaces_id)
                    SELECT model_id, model_version_id, observed_at, segment, source, sample_count, :metrics::jsonb,
                           :r, :s, revision + 1, id
                      FROM orchestrator.metric_snapshot WHERE id = :old
                    RETURNING id""")
                    .bind("old", snapshotId).bind("r", r).bind("s", s).bind("metrics", json(metrics))
                    .mapTo(Long.class).one();
            for (Map.Entry<String, Double> m : metrics.entrySet()) {
                h.createUpdate("""
                        INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count,
                                                               recorded_at, settled_at)
                        SELECT id, observed_at, model_id, model_version_id, :metric, :value, sample_count, :r, :s
                          FROM orchestrator.metric_snapshot WHERE id = :id""")
                        .bind("id", id).bind("metric", m.getKey()).bind("value", m.getValue()).bind("r", r).bind("s", s)
                        .execute();
            }
            return id;
        });
    }

    /** Marks snapshots provisional until {@code settledAt} (null: provisional for now), as a collector with settle: does. */
    public void settleAt(List<Long> snapshotIds, Instant settledAt) {
        OffsetDateTime s = settledAt == null ? null : settledAt.atOffset(ZoneOffset.UTC);
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE orchestrator.metric_snapshot SET settled_at = :s WHERE id = ANY(:ids)")
                    .bind("s", s).bindArray("ids", Long.class, snapshotIds).execute();
            h.createUpdate("UPDATE orchestrator.metric_value SET settled_at = :s WHERE snapshot_id = ANY(:ids)")
                    .bind("s", s).bindArray("ids", Long.class, snapshotIds).execute();
        });
    }

    public long modelId() {
        return jdbi.withHandle(this::ensureModel);
    }

    public long versionId() {
        return jdbi.withHandle(h -> ensureVersion(h, ensureModel(h)));
    }

    private long snapshot(Handle h, Instant at, long sampleCount, Map<String, Double> metrics) {
        long modelId = ensureModel(h);
        long versionId = ensureVersion(h, modelId);
        OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
        h.createQuery("SELECT orchestrator.ensure_snapshot_partition(:t)").bind("t", t).mapTo(String.class).one();
        long id = h.createQuery("""
                INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, source, sample_count, metrics,
                                                          ingested_at, settled_at)
                VALUES (:model, :version, :t, :source, :samples, :metrics::jsonb, :t, :t) RETURNING id""")
                .bind("model", modelId).bind("version", versionId).bind("t", t).bind("source", source)
                .bind("samples", sampleCount).bind("metrics", json(metrics))
                .mapTo(Long.class).one();
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            h.createUpdate("""
                    INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count,
                                                           recorded_at, settled_at)
                    VALUES (:id, :t, :model, :version, :metric, :value, :samples, :t, :t)""")
                    .bind("id", id).bind("t", t).bind("model", modelId).bind("version", versionId)
                    .bind("metric", m.getKey()).bind("value", m.getValue()).bind("samples", sampleCount)
                    .execute();
        }
        return id;
    }

    private long ensureModel(Handle h) {
        h.createUpdate("INSERT INTO orchestrator.model (name) VALUES (:name) ON CONFLICT (name) DO NOTHING").bind("name", model).execute();
        return h.createQuery("SELECT id FROM orchestrator.model WHERE name = :name").bind("name", model).mapTo(Long.class).one();
    }

    private long ensureVersion(Handle h, long modelId) {
        h.createUpdate("INSERT INTO orchestrator.model_version (model_id, version) VALUES (:m, :v) ON CONFLICT (model_id, version) DO NOTHING")
                .bind("m", modelId).bind("v", version).execute();
        return h.createQuery("SELECT id FROM orchestrator.model_version WHERE model_id = :m AND version = :v")
                .bind("m", modelId).bind("v", version).mapTo(Long.class).one();
    }

    private static String json(Map<String, Double> metrics) {
        try {
            return Json.MAPPER.writeValueAsString(new LinkedHashMap<>(metrics));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
