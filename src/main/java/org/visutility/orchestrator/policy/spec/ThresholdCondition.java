package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An aggregate of a metric over a window compared with a line: it holds while the value is below
 * (or above) the line. With {@code resolve}, a firing policy resolves only once the value has
 * crossed back past the resolve line (hysteresis), not merely the firing line. With
 * {@code settledOnly}, only snapshots whose window is final at the evaluation time count (for the
 * value, for min_samples and as evidence).
 */
public record ThresholdCondition(String metric, Aggregate aggregate, Window window, Direction direction, double line,
                                 Double resolve, long minSamples, boolean settledOnly) implements Condition {

    /** Counting provisional snapshots too (settled_only: false, the default). */
    public ThresholdCondition(String metric, Aggregate aggregate, Window window, Direction direction, double line,
                              Double resolve, long minSamples) {
        this(metric, aggregate, window, direction, line, resolve, minSamples, false);
    }

    public enum Direction {
        BELOW, ABOVE;

        public String spelling() {
            return this == BELOW ? "below" : "above";
        }
    }

    /** Whether an observed value is past the line. */
    public boolean breaches(double observed) {
        return direction == Direction.BELOW ? observed < line : observed > line;
    }

    /** Whether an observed value is back on the safe side of the resolve line (or of the line itself). */
    public boolean recovers(double observed) {
        double back = resolve == null ? line : resolve;
        return direction == Direction.BELOW ? observed >= back : observed <= back;
    }

    @Override
    public String describe() {
        return aggregate.spelling() + "(" + metric + ", " + window.describe() + ") " + direction.spelling() + " " + line;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = ConditionJson.windowed(metric, aggregate, window, minSamples, settledOnly);
        n.put(direction.spelling(), line);
        if (resolve != null) n.put("resolve", resolve);
        return n;
    }
}
