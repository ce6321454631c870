package org.visutility.orchestrator.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a SQL collector's query returns, the collector key {@code returns}: metric snapshots (the default) or histograms. */
public enum CollectedItems {
    /** Rows of metric snapshots, written to orchestrator.metric_snapshot. */
    SNAPSHOTS,
    /** Rows of histograms (one feature of one window each), written to orchestrator.distribution_snapshot. */
    DISTRIBUTIONS;

    /** How the configuration spells it: snapshots or distributions. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CollectedItems> byKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }
}
