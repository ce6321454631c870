package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trial's hyperparameters: names (in the order of the search space) to JSON scalars (a
 * float, a whole number, or a categorical choice). Immutable; equal when the values are equal.
 */
public final class Params {
    private final Map<String, JsonNode> values;

    private Params(Map<String, JsonNode> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Params of(Map<String, JsonNode> values) {
        return new Params(new LinkedHashMap<>(values));
    }

    /** Reads a JSON object (as stored in trial.params). */
    public static Params fromJson(JsonNode object) {
        if (object == null || !object.isObject()) throw new IllegalArgumentException("params must be a JSON object");
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), normalize(e.getValue()));
        }
        return new Params(values);
    }

    /**
     * One spelling per value, so that params read back from the database equal the ones proposed:
     * whole numbers as longs, other numbers as doubles.
     */
    public static JsonNode normalize(JsonNode scalar) {
        if (scalar.isIntegralNumber() && scalar.canConvertToLong()) return LongNode.valueOf(scalar.asLong());
        if (scalar.isNumber()) return DoubleNode.valueOf(scalar.asDouble());
        return scalar;
    }

    public Map<String, JsonNode> values() {
        return values;
    }

    public JsonNode get(String name) {
        return values.get(name);
    }

    /** The value as the trainer protocol passes it in {@code --name=value}. */
    public String commandLineValue(String name) {
        return values.get(name).asText();
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        values.forEach(node::set);
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
