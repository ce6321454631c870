package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Writes reference distributions, calibrations and production histograms straight into their
 * tables, as ingest and {@code references set} would store them (the model and version made by
 * {@link MetricHistory}). Each histogram is ingested at the instant it describes, as a live feed.
 */
public final class Distributions {
    private final Jdbi jdbi;
    private final MetricHistory model;
    private String segment = "";

    private Distributions(Jdbi jdbi, MetricHistory model) {
        this.jdbi = jdbi;
        this.model = model;
    }

    /** Histograms of {@code model}'s version (its model and version are created as needed). */
    public static Distributions of(Jdbi jdbi, MetricHistory model) {
        return new Distributions(jdbi, model);
    }

    public Distributions segment(String s) {
        this.segment = s;
        return this;
    }

    public long numericReference(String feature, double[] edges, long... counts) {
        long version = model.versionId();
        return jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO orchestrator.reference_distribution (model_version_id, feature, kind, edges, counts, sample_count, origin)
                VALUES (:v, :f, 'numeric', :edges, :counts, :n, 'file') RETURNING id""")
                .bind("v", version).bind("f", feature).bind("edges", edges).bind("counts", counts).bind("n", sum(counts))
                .mapTo(Long.class).one());
    }

    public long categoricalReference(String feature, List<String> categories, long... counts) {
        long version = model.versionId();
        return jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO orchestrator.reference_distribution (model_version_id, feature, kind, categories, counts, sample_count, origin)
                VALUES (:v, :f, 'categorical', :cats, :counts, :n, 'file') RETURNING id""")
                .bind("v", version).bind("f", feature).bind("cats", categories.toArray(String[]::new)).bind("counts", counts)
                .bind("n", sum(counts)).mapTo(Long.class).one());
    }

    /** A calibration of the version's prediction scores; its error is computed as the column documents. */
    public long calibration(double[] edges, double[] predictedMean, double[] observedRate, long[] counts, double threshold) {
        long version = model.versionId();
        double n = sum(counts);
        double err = 0;
        for (int i = 0; i < counts.length; i++) err += counts[i] / n * Math.abs(predictedMean[i] - observedRate[i]);
        double error = err;
        return jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO orchestrator.reference_calibration (model_version_id, edges, predicted_mean, observed_rate, counts, threshold,
                                                                calibration_error, origin)
                VALUES (:v, :edges, :mean, :rate, :counts, :t, :err, 'file') RETURNING id""")
                .bind("v", version).bind("edges", edges).bind("mean", predictedMean).bind("rate", observedRate).bind("counts", counts)
                .bind("t", threshold).bind("err", error).mapTo(Long.class).one());
    }

    public long numeric(Instant at, String feature, double[] edges, long... counts) {
        return insert(at, feature, "numeric", edges, null, counts);
    }

    public long categorical(Instant at, String feature, List<String> categories, long... counts) {
        return insert(at, feature, "categorical", null, categories.toArray(String[]::new), counts);
    }

    private long insert(Instant at, String feature, String kind, double[] edges, String[] categories, long[] counts) {
        long modelId = model.modelId();
        long version = model.versionId();
        return jdbi.withHandle(h -> h.createQuery("""
                INSERT INTO orchestrator.distribution_snapshot (model_id, model_version_id, observed_at, segment, feature, kind, edges,
                                                                categories, counts, sample_count, ingested_at)
                VALUES (:m, :v, :t, :seg, :f, :kind, :edges, :cats, :counts, :n, :t) RETURNING id""")
                .bind("m", modelId).bind("v", version).bind("t", at.atOffset(ZoneOffset.UTC)).bind("seg", segment).bind("f", feature)
                .bind("kind", kind).bind("edges", edges).bind("cats", categories).bind("counts", counts).bind("n", sum(counts))
                .mapTo(Long.class).one());
    }

    private static long sum(long[] counts) {
        return Arrays.stream(counts).sum();
    }
}
