package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A whole-number hyperparameter low, low+step, ... up to high; log-uniform when {@code log} (step 1). */
public record IntParameter(String name, long low, long high, boolean log, long step) implements Parameter {

    /** How many values the parameter can take. */
    public long valueCount() {
        return (high - low) / step + 1;
    }

    @Override
    public JsonNode sample(Random random) {
        if (log) {
            // log-uniform over [low, high + 1), floored: every value is reachable, small ones more often
            double v = Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high + 1) - Math.log(low)));
            return LongNode.valueOf(Math.min(high, Math.max(low, (long) Math.floor(v))));
        }
        long k = (long) (random.nextDouble() * valueCount());
        return LongNode.valueOf(low + Math.min(k, valueCount() - 1) * step);
    }

    @Override
    public List<JsonNode> gridValues(Integer gridSize) {
        List<JsonNode> values = new ArrayList<>();
        for (long v = low; v <= high; v += step) values.add(LongNode.valueOf(v));
        return values;
    }

    @Override
    public double position(JsonNode value) {
        double v = value.asDouble();
        double u = log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (double) (high - low);
        return Math.min(1, Math.max(0, u));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "int").put("low", low).put("high", high);
        if (log) n.put("log", true);
        if (step != 1) n.put("step", step);
        return n;
    }
}
