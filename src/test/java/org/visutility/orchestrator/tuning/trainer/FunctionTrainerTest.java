package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FunctionTrainerTest {
    private static final FunctionTrainer.Provider PROVIDER = new FunctionTrainer.Provider();

    private static SearchSpace space(String yaml) throws Exception {
        Violations v = new Violations();
        SearchSpace space = SearchSpace.parse(Json.YAML.readTree(yaml), "space", v);
        assertThat(v.messages()).isEmpty();
        return space;
    }

    private static ObjectNode options(String function) {
        return Json.MAPPER.createObjectNode().put("type", FunctionTrainer.TYPE).put("function", function);
    }

    private static TrialResult train(Trainer trainer, Map<String, JsonNode> params) throws Exception {
        TrialContext trial = new TrialContext(1, 0, 1, Params.of(params), new Objective(Zdt1.FIRST, Direction.MINIMIZE), () -> false,
                () -> { throw new AssertionError("the function trainer needs no folder"); });
        return trainer.train(trial, report -> TrialReporter.Verdict.CONTINUE);
    }

    @Test
    void zdt1IsOnItsParetoFrontWhereEveryCoordinateButTheFirstIsZero() {
        for (double x1 : new double[]{0, 0.25, 0.5, 1}) {
            Map<String, Double> m = Zdt1.metrics(new double[]{x1, 0, 0});
            assertThat(m.get(Zdt1.FIRST)).isEqualTo(x1);
            assertThat(m.get(Zdt1.SECOND)).isCloseTo(1 - Math.sqrt(x1), within(1e-12));
        }
    }

    @Test
    void zdt1AwayFromTheFrontIsWorseOnTheSecondObjective() {
        // g = 1 + 9 * (1 + 1) / 2 = 10 at x = (0.25, 1, 1): f2 = 10 * (1 - sqrt(0.025))
        assertThat(Zdt1.metrics(new double[]{0.25, 1, 1}).get(Zdt1.SECOND)).isCloseTo(10 * (1 - Math.sqrt(0.025)), within(1e-12));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            double[] x = {random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble()};
            assertThat(Zdt1.metrics(x).get(Zdt1.SECOND)).isGreaterThanOrEqualTo(1 - Math.sqrt(x[0]) - 1e-12);
        }
    }

    @Test
    void theZdt1TrainerReportsBothObjectivesAtTheParametersPositions() throws Exception {
        SearchSpace space = space("""
                a: {type: float, low: 0.0, high: 2.0}
                b: {type: float, low: -1.0, high: 1.0}
                """);
        Trainer trainer = PROVIDER.create(options(Zdt1.SPELLING), space);

        TrialResult r = train(trainer, Map.of("a", Json.MAPPER.valueToTree(0.5), "b", Json.MAPPER.valueToTree(-1.0)));

        // positions (0.25, 0): on the front
        assertThat(r.metrics()).containsOnlyKeys(Zdt1.FIRST, Zdt1.SECOND);
        assertThat(r.metrics().get(Zdt1.FIRST)).isCloseTo(0.25, within(1e-12));
        assertThat(r.metrics().get(Zdt1.SECOND)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theSingleObjectiveFunctionsReportLoss() throws Exception {
        SearchSpace space = space("x: {type: float, low: 0.0, high: 1.0}");

        TrialResult r = train(PROVIDER.create(options("sphere"), space), Map.of("x", Json.MAPPER.valueToTree(1.0)));

        assertThat(r.metrics()).containsOnlyKeys(FunctionTrainer.METRIC);
        assertThat(r.metrics().get(FunctionTrainer.METRIC)).isEqualTo(0.25);
    }

    @Test
    void zdt1NeedsAtLeastTwoParametersAndAnUnknownFunctionIsRefused() throws Exception {
        Violations v = new Violations();
        PROVIDER.checkSpace(options(Zdt1.SPELLING), space("x: {type: float, low: 0.0, high: 1.0}"), v);
        assertThat(v.messages()).singleElement().asString().contains("zdt1 takes at least 2 parameters");

        Violations unknown = new Violations();
        PROVIDER.validate(options("zdt9"), unknown);
        assertThat(unknown.messages()).singleElement().asString().contains("sphere, branin, hartmann6, zdt1");
    }
}
