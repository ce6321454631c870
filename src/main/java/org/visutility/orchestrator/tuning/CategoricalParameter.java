package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;

/** A hyperparameter chosen from a list of scalars (strings, numbers or booleans). */
public record CategoricalParameter(String name, List<JsonNode> choices) implements Parameter {
    public CategoricalParameter {
        choices = List.copyOf(choices);
    }

    @Override
    public JsonNode sample(Random random) {
        return choices.get(random.nextInt(choices.size()));
    }

    @Override
    public List<JsonNode> gridValues(Integer gridSize) {
        return choices;
    }

    @Override
    public double position(JsonNode value) {
        int i = choices.indexOf(value);
        return choices.size() == 1 || i < 0 ? 0 : (double) i / (choices.size() - 1);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "categorical");
        ArrayNode list = n.putArray("choices");
        choices.forEach(list::add);
        return n;
    }
}
