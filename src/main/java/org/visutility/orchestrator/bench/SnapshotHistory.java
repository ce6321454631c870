package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.collect.IngestChannel;
import org.visutility.orchestrator.collect.IngestResult;
import org.visutility.orchestrator.collect.RevisionRules;
import org.visutility.orchestrator.collect.Snapshot;
import org.visutility.orchestrator.collect.SnapshotIngest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes hourly snapshots of every model and segment through the ingest path (staging COPY,
 * partitions, SnapshotWriter: what HTTP batches and the file import run), in large batches of a few
 * hours of the whole fleet each, by several writers at once. The source revises by design
 * ({@code ingest --on-changed-value revise}, as a warehouse scoring over late labels does): its windows
 * stay provisional, so late labels can revise them later.
 */
final class SnapshotHistory {
    static final List<String> SEGMENTS = List.of("eu", "us");
    static final String VERSION = "v1";
    static final String SOURCE = "serving";
    /** About this many snapshots per batch (whole hours of the fleet). */
    static final int BATCH = 20_000;
    /** At most a day per batch, so that a batch touches at most two monthly partitions (ingest bounds new partitions per batch). */
    static final int MAX_HOURS_PER_BATCH = 24;
    /** One key (model, hour) in this many of segment eu is revised by late labels. */
    static final int REVISED_ONE_IN = 1000;

    private final SnapshotIngest ingest;
    private final Instant newest;
    private final int models;

    SnapshotHistory(SnapshotIngest ingest, Instant newest, int models) {
        this.ingest = ingest;
        this.newest = newest;
        this.models = models;
    }

    int models() {
        return models;
    }

    /** The first three models are called as in the documented questions, so that those find rows. */
    static String modelName(int index) {
        return switch (index) {
            case 0 -> "churn";
            case 1 -> "fraud";
            case 2 -> "credit";
            default -> String.format("bench-%05d", index);
        };
    }

    /** Writes the hours [fromHour, toHour) before the newest hour; returns how many snapshots were stored. */
    long write(int fromHour, int toHour, int workers) throws Exception {
        int hoursPerBatch = Math.max(1, Math.min(MAX_HOURS_PER_BATCH, BATCH / (models * SEGMENTS.size())));
        AtomicLong stored = new AtomicLong();
        ChunkWorkers.run(fromHour, toHour, hoursPerBatch, workers, (from, to) -> {
            List<Snapshot> batch = batch((int) from, (int) to);
            IngestResult r = ingest.ingest(IngestChannel.FILE, "bench lineage", sink -> {
                for (int i = 0; i < batch.size(); i++) sink.add(i + 1, batch.get(i));
            }, RevisionRules.REVISE);
            stored.addAndGet(r.inserted());
        });
        return stored.get();
    }

    /**
     * Late labels: recomputed windows of the hours [fromHour, toHour) sent again by a revising source
     * ({@code ingest --on-changed-value revise}), each stored as its key's next revision. One key in
     * {@link #REVISED_ONE_IN} of segment eu, and, in the newest hour, the window of every other model
     * among the first {@code policyModels} (the window their policies' first pass read). Returns how many
     * revisions were stored.
     */
    long revise(int fromHour, int toHour, int policyModels) {
        List<Snapshot> revised = new ArrayList<>();
        for (int hour = fromHour; hour < toHour; hour++) {
            Instant at = newest.minus(hour, ChronoUnit.HOURS);
            for (int m = 0; m < models; m++) {
                boolean lateLabels = Math.floorMod(hour * 7L + m, REVISED_ONE_IN) == 0 || (hour == 0 && m < policyModels && m % 2 == 0);
                if (!lateLabels) continue;
                Random random = new Random(hour * 1_000_003L + m);
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("accuracy", 0.93 + random.nextDouble() * 0.05);
                metrics.put("precision", 0.70 + random.nextDouble() * 0.3);
                metrics.put("latency_ms", 5 + random.nextDouble() * 100);
                revised.add(new Snapshot(modelName(m), VERSION, at, 10_000 + random.nextInt(5000), SEGMENTS.get(0), SOURCE, metrics));
            }
        }
        long stored = 0;
        for (int from = 0; from < revised.size(); from += BATCH) {
            List<Snapshot> batch = revised.subList(from, Math.min(revised.size(), from + BATCH));
            IngestResult r = ingest.ingest(IngestChannel.FILE, "bench lineage late labels", sink -> {
                for (int i = 0; i < batch.size(); i++) sink.add(i + 1, batch.get(i));
            }, RevisionRules.REVISE);
            stored += r.revised();
        }
        return stored;
    }

    /** Deterministic values: the same hours always give the same snapshots. */
    private List<Snapshot> batch(int fromHour, int toHour) {
        Random random = new Random(fromHour);
        List<Snapshot> out = new ArrayList<>((toHour - fromHour) * models * SEGMENTS.size());
        for (int hour = fromHour; hour < toHour; hour++) {
            Instant at = newest.minus(hour, ChronoUnit.HOURS);
            for (int m = 0; m < models; m++) {
                for (String segment : SEGMENTS) {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("accuracy", 0.80 + random.nextDouble() * 0.2);
                    metrics.put("precision", 0.70 + random.nextDouble() * 0.3);
                    metrics.put("latency_ms", 5 + random.nextDouble() * 100);
                    out.add(new Snapshot(modelName(m), VERSION, at, 1000 + random.nextInt(9000), segment, SOURCE, metrics));
                }
            }
        }
        return out;
    }
}
