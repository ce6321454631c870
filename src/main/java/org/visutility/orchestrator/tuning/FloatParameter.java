package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A real-valued hyperparameter in [low, high]; log-uniform when {@code log}; quantised to
 * low + k·step when {@code step} is set (then a grid can enumerate it).
 */
public record FloatParameter(String name, double low, double high, boolean log, Double step) implements Parameter {

    @Override
    public JsonNode sample(Random random) {
        if (step != null) {
            long count = stepCount();
            return DoubleNode.valueOf(atStep((long) (random.nextDouble() * count)));
        }
        double u = random.nextDouble();
        double value = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : at(u);
        return DoubleNode.valueOf(Math.min(high, Math.max(low, value)));
    }

    @Override
    public List<JsonNode> gridValues(Integer gridSize) {
        List<JsonNode> values = new ArrayList<>();
        if (step != null) {
            long count = stepCount();
            for (long k = 0; k < count; k++) values.add(DoubleNode.valueOf(atStep(k)));
            return values;
        }
        if (gridSize == null) return null;
        for (int i = 0; i < gridSize; i++) {
            double u = gridSize == 1 ? 0.5 : (double) i / (gridSize - 1);
            double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : at(u);
            values.add(DoubleNode.valueOf(i == gridSize - 1 && gridSize > 1 ? high : v));
        }
        return values;
    }

    /**
     * The point at fraction {@code u} of [low, high]. Computed on halves: high − low overflows to
     * infinity for a range such as ±1e308 (every draw was then high); halving is exact, so any
     * other range gets the very value low + u·(high − low) gives.
     */
    private double at(double u) {
        double halfLow = low / 2;
        return 2 * (halfLow + u * (high / 2 - halfLow));
    }

    /** high − low, halved: finite for any finite range. */
    private double halfWidth() {
        return high / 2 - low / 2;
    }

    /** How many values low + k·step fit in the range. */
    public long stepCount() {
        return BigDecimal.valueOf(high).subtract(BigDecimal.valueOf(low))
                .divideToIntegralValue(BigDecimal.valueOf(step)).longValueExact() + 1;
    }

    private double atStep(long k) {
        // decimal arithmetic, so that 0.1 steps give 0.3 and not 0.30000000000000004
        return BigDecimal.valueOf(low).add(BigDecimal.valueOf(step).multiply(BigDecimal.valueOf(k))).doubleValue();
    }

    @Override
    public double position(JsonNode value) {
        double v = value.asDouble();
        double u = log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v / 2 - low / 2) / halfWidth();
        return Math.min(1, Math.max(0, u));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "float").put("low", low).put("high", high);
        if (log) n.put("log", true);
        if (step != null) n.put("step", step);
        return n;
    }
}
