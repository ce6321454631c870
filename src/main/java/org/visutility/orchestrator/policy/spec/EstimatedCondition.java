package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.ThresholdCondition.Direction;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Estimated performance before labels (CBPE, confidence-based performance estimation): the
 * window's histograms of the feature {@code prediction} (a binary classifier's probability of the
 * positive class), calibrated by the version's reference calibration, give the expected accuracy,
 * precision or recall; the condition holds while it is below (or above) the line. A version whose
 * calibration error exceeds {@link #MAX_CALIBRATION_ERROR} cannot be judged this way: apply refuses it.
 */
public record EstimatedCondition(Metric metric, Direction direction, double line, Duration window, long minSamples,
                                 Reconcile reconcile) implements Condition {
    public static final String KEY = "estimated";
    /** The largest expected calibration error an estimate is trusted with (apply refuses more). */
    public static final double MAX_CALIBRATION_ERROR = 0.05;

    public enum Metric {
        ACCURACY, PRECISION, RECALL;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Metric> bySpelling(String s) {
            return Arrays.stream(values()).filter(m -> m.spelling().equals(s)).findFirst();
        }

        public static String spellings() {
            return Arrays.stream(values()).map(Metric::spelling).collect(Collectors.joining(", "));
        }
    }

    /** The realised check: the one given, or the same metric crossing the same line. */
    public Reconcile reconciledBy() {
        return reconcile != null ? reconcile : new Reconcile(metric.spelling(), direction, line);
    }

    public boolean breaches(double estimate) {
        return direction == Direction.BELOW ? estimate < line : estimate > line;
    }

    @Override
    public String describe() {
        return "estimated(" + metric.spelling() + ", " + Durations.format(window) + ") " + direction.spelling() + " " + line;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode outer = Json.MAPPER.createObjectNode();
        ObjectNode n = outer.putObject(KEY);
        n.put("metric", metric.spelling());
        n.put(direction.spelling(), line);
        n.put("window", Durations.format(window));
        n.put("min_samples", minSamples);
        if (reconcile != null) n.set(Reconcile.KEY, reconcile.toJson());
        return outer;
    }
}
