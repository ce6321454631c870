package org.visutility.orchestrator.experiment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmStartSpecTest {
    private static final String SPEC = """
            model: churn
            objective: {metric: loss, direction: minimize}
            strategy: %s
            budget: {trials: 4}
            space:
              x: {type: float, low: 0.0, high: 1.0}
            trainer: {type: function, function: sphere}
            """;

    private static ExperimentSpec parse(String strategy) {
        return ExperimentSpec.parseYaml(SPEC.formatted(strategy), "test spec");
    }

    private static List<String> refusal(String strategy) {
        try {
            parse(strategy);
        } catch (InvalidSpecException e) {
            return e.violations();
        }
        throw new AssertionError("accepted: " + strategy);
    }

    @Test
    void previousRoundsDefaultsToTwoHundredTrialsAndIsStoredWithTheSpec() {
        ExperimentSpec spec = parse("{name: tpe, seed: 1, warm_start: {from: previous_rounds}}");
        WarmStart w = spec.strategy().warmStart().orElseThrow();
        assertThat(w.from()).isEqualTo(WarmStart.Source.PREVIOUS_ROUNDS);
        assertThat(w.maxTrials()).isEqualTo(200);
        assertThat(spec.strategy().options().has("warm_start")).as("the strategy's own options do not carry it").isFalse();
        assertThat(spec.toJson().at("/strategy/warm_start").toString()).isEqualTo("{\"from\":\"previous_rounds\",\"max_trials\":200}");
        ExperimentSpec again = ExperimentSpec.parse(spec.toJson(), "stored");
        assertThat(again.strategy().warmStart()).isEqualTo(spec.strategy().warmStart());
        assertThat(again.sha256()).isEqualTo(spec.sha256());
    }

    @Test
    void fromExperimentTakesTheIdsListed() {
        WarmStart w = parse("{name: tpe, warm_start: {from: experiment, ids: [12, 15], max_trials: 50}}").strategy().warmStart().orElseThrow();
        assertThat(w.ids()).containsExactly(12L, 15L);
        assertThat(w.maxTrials()).isEqualTo(50);
    }

    @Test
    void aSpecWithoutWarmStartIsStoredAsBefore() {
        assertThat(parse("{name: tpe, seed: 1}").toJson().at("/strategy").has("warm_start")).isFalse();
    }

    @Test
    void badWarmStartsAreRefusedNamingTheFieldAndTheRule() {
        assertThat(refusal("{name: tpe, warm_start: {from: yesterday}}"))
                .containsExactly("strategy.warm_start.from: must be previous_rounds (the model's earlier experiments) or experiment"
                        + " (the ones in ids); is 'yesterday'");
        assertThat(refusal("{name: tpe, warm_start: {from: previous_rounds, max_trials: 10001}}"))
                .containsExactly("strategy.warm_start.max_trials: must be a whole number from 1 to 10000 (is 10001)");
        assertThat(refusal("{name: tpe, warm_start: {from: previous_rounds, max_trials: 0}}")).hasSize(1);
        assertThat(refusal("{name: tpe, warm_start: {from: experiment}}")).singleElement().asString()
                .startsWith("strategy.warm_start.ids: is required with from: experiment");
        assertThat(refusal("{name: tpe, warm_start: {from: experiment, ids: []}}"))
                .containsExactly("strategy.warm_start.ids: must be a list of 1 to 100 experiment ids");
        String tooMany = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow();
        assertThat(refusal("{name: tpe, warm_start: {from: experiment, ids: [" + tooMany + "]}}"))
                .containsExactly("strategy.warm_start.ids: must be a list of 1 to 100 experiment ids");
        assertThat(refusal("{name: tpe, warm_start: {from: experiment, ids: [3, 0, 3]}}")).containsExactly(
                "strategy.warm_start.ids[1]: must be an experiment id (a whole number of at least 1)",
                "strategy.warm_start.ids[2]: is listed twice (3)");
        assertThat(refusal("{name: tpe, warm_start: {from: previous_rounds, ids: [3]}}")).singleElement().asString()
                .startsWith("strategy.warm_start.ids: only with from: experiment");
        assertThat(refusal("{name: tpe, warm_start: {from: previous_rounds, since: 3}}")).singleElement().asString()
                .startsWith("strategy.warm_start.since: unknown key");
        assertThat(refusal("{name: tpe, warm_start: previous_rounds}")).singleElement().asString()
                .startsWith("strategy.warm_start: must be a mapping");
    }

    @Test
    void gridSearchRefusesAWarmStartAndRandomSearchTakesIt() {
        assertThat(refusal("{name: grid, grid_size: 3, warm_start: {from: previous_rounds}}")).singleElement().asString()
                .startsWith("strategy.warm_start: not with strategy grid");
        assertThat(parse("{name: random, warm_start: {from: previous_rounds}}").strategy().warmStart()).isPresent();
    }

    @Test
    void theRefusalSaysNothingWasParsedHalfway() {
        assertThatThrownBy(() -> parse("{name: tpe, gamma: 2, warm_start: {from: nowhere}}")).isInstanceOf(InvalidSpecException.class);
    }
}
