package org.visutility.orchestrator.tuning.strategy.tpe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.strategy.Seeds;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio, Kégl: "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS 2011), after Optuna's TPESampler. Until
 * {@code startup_trials} trials have completed or been pruned, proposals are random (the same
 * draws as random search with the same seed). Then the ranked trials are split: the best
 * min(⌈gamma·n⌉, gamma_max) make the good group, the rest — with failed trials and, under the
 * constant liar, the trials still running — the bad group. A Parzen estimator l(x) is fitted to
 * the good group and g(x) to the bad one (older trials weigh less once there are more than 25,
 * Optuna's default weights), {@code candidates} points are drawn from l(x), and the one with the
 * largest l(x)/g(x) is proposed: per parameter, or jointly with {@code multivariate}.
 *
 * <p>Every random draw for trial n comes from the stream (seed, n), and the trials are taken in
 * the order of their numbers, so a proposal depends only on the seed, n, the finished trials
 * and the running ones: a restarted run proposes what the first run would have.
 */
public final class TpeSearch implements SearchStrategy {
    public static final String NAME = "tpe";
    /** Optuna's default weights: the newest this many trials of a group weigh 1, older ones ramp down to 1/n. */
    private static final int FLAT_WEIGHTS = 25;

    private final SearchSpace space;
    private final List<Dimension> dims;
    private final TpeOptions options;
    private final Objective objective;
    private final long seed;
    /** Finished trials already turned into observations, by number (a finished trial never changes). */
    private final Map<Integer, Converted> converted = new HashMap<>();

    private record Converted(FinishedTrial source, Observation observation) {
    }

    public TpeSearch(SearchSpace space, TpeOptions options, Objective objective, long seed) {
        this.space = space;
        this.dims = space.parameters().stream().map(Dimension::of).toList();
        this.options = options;
        this.objective = objective;
        this.seed = seed;
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        return suggest(number, finished, List.of());
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished, List<RunningTrial> running) {
        Random random = new Random(Seeds.mix(seed, number));
        List<Observation> ranked = new ArrayList<>();
        List<Observation> bad = new ArrayList<>();
        for (FinishedTrial t : finished) {
            Observation o = observe(t);
            if (o == null) continue;
            (o.ranked() ? ranked : bad).add(o);
        }
        int n = ranked.size();
        if (n < options.startupTrials()) return Optional.of(randomPoint(random));

        if (options.constantLiar()) {
            for (RunningTrial r : running) {
                double[] x = Observation.internal(dims, r.params());
                if (x != null) bad.add(Observation.unranked(r.number(), x));
            }
        }
        ranked.sort(Observation.RANKING);
        int goodCount = options.goodCount(n);
        List<Observation> good = new ArrayList<>(ranked.subList(0, goodCount));
        bad.addAll(ranked.subList(goodCount, n));
        Comparator<Observation> chronological = Comparator.comparingInt(Observation::number);
        good.sort(chronological);
        bad.sort(chronological);

        double[] x = options.multivariate() ? jointProposal(good, bad, random) : independentProposal(good, bad, random);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (int d = 0; d < dims.size(); d++) values.put(dims.get(d).name(), dims.get(d).toExternal(x[d]));
        return Optional.of(Params.of(values));
    }

    private Observation observe(FinishedTrial t) {
        Converted c = converted.get(t.number());
        if (c != null && c.source() == t) return c.observation();
        Observation o = Observation.of(t, dims, objective, options.failed());
        converted.put(t.number(), new Converted(t, o));
        return o;
    }

    private Params randomPoint(Random random) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) values.put(p.name(), p.sample(random));
        return Params.of(values);
    }

    /** One estimator pair over all parameters; candidates are whole points. */
    private double[] jointProposal(List<Observation> good, List<Observation> bad, Random random) {
        ParzenEstimator l = estimator(dims, good, allColumns());
        ParzenEstimator g = estimator(dims, bad, allColumns());
        return best(l, g, random);
    }

    /** One estimator pair per parameter, each parameter chosen on its own (in space order, one random stream). */
    private double[] independentProposal(List<Observation> good, List<Observation> bad, Random random) {
        double[] x = new double[dims.size()];
        for (int d = 0; d < dims.size(); d++) {
            int[] column = {d};
            ParzenEstimator l = estimator(List.of(dims.get(d)), good, column);
            ParzenEstimator g = estimator(List.of(dims.get(d)), bad, column);
            x[d] = best(l, g, random)[0];
        }
        return x;
    }

    /** The candidate drawn from l with the largest log l − log g (the first of equals). */
    private double[] best(ParzenEstimator l, ParzenEstimator g, Random random) {
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < options.candidates(); i++) {
            double[] c = l.sample(random);
            double score = l.logPdf(c) - g.logPdf(c);
            if (best == null || score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    private ParzenEstimator estimator(List<Dimension> over, List<Observation> group, int[] columns) {
        double[][] observations = new double[group.size()][];
        for (int i = 0; i < group.size(); i++) {
            double[] full = group.get(i).x();
            double[] row = new double[columns.length];
            for (int j = 0; j < columns.length; j++) row[j] = full[columns[j]];
            observations[i] = row;
        }
        return new ParzenEstimator(over, observations, weights(group.size()), options);
    }

    private int[] allColumns() {
        int[] all = new int[dims.size()];
        for (int d = 0; d < all.length; d++) all[d] = d;
        return all;
    }

    /** Optuna's default weights for a group of n trials, oldest first: a ramp from 1/n up to 1, then 25 at 1. */
    static double[] weights(int n) {
        double[] w = new double[n];
        if (n < FLAT_WEIGHTS) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        int ramp = n - FLAT_WEIGHTS;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
        }
        for (int i = ramp; i < n; i++) w[i] = 1;
        return w;
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements StrategyProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void validate(ObjectNode options, SearchSpace space, Violations violations) {
            TpeOptions.parse(options, violations);
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objective objective) {
            Violations v = new Violations();
            TpeOptions parsed = TpeOptions.parse(options, v)
                    .orElseThrow(() -> new IllegalArgumentException(String.join("; ", v.messages())));
            return new TpeSearch(space, parsed, objective, seed);
        }
    }
}
