package org.visutility.orchestrator.collect;

import java.time.Instant;
import java.util.List;

/**
 * The one validation every path (HTTP, file, SQL collector) applies to distribution items: the key
 * fields by the snapshots' rules (names, observed_at within the age bounds), the feature by the name
 * rule, the histogram by {@link HistogramRules}. An item with any violation yields nothing.
 */
public final class DistributionBatchValidator {
    public static final List<String> FIELDS = List.of("model", "version", "observed_at", "segment", "source", "feature", "kind", "bins", "counts");
    public static final String ITEMS = "distributions";

    private final SnapshotBatchValidator keys;
    private final HistogramRules histograms;

    public DistributionBatchValidator(SnapshotBatchValidator keys, HistogramRules histograms) {
        this.keys = keys;
        this.histograms = histograms;
    }

    public SnapshotBatchValidator keys() {
        return keys;
    }

    public HistogramRules histograms() {
        return histograms;
    }

    public void checkBatchSize(int count, List<Violation> out) {
        if (count < 1 || count > SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH) {
            out.add(Violation.ofInput(ITEMS, "must hold 1-" + SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH + " histograms per batch, got " + count));
        }
    }

    /** @return the distribution, or null when the item broke a rule (the violations are in {@code out}) */
    public Distribution validate(int position, RawDistribution raw, List<Violation> out) {
        int before = out.size();
        for (String field : raw.unknownFields()) {
            out.add(new Violation(position, SnapshotBatchValidator.printable(field), "is not a distribution field; the fields are "
                    + String.join(", ", FIELDS)));
        }
        String model = SnapshotBatchValidator.name(position, "model", raw.model(), true, out);
        String version = SnapshotBatchValidator.name(position, "version", raw.version(), true, out);
        String segment = SnapshotBatchValidator.name(position, "segment", raw.segment(), false, out);
        String source = SnapshotBatchValidator.name(position, "source", raw.source(), false, out);
        String feature = SnapshotBatchValidator.name(position, "feature", raw.feature(), true, out);
        Instant observedAt = keys.observedAt(position, raw.observedAt(), out);
        Histogram h = histograms.check(position, "", raw.kind(), raw.bins(), raw.categories(), raw.counts(), out);
        if (out.size() > before) return null;
        return new Distribution(model, version, observedAt, segment, source, feature, h);
    }
}
