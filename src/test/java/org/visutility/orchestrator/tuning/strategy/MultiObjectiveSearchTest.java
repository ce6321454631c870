package org.visutility.orchestrator.tuning.strategy;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.pareto.Dominance;
import org.visutility.orchestrator.tuning.pareto.Hypervolume;
import org.visutility.orchestrator.tuning.pareto.NonDominatedSort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MOTPE and NSGA-II on ZDT1 (Zitzler, Deb, Thiele 2000) with three variables in [0, 1]: f1 = x1,
 * g = 1 + 9·(x2 + x3)/2, f2 = g·(1 − √(f1/g)), both minimised. Its Pareto front is g = 1 (x2 = x3 = 0):
 * f2 = 1 − √f1 for f1 in [0, 1].
 */
class MultiObjectiveSearchTest {
    private static final String SPEC = """
            model: m
            objective: [{metric: f1, direction: minimize}, {metric: f2, direction: minimize}]
            budget: {trials: 1000}
            trainer: {type: function, function: sphere}
            space:
              x1: {type: float, low: 0.0, high: 1.0}
              x2: {type: float, low: 0.0, high: 1.0}
              x3: {type: float, low: 0.0, high: 1.0}
            """;

    private static SearchStrategy strategy(String strategyYaml) {
        ExperimentSpec spec = ExperimentSpec.parseYaml(SPEC + "strategy: " + strategyYaml, "test");
        return Strategies.all().find(spec.strategy().name()).orElseThrow()
                .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objectives().objectives());
    }

    static Map<String, Double> zdt1(Params p) {
        double x1 = p.get("x1").asDouble();
        double g = 1 + 9 * (p.get("x2").asDouble() + p.get("x3").asDouble()) / 2;
        return Map.of("f1", x1, "f2", g * (1 - Math.sqrt(x1 / g)));
    }

    private static FinishedTrial complete(int number, Params p) {
        Map<String, Double> m = zdt1(p);
        return new FinishedTrial(number, p, TrialStatus.COMPLETE, OptionalDouble.of(m.get("f1")), List.of(), m);
    }

    /** Runs {@code trials} trials one after another. */
    private static List<FinishedTrial> run(SearchStrategy s, int trials) {
        List<FinishedTrial> finished = new ArrayList<>();
        for (int n = 0; n < trials; n++) finished.add(complete(n, s.suggest(n, finished, List.of()).orElseThrow()));
        return finished;
    }

    private static List<double[]> points(List<FinishedTrial> trials) {
        return trials.stream().map(t -> new double[]{t.metrics().get("f1"), t.metrics().get("f2")}).toList();
    }

    private static List<double[]> front(List<FinishedTrial> trials) {
        List<double[]> points = points(trials);
        return NonDominatedSort.front(points).stream().map(points::get).toList();
    }

    /** How far above the analytic front a point lies: f2 − (1 − √f1). */
    private static double gap(double[] p) {
        return p[1] - (1 - Math.sqrt(p[0]));
    }

    private static void assertTheFrontIsNonDominatedAndNearTheAnalyticOne(List<FinishedTrial> trials, double meanGap) {
        List<double[]> all = points(trials);
        List<double[]> front = front(trials);
        for (double[] f : front) {
            for (double[] q : all) assertThat(Dominance.dominates(q, f)).as("a front point is dominated by no trial").isFalse();
            assertThat(gap(f)).as("nothing lies below the analytic front").isGreaterThanOrEqualTo(-1e-12);
        }
        double mean = front.stream().mapToDouble(MultiObjectiveSearchTest::gap).average().orElseThrow();
        assertThat(mean).as("the mean distance of the front above f2 = 1 − √f1").isLessThan(meanGap);
        double spread = front.stream().mapToDouble(p -> p[0]).max().orElseThrow() - front.stream().mapToDouble(p -> p[0]).min().orElseThrow();
        assertThat(spread).as("the front spreads along f1").isGreaterThan(0.5);
    }

    @Test
    void nsga2FindsPointsNearZdt1sParetoFrontAndBeatsRandomSearchOnHypervolume() {
        List<FinishedTrial> nsga = run(strategy("{name: nsga2, seed: 7, population_size: 20}"), 400);
        List<FinishedTrial> random = run(strategy("{name: random, seed: 7}"), 400);
        assertTheFrontIsNonDominatedAndNearTheAnalyticOne(nsga, 0.1);
        double[] reference = {1.1, 11};
        assertThat(Hypervolume.of(front(nsga), reference)).isGreaterThan(Hypervolume.of(front(random), reference));
    }

    @Test
    void motpeFindsPointsNearZdt1sParetoFrontAndBeatsRandomSearchOnHypervolume() {
        List<FinishedTrial> motpe = run(strategy("{name: motpe, seed: 7}"), 150);
        List<FinishedTrial> random = run(strategy("{name: random, seed: 7}"), 150);
        assertTheFrontIsNonDominatedAndNearTheAnalyticOne(motpe, 0.1);
        double[] reference = {1.1, 11};
        assertThat(Hypervolume.of(front(motpe), reference)).isGreaterThan(Hypervolume.of(front(random), reference));
    }

    @Test
    void theSameSeedProposesTheSameTrialsAndAnotherSeedOthers() {
        for (String name : List.of("nsga2", "motpe")) {
            String options = name.equals("nsga2") ? ", population_size: 8" : ", startup_trials: 5";
            List<Params> a = run(strategy("{name: " + name + ", seed: 3" + options + "}"), 40).stream().map(FinishedTrial::params).toList();
            List<Params> b = run(strategy("{name: " + name + ", seed: 3" + options + "}"), 40).stream().map(FinishedTrial::params).toList();
            List<Params> c = run(strategy("{name: " + name + ", seed: 4" + options + "}"), 40).stream().map(FinishedTrial::params).toList();
            assertThat(b).as(name).isEqualTo(a);
            assertThat(c.subList(20, 40)).as(name).isNotEqualTo(a.subList(20, 40));
        }
    }

    @Test
    void aStrategyRebuiltFromTheRecordedTrialsProposesWhatTheFirstRunWould() {
        for (String yaml : List.of("{name: nsga2, seed: 9, population_size: 6}", "{name: motpe, seed: 9, startup_trials: 4}")) {
            SearchStrategy first = strategy(yaml);
            List<FinishedTrial> finished = new ArrayList<>();
            for (int n = 0; n < 30; n++) {
                Params proposed = first.suggest(n, finished, List.of()).orElseThrow();
                // a restart builds a fresh strategy from the recorded trials
                assertThat(strategy(yaml).suggest(n, List.copyOf(finished), List.of())).as(yaml + " trial " + n).hasValue(proposed);
                finished.add(complete(n, proposed));
            }
        }
    }

    @Test
    void nsga2sFirstGenerationIsRandomSearchsDrawsAndLaterOnesBreedFromCompletedTrialsOnly() {
        SearchStrategy nsga = strategy("{name: nsga2, seed: 5, population_size: 10}");
        SearchStrategy random = strategy("{name: random, seed: 5}");
        List<FinishedTrial> finished = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            Params p = nsga.suggest(n, finished, List.of()).orElseThrow();
            assertThat(p).isEqualTo(random.suggest(n, List.of()).orElseThrow());
            // every trial of generation 0 failed: generation 1 has no parents and stays random
            finished.add(new FinishedTrial(n, p, TrialStatus.FAILED, OptionalDouble.empty(), List.of()));
        }
        assertThat(nsga.suggest(10, finished, List.of())).isEqualTo(random.suggest(10, List.of()));
    }

    @Test
    void motpeWithTrialsRunningSpreadsItsParallelProposals() {
        SearchStrategy motpe = strategy("{name: motpe, seed: 2, startup_trials: 5}");
        List<FinishedTrial> finished = run(strategy("{name: random, seed: 2}"), 20);
        Params alone = motpe.suggest(20, finished, List.of()).orElseThrow();
        Params withLie = motpe.suggest(20, finished, List.of(new RunningTrial(21, alone))).orElseThrow();
        assertThat(withLie).as("the constant liar counts the running trial as bad").isNotEqualTo(alone);
    }
}
