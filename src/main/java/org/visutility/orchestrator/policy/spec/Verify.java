package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;

import java.time.Duration;

/**
 * How a policy judges its retrains once the new version is active (the policy key {@code verify:}):
 * the sample-weighted mean of {@code metric} over the latest {@code window} after activation, once
 * that window holds at least {@code minSamples} samples; {@code within} after activation without
 * that, the retrain's outcome is inconclusive.
 */
public record Verify(String metric, Duration window, long minSamples, Duration within) {
    public static final String KEY = "verify";
    /** Without {@code within:} (and for policies without {@code verify:}), a verification is given this long. */
    public static final Duration DEFAULT_WITHIN = Duration.ofDays(3);
    public static final long DEFAULT_MIN_SAMPLES = 1;
    /** A window is at most this long: the judged window is read from the metric history in one scan. */
    public static final Duration MAX_WINDOW = Duration.ofDays(30);
    /** A verification is open at most this long, so that a policy is never held back for good. */
    public static final Duration MAX_WITHIN = Duration.ofDays(90);

    /** The normalised form stored with the policy version, in the keys of the policy file. */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("metric", metric);
        n.put("window", Durations.format(window));
        n.put("min_samples", minSamples);
        n.put("within", Durations.format(within));
        return n;
    }
}
