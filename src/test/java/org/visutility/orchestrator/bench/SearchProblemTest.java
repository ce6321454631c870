package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.strategy.RandomSearch;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SearchProblemTest {
    @Test
    void eachProblemTakesItsKnownMinimumAtItsMinimiser() {
        Map<String, JsonNode> mixed = new LinkedHashMap<>();
        mixed.put("optimizer", TextNode.valueOf("adam"));
        mixed.put("layers", LongNode.valueOf(17));
        mixed.put("units", LongNode.valueOf(128));
        mixed.put("batch_size", LongNode.valueOf(128));
        mixed.put("activation", TextNode.valueOf("relu"));
        assertThat(new SearchProblem.Mixed().value(Params.of(mixed))).isCloseTo(0, within(1e-12));

        Map<String, JsonNode> ten = new LinkedHashMap<>();
        for (int i = 1; i <= 4; i++) ten.put("x" + i, Json.MAPPER.getNodeFactory().numberNode(10.0));
        assertThat(new SearchProblem.LogRosenbrock().value(Params.of(ten))).isCloseTo(0, within(1e-12));
    }

    @Test
    void noPointOfAnySpaceIsBelowTheKnownMinimumAndEveryPointFitsTheSpace() {
        for (SearchProblem p : SearchProblem.suite()) {
            for (int n = 0; n < 20_000; n++) {
                Params params = RandomSearch.draw(p.space(), 3, n);
                assertThat(p.value(params)).as("%s at %s", p.name(), params).isGreaterThanOrEqualTo(p.minimum() - 1e-9);
            }
        }
    }

    @Test
    void theNoisyProblemAddsNoiseThatDependsOnlyOnTheSeedAndTheTrialNumber() {
        SearchProblem noisy = new SearchProblem.NoisyHartmann6();
        Params p = RandomSearch.draw(noisy.space(), 1, 0);
        assertThat(noisy.observe(p, 4, 7)).isEqualTo(noisy.observe(p, 4, 7)).isNotEqualTo(noisy.observe(p, 4, 8))
                .isNotEqualTo(noisy.value(p));
        double sum = 0;
        double squares = 0;
        for (int n = 0; n < 4000; n++) {
            double e = noisy.observe(p, 4, n) - noisy.value(p);
            sum += e;
            squares += e * e;
        }
        assertThat(sum / 4000).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(squares / 4000)).isCloseTo(SearchProblem.NoisyHartmann6.SIGMA, within(0.01));
    }
}
