package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParameterImportanceTest {
    private static final JsonNode PARAMETERS = Json.MAPPER.valueToTree(List.of(
            Map.of("name", "lr", "kind", "numeric", "log", true),
            Map.of("name", "noise", "kind", "numeric", "log", false),
            Map.of("name", "opt", "kind", "categorical", "log", false)));

    private static ObjectNode trial(String status, Double score, double lr, double noise, String opt) {
        ObjectNode t = Json.MAPPER.createObjectNode().put("status", status);
        if (score == null) t.putNull("score"); else t.put("score", score);
        t.putObject("params").put("lr", lr).put("noise", noise).put("opt", opt);
        return t;
    }

    private static JsonNode byName(JsonNode estimate, String name) {
        for (JsonNode p : estimate.path("parameters")) if (p.path("name").asText().equals(name)) return p;
        throw new AssertionError("no " + name + " in " + estimate);
    }

    @Test
    void aParameterTheScoreFollowsMonotonicallyTakesAllTheImportanceAndAConstantOneHasNone() {
        List<ObjectNode> trials = new ArrayList<>();
        for (int i = 0; i < 8; i++) trials.add(trial("complete", 0.5 + 0.01 * i, Math.pow(10, -4 + 0.4 * i), 1.0, "adam"));
        JsonNode estimate = ParameterImportance.estimate(PARAMETERS, trials);
        assertThat(estimate.path("trials").asInt()).isEqualTo(8);
        assertThat(byName(estimate, "lr").path("correlation").asDouble()).isCloseTo(1.0, within(1e-12));
        assertThat(byName(estimate, "lr").path("importance").asDouble()).isCloseTo(1.0, within(1e-12));
        assertThat(byName(estimate, "noise").path("importance").isNull()).as("a constant says nothing").isTrue();
        assertThat(byName(estimate, "opt").path("importance").isNull()).isTrue();
        assertThat(estimate.path("parameters").get(0).path("name").asText()).isEqualTo("lr");
    }

    @Test
    void importancesSumToOneACategoryCountsByItsMeanScoreRankAndOnlyCompleteTrialsCount() {
        List<ObjectNode> trials = new ArrayList<>(List.of(
                trial("complete", 0.9, 1e-3, 3, "adam"), trial("complete", 0.8, 1e-2, 1, "adam"),
                trial("complete", 0.5, 1e-3, 2, "sgd"), trial("complete", 0.4, 1e-2, 4, "sgd"),
                trial("complete", 0.7, 1e-3, 5, "adagrad"), trial("complete", 0.6, 1e-2, 6, "adagrad"),
                trial("pruned", null, 1e-1, 7, "sgd"), trial("failed", null, 1e-1, 8, "sgd")));
        JsonNode estimate = ParameterImportance.estimate(PARAMETERS, trials);
        assertThat(estimate.path("trials").asInt()).isEqualTo(6);
        double sum = 0;
        for (JsonNode p : estimate.path("parameters")) sum += p.path("importance").asDouble();
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        // categories adam > adagrad > sgd order the scores in pairs: a strong rank correlation
        assertThat(byName(estimate, "opt").path("correlation").asDouble()).isGreaterThan(0.9);
        assertThat(estimate.path("parameters").get(0).path("name").asText()).isEqualTo("opt");
    }

    @Test
    void tiesShareTheirMeanRank() {
        assertThat(ParameterImportance.ranks(new double[] {3, 1, 3, 2})).containsExactly(3.5, 1, 3.5, 2);
    }
}
