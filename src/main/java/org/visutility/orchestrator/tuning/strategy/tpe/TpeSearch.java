package org.visutility.orchestrator.tuning.strategy.tpe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.strategy.RandomSearch;
import org.visutility.orchestrator.tuning.strategy.Seeds;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;
import org.visutility.orchestrator.tuning.strategy.WarmStartUse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
    private final long seed;
    private final ObservationIndex index;
    private final KernelCache cache = new KernelCache();
    /** The trial numbers the last proposal's estimators learnt from (lies left out), for tests of the cap. */
    private Fit lastFit = new Fit(List.of(), List.of());

    /** The trial numbers of the good and the bad group of one proposal. */
    record Fit(List<Integer> good, List<Integer> bad) {
        int size() {
            return good.size() + bad.size();
        }
    }

    /** Observations of one group (good or bad), by trial number, with their value orders when known. */
    private record Group(List<Observation> members, int[][] orders) {
        double[] column(int d) {
            double[] c = new double[members.size()];
            for (int i = 0; i < c.length; i++) c[i] = members.get(i).x()[d];
            return c;
        }
    }

    public TpeSearch(SearchSpace space, TpeOptions options, Objective objective, long seed) {
        this.space = space;
        this.dims = space.parameters().stream().map(Dimension::of).toList();
        this.options = options;
        this.seed = seed;
        this.index = new ObservationIndex(dims, objective, options.failed());
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        return suggest(number, finished, List.of());
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished, List<RunningTrial> running) {
        index.sync(finished);
        List<Observation> ranked = index.ranked();
        int n = ranked.size();
        if (n < options.startupTrials()) return Optional.of(RandomSearch.draw(space, seed, number));
        Random random = new Random(Seeds.mix(seed, number));

        int goodCount = options.goodCount(n);
        List<Observation> best = new ArrayList<>(ranked.subList(0, goodCount));
        best.sort(ObservationIndex.BY_NUMBER);
        Group good = new Group(best, null);
        List<Observation> lies = options.constantLiar() ? lies(running) : List.of();
        int badQuota = options.maxObservations() - goodCount;
        Group bad = index.chronological().size() - goodCount <= badQuota
                ? badGroup(best, lies)
                : windowedBadGroup(best, lies, badQuota);
        lastFit = new Fit(numbers(good.members(), List.of()), numbers(bad.members(), lies));
        double[] x = options.multivariate() ? jointProposal(good, bad, random) : independentProposal(good, bad, random);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (int d = 0; d < dims.size(); d++) values.put(dims.get(d).name(), dims.get(d).toExternal(x[d]));
        return Optional.of(Params.of(values));
    }

    Fit lastFit() {
        return lastFit;
    }

    private static List<Integer> numbers(List<Observation> members, List<Observation> leaveOut) {
        return members.stream().filter(o -> !leaveOut.contains(o)).map(Observation::number).toList();
    }

    /** The running trials as observations of the bad group (the constant liar), by number. */
    private List<Observation> lies(List<RunningTrial> running) {
        List<Observation> lies = new ArrayList<>();
        for (RunningTrial r : running) {
            double[] x = Observation.internal(dims, r.params());
            if (x != null) lies.add(Observation.unranked(r.number(), x));
        }
        lies.sort(ObservationIndex.BY_NUMBER);
        return lies;
    }

    /**
     * Every observation not in the good group, and the lies, by number; on each numeric dimension
     * their order by value comes from the index's (kept sorted as trials finish) with the good ones
     * left out and the lies merged in, so no proposal sorts the whole history.
     */
    private Group badGroup(List<Observation> good, List<Observation> lies) {
        BitSet goodNumbers = new BitSet();
        good.forEach(o -> goodNumbers.set(o.number()));
        List<Observation> history = index.chronological();
        List<Observation> members = new ArrayList<>(history.size() + lies.size());
        int j = 0;
        for (Observation o : history) {
            if (goodNumbers.get(o.number())) continue;
            while (j < lies.size() && lies.get(j).number() < o.number()) members.add(lies.get(j++));
            members.add(o);
        }
        while (j < lies.size()) members.add(lies.get(j++));
        int highest = 0;
        for (Observation o : members) highest = Math.max(highest, o.number());
        int[] position = new int[highest + 1];
        for (int i = 0; i < members.size(); i++) position[members.get(i).number()] = i;

        int[][] orders = new int[dims.size()][];
        for (int d = 0; d < dims.size(); d++) {
            if (dims.get(d) instanceof Dimension.Numeric) orders[d] = valueOrder(d, goodNumbers, lies, position);
        }
        return new Group(members, orders);
    }

    /**
     * The bad group once the history holds more than {@code max_observations} trials: the
     * {@code quota / 2} best-ranked trials after the good group (they draw the border of the good
     * region, where l/g decides), then the most recent trials not taken yet (failed ones included)
     * up to {@code quota}, and the lies; by number. Older trials carry weights down to 1/n anyway
     * (Optuna's ramp), so what is left out weighed least. Costs O(quota), not O(history).
     */
    private Group windowedBadGroup(List<Observation> good, List<Observation> lies, int quota) {
        BitSet taken = new BitSet();
        good.forEach(o -> taken.set(o.number()));
        List<Observation> members = new ArrayList<>(quota + lies.size());
        List<Observation> ranked = index.ranked();
        int bestBad = quota / 2;
        for (int i = good.size(); i < ranked.size() && members.size() < bestBad; i++) {
            members.add(ranked.get(i));
            taken.set(ranked.get(i).number());
        }
        List<Observation> history = index.chronological();
        for (int i = history.size() - 1; i >= 0 && members.size() < quota; i--) {
            Observation o = history.get(i);
            if (!taken.get(o.number())) members.add(o);
        }
        members.addAll(lies);
        members.sort(ObservationIndex.BY_NUMBER);
        // orders null: each estimator sorts its window's values (O(quota log quota))
        return new Group(members, null);
    }

    /** The bad group's positions sorted by value on dimension d (equal values by number): the index's order, good ones left out, lies merged in. */
    private int[] valueOrder(int d, BitSet goodNumbers, List<Observation> lies, int[] position) {
        List<Observation> liesByValue = new ArrayList<>(lies);
        liesByValue.sort(ObservationIndex.valueOrder(d));
        List<Observation> history = index.byValue(d);
        int[] order = new int[history.size() - goodNumbers.cardinality() + lies.size()];
        int p = 0;
        int j = 0;
        for (Observation o : history) {
            if (goodNumbers.get(o.number())) continue;
            while (j < liesByValue.size() && before(liesByValue.get(j), o, d)) order[p++] = position[liesByValue.get(j++).number()];
            order[p++] = position[o.number()];
        }
        while (j < liesByValue.size()) order[p++] = position[liesByValue.get(j++).number()];
        return order;
    }

    private static boolean before(Observation a, Observation b, int d) {
        double x = a.x()[d];
        double y = b.x()[d];
        return x < y || x == y && a.number() < b.number();
    }

    /** One estimator pair over all parameters; candidates are whole points. */
    private double[] jointProposal(Group good, Group bad, Random random) {
        int[] all = new int[dims.size()];
        for (int d = 0; d < all.length; d++) all[d] = d;
        return best(estimator(good, all), estimator(bad, all), random);
    }

    /** One estimator pair per parameter, each parameter chosen on its own (in space order, one random stream). */
    private double[] independentProposal(Group good, Group bad, Random random) {
        double[] x = new double[dims.size()];
        for (int d = 0; d < dims.size(); d++) {
            int[] one = {d};
            x[d] = best(estimator(good, one), estimator(bad, one), random)[0];
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

    /** The estimator of {@code group} over the dimensions {@code over}. */
    private ParzenEstimator estimator(Group group, int[] over) {
        List<Dimension> subset = new ArrayList<>(over.length);
        double[][] columns = new double[over.length][];
        int[][] orders = new int[over.length][];
        for (int j = 0; j < over.length; j++) {
            subset.add(dims.get(over[j]));
            columns[j] = group.column(over[j]);
            orders[j] = group.orders() == null ? null : group.orders()[over[j]];
        }
        return new ParzenEstimator(subset, columns, orders, weights(group.members().size()), options, cache);
    }

    /** Optuna's default weights for a group of n trials, oldest first: a ramp from 1/n up to 1, then 25 at 1. */
    static double[] weights(int n) {
        double[] w = new double[n];
        if (n < FLAT_WEIGHTS) {
            Arrays.fill(w, 1);
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
        public WarmStartUse warmStartUse() {
            return WarmStartUse.LEARNS;
        }

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
