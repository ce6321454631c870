package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * One figure of a benchmark measured several times: the first measurement is the warm-up (a cold
 * JVM, cold caches), kept and reported apart, never mixed into the spread; the others give the
 * minimum, median and maximum. Every bench reports its figures through this, so that a figure never
 * hides how much it moved between repetitions or what the first, cold run cost.
 *
 * @param unit     what the values are in, e.g. "ms" or "ratio"
 * @param warmUp   the first, unreported-in-the-spread measurement (NaN when there was none)
 * @param values   the repetitions after the warm-up, in the order they ran
 */
public record Repetitions(String unit, double warmUp, double[] values) {
    /** The fewest repetitions a figure is reported from. */
    public static final int MIN_REPETITIONS = 3;

    public Repetitions {
        if (values.length == 0) throw new IllegalArgumentException("a figure needs at least one repetition");
        values = values.clone();
    }

    /** Runs {@code once} a first time as the warm-up, then {@code repetitions} times more. */
    public static Repetitions measure(String unit, int repetitions, DoubleSupplier once) {
        double warmUp = once.getAsDouble();
        return new Repetitions(unit, warmUp, repeat(repetitions, i -> once.getAsDouble()));
    }

    /** Values measured without a warm-up of their own (the warm-up was paid elsewhere, or there is none). */
    public static Repetitions of(String unit, double... values) {
        return new Repetitions(unit, Double.NaN, values);
    }

    /** {@code times} results of {@code run} (called with 0, 1, ...). */
    public static double[] repeat(int times, IntToDoubleFunction run) {
        double[] values = new double[times];
        for (int i = 0; i < times; i++) values[i] = run.applyAsDouble(i);
        return values;
    }

    public boolean hasWarmUp() {
        return !Double.isNaN(warmUp);
    }

    public double min() {
        return Arrays.stream(values).min().orElseThrow();
    }

    public double max() {
        return Arrays.stream(values).max().orElseThrow();
    }

    /** The middle value; of an even count, the mean of the two in the middle. */
    public double median() {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Each value divided by the baseline's value of the same repetition (its median when the counts
     * differ); the warm-up divided by the baseline's median, the steadiest estimate of the baseline.
     */
    public Repetitions over(Repetitions baseline) {
        double[] ratios = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            ratios[i] = values[i] / (baseline.values.length == values.length ? baseline.values[i] : baseline.median());
        }
        double warm = hasWarmUp() ? warmUp / baseline.median() : Double.NaN;
        return new Repetitions("ratio", warm, ratios);
    }

    /** {"unit", "min", "median", "max", "repetitions": [...], "warm_up"} (warm_up only when there was one). */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("unit", unit)
                .put("min", round(min())).put("median", round(median())).put("max", round(max()));
        ArrayNode runs = n.putArray("repetitions");
        for (double v : values) runs.add(round(v));
        if (hasWarmUp()) n.put("warm_up", round(warmUp));
        return n;
    }

    /** "2.41 ms (min 2.30, max 2.66 over 3 repetitions; warm-up 3.90)". */
    public String text() {
        String spread = String.format(Locale.ROOT, "%s %s (min %s, max %s over %d repetitions", number(median()), unit,
                number(min()), number(max()), values.length);
        return spread + (hasWarmUp() ? "; warm-up " + number(warmUp) + ")" : ")");
    }

    private static String number(double v) {
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return v;
        return Math.round(v * 1000) / 1000.0;
    }
}
