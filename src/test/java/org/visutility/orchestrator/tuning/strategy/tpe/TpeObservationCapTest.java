package org.visutility.orchestrator.tuning.strategy.tpe;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.trainer.FunctionTrainer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TpeObservationCapTest {
    private static final String SPACE = """
            model: m
            objective: {metric: loss, direction: minimize}
            budget: {trials: 1000}
            trainer: {type: function, function: sphere}
            space:
              lr: {type: float, low: 1.0e-5, high: 0.1, log: true}
              layers: {type: int, low: 1, high: 8}
              opt: {type: categorical, choices: [sgd, adam]}
            """;

    private static ExperimentSpec spec(String strategy) {
        return ExperimentSpec.parseYaml(SPACE + "strategy: " + strategy, "test");
    }

    private static TpeSearch create(ExperimentSpec spec) {
        return (TpeSearch) new TpeSearch.Provider().create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objective());
    }

    /** Runs the trials one at a time, every seventh one failing; returns them in order. */
    private static List<FinishedTrial> run(TpeSearch s, ExperimentSpec spec, int trials, List<TpeSearch.Fit> fits) {
        FunctionTrainer trainer = new FunctionTrainer(spec.space());
        List<FinishedTrial> finished = new ArrayList<>();
        for (int n = 0; n < trials; n++) {
            Params p = s.suggest(n, List.copyOf(finished), List.of()).orElseThrow();
            fits.add(s.lastFit());
            finished.add(n % 7 == 6
                    ? new FinishedTrial(n, p, TrialStatus.FAILED, OptionalDouble.empty(), List.of())
                    : new FinishedTrial(n, p, TrialStatus.COMPLETE, OptionalDouble.of(trainer.evaluate(p)), List.of()));
        }
        return finished;
    }

    @Test
    void theEstimatorsNeverLearnFromMoreThanMaxObservationsTrials() {
        ExperimentSpec spec = spec("{name: tpe, seed: 3, startup_trials: 5, gamma_max: 10, max_observations: 40}");
        List<TpeSearch.Fit> fits = new ArrayList<>();
        run(create(spec), spec, 150, fits);
        for (int n = 5; n < 150; n++) {
            TpeSearch.Fit fit = fits.get(n);
            // below the cap every finished trial is used (failed ones in the bad group), then exactly the cap
            assertThat(fit.size()).as("trial %d", n).isEqualTo(Math.min(n, 40));
            assertThat(new HashSet<>(fit.bad())).as("trial %d", n).doesNotContainAnyElementsOf(fit.good());
        }
    }

    @Test
    void overTheCapTheBadGroupKeepsTheBestRankedHalfAndTheMostRecentTrials() {
        ExperimentSpec spec = spec("{name: tpe, seed: 5, startup_trials: 5, gamma_max: 10, max_observations: 40}");
        TpeSearch search = create(spec);
        List<FinishedTrial> history = run(search, spec, 120, new ArrayList<>());
        search.suggest(120, history, List.of());
        TpeSearch.Fit fit = search.lastFit();

        List<FinishedTrial> byScore = history.stream().filter(FinishedTrial::isComplete)
                .sorted(java.util.Comparator.comparingDouble((FinishedTrial t) -> t.score().getAsDouble())
                        .thenComparingInt(FinishedTrial::number))
                .toList();
        List<Integer> good = byScore.subList(0, 10).stream().map(FinishedTrial::number).sorted().toList();
        Set<Integer> nextBest = new HashSet<>(byScore.subList(10, 25).stream().map(FinishedTrial::number).toList());
        assertThat(fit.good()).isEqualTo(good);
        assertThat(fit.bad()).hasSize(30).containsAll(nextBest);
        // the other 15 are the newest trials not taken already, failed ones included
        List<Integer> recent = new ArrayList<>();
        for (int n = 119; recent.size() < 15; n--) {
            if (!good.contains(n) && !nextBest.contains(n)) recent.add(n);
        }
        assertThat(fit.bad()).containsAll(recent);
        assertThat(recent).anyMatch(n -> n % 7 == 6);
    }

    @Test
    void overTheCapTheSameSeedAndHistoryGiveTheSameProposalsAndARestartReplaysThem() {
        ExperimentSpec spec = spec("{name: tpe, seed: 9, startup_trials: 5, max_observations: 30}");
        List<FinishedTrial> first = run(create(spec), spec, 100, new ArrayList<>());
        List<FinishedTrial> again = run(create(spec), spec, 100, new ArrayList<>());
        assertThat(again).extracting(FinishedTrial::params).isEqualTo(first.stream().map(FinishedTrial::params).toList());

        TpeSearch restarted = create(spec);
        for (int n : IntStream.of(60, 99).toArray()) {
            assertThat(restarted.suggest(n, first.subList(0, n), List.of())).as("trial %d", n).contains(first.get(n).params());
        }
        ExperimentSpec otherSeed = spec("{name: tpe, seed: 10, startup_trials: 5, max_observations: 30}");
        assertThat(create(otherSeed).suggest(99, first.subList(0, 99), List.of())).isNotEqualTo(create(spec).suggest(99, first.subList(0, 99), List.of()));
    }

    @Test
    void belowTheCapProposalsAreThoseOfAnUncappedSearch() {
        ExperimentSpec capped = spec("{name: tpe, seed: 4, startup_trials: 5, max_observations: 100}");
        ExperimentSpec uncapped = spec("{name: tpe, seed: 4, startup_trials: 5, max_observations: 1000000}");
        List<FinishedTrial> a = run(create(capped), capped, 90, new ArrayList<>());
        List<FinishedTrial> b = run(create(uncapped), uncapped, 90, new ArrayList<>());
        assertThat(a).extracting(FinishedTrial::params).isEqualTo(b.stream().map(FinishedTrial::params).toList());
        // past the cap they part
        List<FinishedTrial> longA = run(create(spec("{name: tpe, seed: 4, startup_trials: 5, max_observations: 30}")), capped, 90, new ArrayList<>());
        assertThat(longA).extracting(FinishedTrial::params).isNotEqualTo(b.stream().map(FinishedTrial::params).toList());
    }

    @Test
    void runningTrialsStillJoinTheBadGroupOverTheCap() {
        ExperimentSpec spec = spec("{name: tpe, seed: 2, startup_trials: 5, gamma_max: 5, max_observations: 20}");
        TpeSearch search = create(spec);
        List<FinishedTrial> history = run(search, spec, 60, new ArrayList<>());
        Params p = history.get(0).params();
        List<RunningTrial> running = List.of(new RunningTrial(60, p), new RunningTrial(61, p));
        assertThat(search.suggest(62, history, running)).isPresent();
        assertThat(search.lastFit().size()).isEqualTo(20);
    }

    @Test
    void maxObservationsMustLeaveRoomForTheBadGroup() {
        Violations v = new Violations();
        com.fasterxml.jackson.databind.node.ObjectNode o = org.visutility.orchestrator.core.Json.MAPPER.createObjectNode()
                .put("name", "tpe").put("gamma_max", 25).put("max_observations", 25);
        assertThat(TpeOptions.parse(o, v)).isEmpty();
        assertThat(v.messages()).containsExactly("strategy.max_observations: must be more than gamma_max (25), so that the bad group keeps some trials (is 25)");
        Violations low = new Violations();
        assertThat(TpeOptions.parse(o.put("max_observations", 1), low)).isEmpty();
        assertThat(low.messages()).singleElement().asString().startsWith("strategy.max_observations:");
        assertThat(TpeOptions.defaults().maxObservations()).isEqualTo(TpeOptions.DEFAULT_MAX_OBSERVATIONS);
    }
}
