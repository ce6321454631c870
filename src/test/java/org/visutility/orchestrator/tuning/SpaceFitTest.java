package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpaceFitTest {
    private static final SearchSpace TODAY = space("""
            {"x": {"type": "float", "low": 0.0, "high": 0.5},
             "d": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.1},
             "n": {"type": "int", "low": 2, "high": 8, "step": 2},
             "opt": {"type": "categorical", "choices": ["sgd", "adam"]}}""");

    private static SearchSpace space(String json) {
        Violations v = new Violations();
        try {
            SearchSpace s = SearchSpace.parse(Json.MAPPER.readTree(json), "space", v);
            assertThat(v.messages()).isEmpty();
            return s;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Params params(double x, double d, long n, String opt) {
        return Params.of(Map.of("x", DoubleNode.valueOf(x), "d", DoubleNode.valueOf(d), "n", LongNode.valueOf(n),
                "opt", TextNode.valueOf(opt), "dropped", DoubleNode.valueOf(3)));
    }

    @Test
    void aParameterTheSpaceNoLongerHasIsLeftOutAndTheRestKeptInSpaceOrder() {
        Params fit = SpaceFit.fit(TODAY, params(0.25, 0.3, 4, "adam")).orElseThrow();
        assertThat(fit.values().keySet()).containsExactly("x", "d", "n", "opt");
        assertThat(fit.get("x").asDouble()).isEqualTo(0.25);
    }

    @Test
    void aValueOutsideANarrowedRangeOffTheStepsOrNotAChoiceDropsTheTrial() {
        assertThat(SpaceFit.fit(TODAY, params(0.75, 0.3, 4, "adam"))).as("x above today's high").isEmpty();
        assertThat(SpaceFit.fit(TODAY, params(0.25, 0.35, 4, "adam"))).as("d off its 0.1 steps").isEmpty();
        assertThat(SpaceFit.fit(TODAY, params(0.25, 0.3, 5, "adam"))).as("n off its steps of 2").isEmpty();
        assertThat(SpaceFit.fit(TODAY, params(0.25, 0.3, 10, "adam"))).as("n above its high").isEmpty();
        assertThat(SpaceFit.fit(TODAY, params(0.25, 0.3, 4, "rmsprop"))).as("no longer a choice").isEmpty();
    }

    @Test
    void aMissingParameterOrOneOfAnotherKindDropsTheTrial() {
        assertThat(SpaceFit.fit(TODAY, Params.of(Map.of("x", DoubleNode.valueOf(0.1))))).isEmpty();
        Params intAsFloat = Params.of(Map.of("x", DoubleNode.valueOf(0.1), "d", DoubleNode.valueOf(0.2),
                "n", DoubleNode.valueOf(4.5), "opt", TextNode.valueOf("sgd")));
        assertThat(SpaceFit.fit(TODAY, intAsFloat)).isEmpty();
        Params textForFloat = Params.of(Map.of("x", TextNode.valueOf("0.1"), "d", DoubleNode.valueOf(0.2),
                "n", LongNode.valueOf(4), "opt", TextNode.valueOf("sgd")));
        assertThat(SpaceFit.fit(TODAY, textForFloat)).isEmpty();
    }
}
