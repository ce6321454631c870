package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Random;

/** One hyperparameter of a search space. */
public sealed interface Parameter permits FloatParameter, IntParameter, CategoricalParameter {
    String name();

    /** A value drawn uniformly (log-uniformly when {@code log}) from the parameter's range. */
    JsonNode sample(Random random);

    /** The values a grid visits, or null when the range is continuous and {@code gridSize} is not given. */
    List<JsonNode> gridValues(Integer gridSize);

    /** Where {@code value} lies in the range, from 0 (low, or the first choice) to 1 (high, or the last choice). */
    double position(JsonNode value);

    /** The parameter as it is stored in the normalised spec. */
    ObjectNode toJson();
}
