package org.visutility.orchestrator.bench;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.collect.Distribution;
import org.visutility.orchestrator.collect.DistributionIngest;
import org.visutility.orchestrator.collect.Histogram;
import org.visutility.orchestrator.collect.IngestChannel;
import org.visutility.orchestrator.collect.IngestResult;
import org.visutility.orchestrator.reference.Calibration;
import org.visutility.orchestrator.reference.ReferenceOrigin;
import org.visutility.orchestrator.reference.ReferenceStore;
import org.visutility.orchestrator.reference.References;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bench's drift models (the models with policies) tell about their inputs: version v1's
 * reference and calibration, set as {@code references set} sets them (one transaction of
 * {@link ReferenceStore}), and an hourly histogram of three inputs and the predicted score through
 * the distribution ingest path (staging COPY, the writer, the trigger that scores each histogram
 * against its reference), by several writers at once. Every {@value #EPISODE_EVERY} hours the inputs
 * move for {@value #EPISODE_HOURS} hours, the newest hours among them (so a pass's 3-hour window sees
 * drift); on the even models the scores move with them every other episode (the estimate falls).
 */
final class DriftHistory {
    static final List<String> INPUTS = CreditHistograms.INPUTS;
    static final int EPISODE_EVERY = 50;
    static final int EPISODE_HOURS = 3;
    static final String SOURCE = "bench-scoring";
    /** About this many histograms per batch. */
    static final int BATCH = 20_000;

    private final Jdbi jdbi;
    private final DistributionIngest ingest;
    private final Instant newest;
    private final int models;
    private long written;

    /** @param models how many of the first models send histograms */
    DriftHistory(Jdbi jdbi, DistributionIngest ingest, Instant newest, int models) {
        this.jdbi = jdbi;
        this.ingest = ingest;
        this.newest = newest;
        this.models = models;
    }

    int models() {
        return models;
    }

    /** Sets each drift model's v1 reference and calibration (v1 exists once its snapshots are written). */
    void setReferences() {
        Map<String, Histogram> features = new LinkedHashMap<>();
        for (CreditHistograms f : CreditHistograms.values()) features.put(f.feature(), numeric(f.edges(), f.usual()));
        double[] mids = CreditHistograms.predictionMidpoints();
        // well calibrated on the training rows: in each tenth the positive share is its mean score
        References refs = new References(features, Optional.of(new Calibration(CreditHistograms.PREDICTION.edges(), mids, mids,
                CreditHistograms.PREDICTION.usual(), 0.5, "1")));
        jdbi.useTransaction(tx -> {
            for (int m = 0; m < models; m++) {
                String model = SnapshotHistory.modelName(m);
                long version = ReferenceStore.versionId(tx, model, SnapshotHistory.VERSION)
                        .orElseThrow(() -> new IllegalStateException("no version " + SnapshotHistory.VERSION + " of " + model + " to set a reference for"));
                ReferenceStore.set(tx, version, refs, ReferenceOrigin.FILE, null, "operator:bench");
            }
        });
    }

    /** Writes the hours [fromHour, toHour) before the newest hour; returns how many histograms it has stored so far, these included. */
    long write(int fromHour, int toHour, int workers) throws Exception {
        int perHour = models * (INPUTS.size() + 1);
        int hoursPerBatch = Math.max(1, BATCH / perHour);
        AtomicLong stored = new AtomicLong();
        ChunkWorkers.run(fromHour, toHour, hoursPerBatch, workers, (from, to) -> {
            List<Distribution> batch = batch((int) from, (int) to);
            IngestResult r = ingest.ingest(IngestChannel.FILE, "bench lineage histograms", sink -> {
                for (int i = 0; i < batch.size(); i++) sink.add(i + 1, batch.get(i));
            });
            stored.addAndGet(r.inserted());
        });
        written += stored.get();
        return written;
    }

    static boolean inputsMoved(int hour) {
        return hour % EPISODE_EVERY < EPISODE_HOURS;
    }

    static boolean scoresMoved(int model, int hour) {
        return model % 2 == 0 && hour % (2 * EPISODE_EVERY) < EPISODE_HOURS;
    }

    private List<Distribution> batch(int fromHour, int toHour) {
        List<Distribution> out = new ArrayList<>((toHour - fromHour) * models * (INPUTS.size() + 1));
        for (int hour = fromHour; hour < toHour; hour++) {
            Instant at = newest.minus(hour, ChronoUnit.HOURS);
            boolean moved = inputsMoved(hour);
            for (int m = 0; m < models; m++) {
                String model = SnapshotHistory.modelName(m);
                for (CreditHistograms f : CreditHistograms.values()) {
                    boolean moving = f == CreditHistograms.PREDICTION ? scoresMoved(m, hour) : moved;
                    out.add(histogram(model, at, f.feature(), numeric(f.edges(), f.counts(moving))));
                }
            }
        }
        return out;
    }

    private static Distribution histogram(String model, Instant at, String feature, Histogram h) {
        return new Distribution(model, SnapshotHistory.VERSION, at, "", SOURCE, feature, h);
    }

    private static Histogram numeric(double[] edges, long[] counts) {
        return new Histogram(Histogram.Kind.NUMERIC, edges, null, counts);
    }
}
