package org.visutility.orchestrator.tuning.strategy.tpe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import org.visutility.orchestrator.tuning.CategoricalParameter;
import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.IntParameter;
import org.visutility.orchestrator.tuning.Parameter;

import java.math.BigDecimal;

/**
 * One parameter as the Parzen estimators see it. A numeric parameter lives on a line: its value,
 * or its logarithm with {@code log}, between {@link #low()} and {@link #high()}. A discrete one
 * (int, or float with a step) owns a bin around each of its values — half a step either side, on
 * the log line for log ints — so the line runs from half a step below the first value to half a
 * step above the last, and a value's likelihood is the mass of its bin. A categorical parameter
 * is the index of its choice. NSGA-II ({@code strategy.nsga2}) crosses and mutates parameters on
 * the same lines.
 */
public sealed interface Dimension permits Dimension.Numeric, Dimension.Categorical {

    String name();

    /** The internal coordinate of a stored value, or NaN when the value does not fit this parameter. */
    double toInternal(JsonNode value);

    /** The parameter's value for an internal coordinate (snapped to a step, rounded to a whole number). */
    JsonNode toExternal(double x);

    static Dimension of(Parameter p) {
        if (p instanceof CategoricalParameter c) return new Categorical(c);
        if (p instanceof IntParameter i) return Numeric.ofInt(i);
        return Numeric.ofFloat((FloatParameter) p);
    }

    /**
     * A float or int parameter.
     *
     * @param low     the line's lower end (bin edge for discrete parameters)
     * @param high    the line's upper end
     * @param log     the line is the log of the value
     * @param first   the first value (discrete), or the range's low
     * @param last    the last value (discrete), or the range's high
     * @param step    the distance between values, 0 for a continuous float
     * @param count   how many values a discrete parameter has
     * @param integer values are whole numbers
     * @param scale   internal coordinate = value × scale on a linear line: 1, or {@link #HUGE_SCALE} for a float
     *                range near the largest doubles (±1e308), whose width, spreads and bin edges would
     *                otherwise overflow to infinity
     */
    public record Numeric(String name, double low, double high, boolean log, double first, double last, double step, long count,
                   boolean integer, double scale) implements Dimension {
        /** Ranges reaching past this magnitude are scaled down. */
        static final double HUGE = Double.MAX_VALUE / 16;
        /** A power of two: scaling by it is exact. */
        static final double HUGE_SCALE = 1.0 / 16;

        static Numeric ofFloat(FloatParameter f) {
            if (f.log()) {
                return new Numeric(f.name(), Math.log(f.low()), Math.log(f.high()), true, f.low(), f.high(), 0, 0, false, 1);
            }
            double s = Math.max(Math.abs(f.low()), Math.abs(f.high())) > HUGE ? HUGE_SCALE : 1;
            if (f.step() == null) return new Numeric(f.name(), f.low() * s, f.high() * s, false, f.low(), f.high(), 0, 0, false, s);
            long count = f.stepCount();
            double last = f.low() + (count - 1) * f.step();
            double halfStep = f.step() * s / 2;
            return new Numeric(f.name(), f.low() * s - halfStep, last * s + halfStep, false, f.low(), last, f.step(), count, false, s);
        }

        static Numeric ofInt(IntParameter i) {
            if (i.log()) {
                return new Numeric(i.name(), Math.log(i.low() - 0.5), Math.log(i.high() + 0.5), true, i.low(), i.high(), 1,
                        i.high() - i.low() + 1, true, 1);
            }
            long count = i.valueCount();
            double last = i.low() + (double) (count - 1) * i.step();
            return new Numeric(i.name(), i.low() - i.step() / 2.0, last + i.step() / 2.0, false, i.low(), last, i.step(), count, true, 1);
        }

        public boolean discrete() {
            return step > 0;
        }

        double range() {
            return high - low;
        }

        @Override
        public double toInternal(JsonNode value) {
            if (value == null || !value.isNumber()) return Double.NaN;
            double v = value.asDouble();
            double x = log ? Math.log(v) : v * scale;
            return x >= low && x <= high ? x : Double.NaN;
        }

        @Override
        public JsonNode toExternal(double x) {
            double v = log ? Math.exp(x) : x / scale;
            if (!discrete()) return DoubleNode.valueOf(Math.min(last, Math.max(first, v)));
            long k = valueIndex(x);
            if (integer) return LongNode.valueOf((long) first + k * (long) step);
            // decimal arithmetic, as the parameter's own values are spelled (0.1 steps give 0.3)
            return DoubleNode.valueOf(BigDecimal.valueOf(first).add(BigDecimal.valueOf(step).multiply(BigDecimal.valueOf(k)))
                    .doubleValue());
        }

        /** Which value (0 to count − 1) a discrete parameter's internal coordinate stands for. */
        long valueIndex(double x) {
            double index = log ? (Math.exp(x) - first) / step : (x - first * scale) / (step * scale);
            return Math.max(0, Math.min(count - 1, Math.round(index)));
        }

        /** The internal coordinate snapped onto the values: the centre of its bin's value. */
        double snap(double x) {
            return discrete() ? toInternal(toExternal(x)) : x;
        }

        /** The edges of the bin that holds the value at {@code x} (a discrete parameter's value). */
        double binLow(double x) {
            if (!log) return Math.max(low, x - step * scale / 2);
            return Math.max(low, Math.log(Math.exp(x) - step / 2));
        }

        double binHigh(double x) {
            if (!log) return Math.min(high, x + step * scale / 2);
            return Math.min(high, Math.log(Math.exp(x) + step / 2));
        }
    }

    /** A categorical parameter: the index of its choice. */
    public record Categorical(String name, CategoricalParameter parameter) implements Dimension {
        Categorical(CategoricalParameter parameter) {
            this(parameter.name(), parameter);
        }

        public int size() {
            return parameter.choices().size();
        }

        @Override
        public double toInternal(JsonNode value) {
            int i = parameter.choices().indexOf(value);
            return i < 0 ? Double.NaN : i;
        }

        @Override
        public JsonNode toExternal(double x) {
            return parameter.choices().get((int) x);
        }
    }
}
