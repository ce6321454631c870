package org.visutility.orchestrator.tuning.strategy;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.Params;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SearchStrategiesTest {
    private static final String SPACE = """
            model: m
            objective: {metric: loss, direction: minimize}
            budget: {trials: 100}
            trainer: {type: function, function: sphere}
            space:
              lr: {type: float, low: 1.0e-4, high: 0.1, log: true}
              dropout: {type: float, low: 0.0, high: 0.5, step: 0.1}
              layers: {type: int, low: 1, high: 4}
              batch: {type: int, low: 16, high: 64, step: 16}
              opt: {type: categorical, choices: [sgd, adam, 3]}
            """;

    private static SearchStrategy strategy(String strategyYaml) {
        ExperimentSpec spec = ExperimentSpec.parseYaml(SPACE + "strategy: " + strategyYaml, "test");
        return Strategies.all().find(spec.strategy().name()).orElseThrow()
                .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objective());
    }

    @Test
    void randomSearchProposesTheSameParamsForTheSameSeedAndTrialWhateverCameBefore() {
        SearchStrategy a = strategy("{name: random, seed: 42}");
        SearchStrategy b = strategy("{name: random, seed: 42}");
        for (int n = 0; n < 50; n++) {
            assertThat(b.suggest(n, List.of())).isEqualTo(a.suggest(n, List.of()));
        }
        // a replay of trial 17 alone (after a restart) gets what the first run got
        assertThat(strategy("{name: random, seed: 42}").suggest(17, List.of())).isEqualTo(a.suggest(17, List.of()));
        assertThat(strategy("{name: random, seed: 43}").suggest(17, List.of())).isNotEqualTo(a.suggest(17, List.of()));
    }

    @Test
    void randomValuesStayInTheirRangesAndOnTheirSteps() {
        SearchStrategy random = strategy("{name: random, seed: 1}");
        Set<Object> dropouts = new HashSet<>();
        for (int n = 0; n < 500; n++) {
            Params p = random.suggest(n, List.of()).orElseThrow();
            assertThat(p.get("lr").asDouble()).isBetween(1.0e-4, 0.1);
            dropouts.add(p.get("dropout").asDouble());
            assertThat(p.get("layers").asLong()).isBetween(1L, 4L);
            assertThat(p.get("batch").asLong() % 16).isZero();
            assertThat(p.get("opt").toString()).isIn("\"sgd\"", "\"adam\"", "3");
        }
        assertThat(dropouts).containsExactlyInAnyOrder(0.0, 0.1, 0.2, 0.3, 0.4, 0.5);
    }

    @Test
    void gridVisitsEveryPointExactlyOnceThenProposesNothing() {
        SearchStrategy grid = strategy("{name: grid, seed: 5, grid_size: 3}");
        int size = 3 * 6 * 4 * 4 * 3; // lr (grid_size) x dropout steps x layers x batch steps x choices
        Set<Params> seen = new HashSet<>();
        for (int n = 0; n < size; n++) {
            assertThat(seen.add(grid.suggest(n, List.of()).orElseThrow())).as("point of trial %d is new", n).isTrue();
        }
        assertThat(seen).hasSize(size);
        assertThat(grid.suggest(size, List.of())).isEqualTo(Optional.empty());
    }

    @Test
    void gridPointsDependOnlyOnTheSeedAndTheTrialNumber() {
        List<Params> first = new ArrayList<>();
        SearchStrategy a = strategy("{name: grid, seed: 9, grid_size: 2}");
        for (int n = 0; n < 20; n++) first.add(a.suggest(n, List.of()).orElseThrow());
        SearchStrategy b = strategy("{name: grid, seed: 9, grid_size: 2}");
        for (int n = 19; n >= 0; n--) assertThat(b.suggest(n, List.of())).contains(first.get(n));
    }

    @Test
    void aGridWithAStepOnEveryFloatNeedsNoGridSize() {
        ExperimentSpec spec = ExperimentSpec.parseYaml("""
                model: m
                objective: {metric: loss, direction: minimize}
                strategy: {name: grid}
                budget: {trials: 10}
                trainer: {type: function, function: sphere}
                space:
                  x: {type: float, low: 0.0, high: 1.0, step: 0.25}
                """, "test");
        SearchStrategy grid = Strategies.all().find("grid").orElseThrow()
                .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objective());
        Set<Double> xs = new HashSet<>();
        for (int n = 0; n < 5; n++) xs.add(grid.suggest(n, List.of()).orElseThrow().get("x").asDouble());
        assertThat(xs).containsExactlyInAnyOrder(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThat(grid.suggest(5, List.of())).isEmpty();
    }
}
