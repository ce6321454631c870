package org.visutility.orchestrator.tuning.strategy;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class WarmStartedStrategyTest {
    private static final ExperimentSpec SPEC = ExperimentSpec.parseYaml("""
            model: m
            objective: {metric: loss, direction: minimize}
            strategy: {name: tpe, seed: 9}
            budget: {trials: 20}
            space:
              x: {type: float, low: 0.0, high: 1.0}
            trainer: {type: function, function: sphere}
            """, "test");

    private static SearchStrategy tpe() {
        return Strategies.all().find("tpe").orElseThrow()
                .create(SPEC.strategy().options(), SPEC.space(), SPEC.strategy().seed(), SPEC.objective());
    }

    private static FinishedTrial trial(int number, double x) {
        return new FinishedTrial(number, Params.of(Map.of("x", DoubleNode.valueOf(x))), TrialStatus.COMPLETE,
                OptionalDouble.of((x - 0.8) * (x - 0.8)), List.of());
    }

    /** Earlier rounds' trials spread over the range, scored by the distance to 0.8. */
    private static List<FinishedTrial> prior() {
        List<FinishedTrial> prior = new ArrayList<>();
        for (int i = 0; i < 30; i++) prior.add(trial(1000 + i, (i * 7 % 30) / 29.0));
        return prior;
    }

    private static List<Double> proposals(SearchStrategy s, int count) {
        List<FinishedTrial> finished = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            double x = s.suggest(n, List.copyOf(finished), List.of()).orElseThrow().get("x").asDouble();
            xs.add(x);
            finished.add(trial(n, x));
        }
        return xs;
    }

    @Test
    void tpeSeededWithEarlierTrialsProposesNearTheirBestFromTheFirstTrial() {
        List<Double> warm = proposals(new WarmStartedStrategy(tpe(), prior()), 8);
        assertThat(warm).allSatisfy(x -> assertThat(Math.abs(x - 0.8)).isLessThan(0.2));
        List<Double> cold = proposals(tpe(), 8);
        assertThat(cold).as("cold, the first ten trials are random draws").anySatisfy(x -> assertThat(Math.abs(x - 0.8)).isGreaterThan(0.2));
    }

    @Test
    void theSameSeedAndEarlierTrialsGiveTheSameProposals() {
        assertThat(proposals(new WarmStartedStrategy(tpe(), prior()), 12))
                .containsExactlyElementsOf(proposals(new WarmStartedStrategy(tpe(), prior()), 12));
    }

    @Test
    void aListThatIsNotTheOneSeenBeforeIsReadAfresh() {
        WarmStartedStrategy s = new WarmStartedStrategy(tpe(), prior());
        List<FinishedTrial> first = List.of(trial(0, 0.1), trial(1, 0.2));
        s.suggest(2, first, List.of());
        List<FinishedTrial> other = List.of(trial(0, 0.75), trial(1, 0.85));
        assertThat(s.suggest(2, other, List.of())).isEqualTo(new WarmStartedStrategy(tpe(), prior()).suggest(2, other, List.of()));
    }
}
