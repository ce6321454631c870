package org.visutility.orchestrator.tuning.strategy.tpe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.pareto.Hypervolume;
import org.visutility.orchestrator.tuning.pareto.NonDominatedSort;
import org.visutility.orchestrator.tuning.pareto.Objectives;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Multi-objective TPE (Ozaki, Tanigaki, Watanabe, Onishi: "Multiobjective Tree-Structured Parzen
 * Estimator for Computationally Expensive Optimization Problems", GECCO 2020; JAIR 2022), after
 * Optuna's TPESampler with several objectives. It is {@link TpeSearch} with another split: of the n
 * completed trials the good group is the best k = min(⌈gamma·n⌉, gamma_max) by non-domination rank —
 * whole fronts while they fit, then from the front that does not fit whole the members chosen greedily
 * by their hypervolume contribution (the hypervolume subset selection, reference point
 * max(1.1·worst, 0.9·worst) of that front, as Optuna). The rest, failed trials and (constant liar) the
 * running ones are the bad group; l(x), g(x) and the proposal are TPE's, with the same options,
 * startup trials and random streams (seed, trial number). The good group's members weigh as in TPE
 * (Optuna weighs them by their hypervolume contribution).
 *
 * <p>The split is handed to TPE as an order: each completed trial becomes an observation whose value
 * is its place (good ones 0..k−1 in the order chosen, the others after them by rank), so TPE's
 * "best k" is exactly MOTPE's good group. It depends only on the finished trials, so a restarted run
 * proposes what the first would have.
 */
public final class MotpeSearch implements SearchStrategy {
    public static final String NAME = "motpe";
    /** The objective TPE is handed: the place in MOTPE's order (smaller is better). */
    static final Objective PLACE = new Objective("pareto_place", Direction.MINIMIZE);
    /** Optuna's floor for a reference point's coordinate that would be 0. */
    private static final double EPS = 1e-12;

    private final TpeSearch tpe;
    private final Objectives objectives;
    private final List<Dimension> dims;
    private final TpeOptions options;

    public MotpeSearch(SearchSpace space, TpeOptions options, Objectives objectives, long seed) {
        this.tpe = new TpeSearch(space, options, PLACE, seed);
        this.objectives = objectives;
        this.dims = space.parameters().stream().map(Dimension::of).toList();
        this.options = options;
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        return suggest(number, finished, List.of());
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished, List<RunningTrial> running) {
        return tpe.suggest(number, placed(finished), running);
    }

    /** The finished trials with each completed one's score replaced by its place in MOTPE's order. */
    List<FinishedTrial> placed(List<FinishedTrial> finished) {
        List<Integer> at = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            FinishedTrial t = finished.get(i);
            if (t.status() != TrialStatus.COMPLETE || Observation.internal(dims, t.params()) == null) continue;
            double[] p = objectives.point(t.metrics());
            if (p == null) continue;
            at.add(i);
            points.add(p);
        }
        double[] place = places(points, options.goodCount(points.size()));
        List<FinishedTrial> out = new ArrayList<>(finished.size());
        int j = 0;
        for (int i = 0; i < finished.size(); i++) {
            FinishedTrial t = finished.get(i);
            if (j < at.size() && at.get(j) == i) {
                out.add(new FinishedTrial(t.number(), t.params(), t.status(), OptionalDouble.of(place[j++]), t.reports()));
            } else if (t.status() == TrialStatus.COMPLETE) {
                // complete but without every objective (cannot happen through the engine, which fails such a trial): not learnt from
                out.add(new FinishedTrial(t.number(), t.params(), TrialStatus.FAILED, OptionalDouble.empty(), t.reports()));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Each point's place: the k good ones get 0..k−1 (whole fronts by rank, then the hypervolume
     * subset of the front that does not fit), every other one k + its rank.
     */
    static double[] places(List<double[]> points, int k) {
        int n = points.size();
        double[] place = new double[n];
        int[] rank = NonDominatedSort.ranks(points);
        boolean[] good = new boolean[n];
        int taken = 0;
        for (int r = 0; taken < k; r++) {
            List<Integer> front = new ArrayList<>();
            for (int i = 0; i < n; i++) if (rank[i] == r) front.add(i);
            if (front.isEmpty()) break;
            List<Integer> chosen = taken + front.size() <= k ? front : hypervolumeSubset(points, front, k - taken);
            for (int i : chosen) {
                good[i] = true;
                place[i] = taken++;
            }
        }
        for (int i = 0; i < n; i++) if (!good[i]) place[i] = k + rank[i];
        return place;
    }

    /** Greedy hypervolume subset selection: {@code size} members of {@code front}, each adding the most hypervolume to those before it. */
    static List<Integer> hypervolumeSubset(List<double[]> points, List<Integer> front, int size) {
        int m = points.get(front.get(0)).length;
        double[] reference = new double[m];
        for (int d = 0; d < m; d++) {
            double worst = Double.NEGATIVE_INFINITY;
            for (int i : front) worst = Math.max(worst, points.get(i)[d]);
            reference[d] = Math.max(1.1 * worst, 0.9 * worst);
            if (reference[d] == 0) reference[d] = EPS;
        }
        List<Integer> chosen = new ArrayList<>();
        List<double[]> chosenPoints = new ArrayList<>();
        List<Integer> left = new ArrayList<>(front);
        double volume = 0;
        while (chosen.size() < size) {
            int bestAt = -1;
            double bestVolume = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < left.size(); c++) {
                chosenPoints.add(points.get(left.get(c)));
                double v = Hypervolume.of(chosenPoints, reference);
                chosenPoints.remove(chosenPoints.size() - 1);
                if (v - volume > bestVolume) {
                    bestVolume = v - volume;
                    bestAt = c;
                }
            }
            int i = left.remove(bestAt);
            chosen.add(i);
            chosenPoints.add(points.get(i));
            volume += bestVolume;
        }
        return chosen;
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements StrategyProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public boolean severalObjectives() {
            return true;
        }

        @Override
        public void validate(ObjectNode options, SearchSpace space, Violations violations) {
            TpeOptions.parse(options, violations);
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objective objective) {
            return create(options, space, seed, Objectives.of(objective));
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objectives objectives) {
            Violations v = new Violations();
            TpeOptions parsed = TpeOptions.parse(options, v)
                    .orElseThrow(() -> new IllegalArgumentException(String.join("; ", v.messages())));
            return new MotpeSearch(space, parsed, objectives, seed);
        }
    }
}
