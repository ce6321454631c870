package org.visutility.orchestrator.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a SQL collector does with a row that breaks a snapshot rule (or whose value conflicts with a
 * stored snapshot when changed values are rejected): the collector key {@code on_invalid_row}.
 */
public enum InvalidRowPolicy {
    /** The whole run fails and writes nothing; the watermark stays (the default, as before the key existed). */
    REJECT_RUN,
    /** The row is left out and recorded in orchestrator.collector_rejects; the rest is written and the watermark advances. */
    SKIP_ROW;

    /** How the configuration spells it: reject_run or skip_row. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<InvalidRowPolicy> byKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }
}
