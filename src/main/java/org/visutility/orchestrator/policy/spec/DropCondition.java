package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fall from baseline: the aggregate of a metric over a window of the current model version
 * has dropped by at least {@code amount} (absolute, or a fraction of the baseline when
 * {@code relative}) below the baseline. The baseline is a given value, or the mean of the
 * version's first K snapshots (sample-weighted when the aggregate is weighted_mean). With
 * {@code settledOnly}, only snapshots whose window is final at the evaluation time count (in the
 * window, for min_samples, in the baseline and as evidence).
 */
public record DropCondition(String metric, Aggregate aggregate, Window window, double amount, boolean relative,
                            Baseline baseline, Double resolve, long minSamples, boolean settledOnly) implements Condition {

    /** Counting provisional snapshots too (settled_only: false, the default). */
    public DropCondition(String metric, Aggregate aggregate, Window window, double amount, boolean relative,
                         Baseline baseline, Double resolve, long minSamples) {
        this(metric, aggregate, window, amount, relative, baseline, resolve, minSamples, false);
    }

    /** Either a fixed value or the first {@code firstSnapshots} snapshots of the model version. */
    public record Baseline(Double value, Integer firstSnapshots) {
        public Baseline {
            if ((value == null) == (firstSnapshots == null)) {
                throw new IllegalArgumentException("a baseline is either a value or a number of first snapshots");
            }
        }

        public String describe() {
            return value != null ? String.valueOf(value) : "the version's first " + firstSnapshots + " snapshots";
        }
    }

    /** The drop from baseline to the current value, in the condition's unit (absolute or fraction). */
    public Double dropFrom(double baselineValue, double current) {
        double drop = baselineValue - current;
        if (!relative) return drop;
        if (baselineValue == 0) return null; // a relative drop from zero has no meaning
        return drop / Math.abs(baselineValue);
    }

    public boolean breaches(double drop) {
        return drop >= amount;
    }

    public boolean recovers(double drop) {
        return resolve == null ? drop < amount : drop <= resolve;
    }

    @Override
    public String describe() {
        return aggregate.spelling() + "(" + metric + ", " + window.describe() + ") dropped by " + spell(amount)
                + " from " + baseline.describe();
    }

    private String spell(double v) {
        return relative ? percent(v) : String.valueOf(v);
    }

    static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = ConditionJson.windowed(metric, aggregate, window, minSamples, settledOnly);
        if (relative) n.put("drop", percent(amount));
        else n.put("drop", amount);
        if (baseline.value() != null) n.put("baseline", baseline.value());
        else n.putObject("baseline").put("first", baseline.firstSnapshots());
        if (resolve != null) {
            if (relative) n.put("resolve", percent(resolve));
            else n.put("resolve", resolve);
        }
        return n;
    }
}
