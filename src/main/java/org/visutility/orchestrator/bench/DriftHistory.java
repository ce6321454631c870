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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    static final List<String> INPUTS = List.of("income", "utilization", "age");
    static final int EPISODE_EVERY = 50;
    static final int EPISODE_HOURS = 3;
    static final String SOURCE = "bench-scoring";
    /** About this many histograms per batch. */
    static final int BATCH = 20_000;

    private static final double[] INCOME_EDGES = {0, 20, 40, 60, 80, 100};
    private static final long[] INCOME = {100, 250, 300, 250, 100};
    private static final long[] INCOME_MOVED = {300, 300, 200, 150, 50};
    private static final double[] UTILIZATION_EDGES = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
    private static final long[] UTILIZATION = {200, 300, 250, 150, 100};
    private static final long[] UTILIZATION_MOVED = {50, 150, 250, 300, 250};
    private static final double[] AGE_EDGES = {18, 30, 45, 60, 75, 100};
    private static final long[] AGE = {200, 300, 250, 150, 100};
    private static final double[] SCORE_EDGES = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    private static final long[] SCORES = {450, 200, 50, 20, 20, 20, 20, 20, 50, 150};
    private static final long[] SCORES_MIDDLE = {100, 100, 150, 200, 150, 100, 80, 50, 30, 40};

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
        features.put("income", numeric(INCOME_EDGES, INCOME));
        features.put("utilization", numeric(UTILIZATION_EDGES, UTILIZATION));
        features.put("age", numeric(AGE_EDGES, AGE));
        features.put(Histogram.PREDICTION, numeric(SCORE_EDGES, SCORES));
        double[] mids = new double[SCORE_EDGES.length - 1];
        for (int b = 0; b < mids.length; b++) mids[b] = Math.round((SCORE_EDGES[b] + SCORE_EDGES[b + 1]) * 50) / 100.0;
        // well calibrated on the training rows: in each tenth the positive share is its mean score
        References refs = new References(features, Optional.of(new Calibration(SCORE_EDGES, mids, mids, SCORES, 0.5, "1")));
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
        AtomicLong nextHour = new AtomicLong(fromHour);
        AtomicLong stored = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    for (long from = nextHour.getAndAdd(hoursPerBatch); from < toHour; from = nextHour.getAndAdd(hoursPerBatch)) {
                        List<Distribution> batch = batch((int) from, (int) Math.min(toHour, from + hoursPerBatch));
                        IngestResult r = ingest.ingest(IngestChannel.FILE, "bench lineage histograms", sink -> {
                            for (int i = 0; i < batch.size(); i++) sink.add(i + 1, batch.get(i));
                        });
                        stored.addAndGet(r.inserted());
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdown();
        }
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
                out.add(histogram(model, at, "income", numeric(INCOME_EDGES, moved ? INCOME_MOVED : INCOME)));
                out.add(histogram(model, at, "utilization", numeric(UTILIZATION_EDGES, moved ? UTILIZATION_MOVED : UTILIZATION)));
                out.add(histogram(model, at, "age", numeric(AGE_EDGES, AGE)));
                out.add(histogram(model, at, Histogram.PREDICTION, numeric(SCORE_EDGES, scoresMoved(m, hour) ? SCORES_MIDDLE : SCORES)));
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
