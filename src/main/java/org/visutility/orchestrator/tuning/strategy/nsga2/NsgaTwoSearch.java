package org.visutility.orchestrator.tuning.strategy.nsga2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.pareto.CrowdingDistance;
import org.visutility.orchestrator.tuning.pareto.NonDominatedSort;
import org.visutility.orchestrator.tuning.pareto.Objectives;
import org.visutility.orchestrator.tuning.strategy.RandomSearch;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.Seeds;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;
import org.visutility.orchestrator.tuning.strategy.tpe.Dimension;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * NSGA-II (Deb, Pratap, Agarwal, Meyarivan: "A Fast and Elitist Multiobjective Genetic Algorithm:
 * NSGA-II", IEEE TEC 2002), after Optuna's NSGAIISampler, with generations fixed by trial number:
 * trial k belongs to generation ⌊k / population_size⌋. Generation 0 is random (random search's draws
 * for the same seed). The parents of generation g are the population_size best of the parents of
 * g − 1 and the completed trials of generation g − 1: whole non-domination fronts while they fit, the
 * front that does not fit by crowding distance (largest first). Each child comes from its own random
 * stream (seed, k): two parents by binary tournament (lower rank, then larger crowding distance, then
 * lower number), bred with probability crossover_prob — simulated binary crossover (SBX) on float and
 * int parameters (on the log line for log ones, then snapped to the step), uniform crossover on
 * categorical ones — and each parameter mutated with probability mutation_prob (polynomial mutation,
 * or a uniformly drawn choice for a categorical one).
 *
 * <p>Parallel trials: a generation's children are proposed from the trials of earlier generations that
 * had finished; failed trials and the running ones are not parents. The parents are rebuilt from the
 * finished trials at every proposal, so a restarted run (given the recorded trials) proposes what the
 * first one would have.
 */
public final class NsgaTwoSearch implements SearchStrategy {
    public static final String NAME = "nsga2";

    private final SearchSpace space;
    private final List<Dimension> dims;
    private final NsgaOptions options;
    private final Objectives objectives;
    private final long seed;
    private final double mutationProb;

    /** A completed trial as a member of a population. */
    record Member(int number, double[] x, double[] point) {
    }

    /** A population member with its rank and crowding distance in the population it was selected into. */
    record Parent(Member member, int rank, double crowding) {
    }

    public NsgaTwoSearch(SearchSpace space, NsgaOptions options, Objectives objectives, long seed) {
        this.space = space;
        this.dims = space.parameters().stream().map(Dimension::of).toList();
        this.options = options;
        this.objectives = objectives;
        this.seed = seed;
        this.mutationProb = options.mutationProb() != null ? options.mutationProb() : 1.0 / Math.max(1, dims.size());
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        int generation = number / options.populationSize();
        List<Parent> parents = parents(generation, finished);
        if (parents.isEmpty()) return Optional.of(RandomSearch.draw(space, seed, number));
        Random random = new Random(Seeds.mix(seed, number));
        Parent first = tournament(parents, random);
        Parent second = tournament(parents, random);
        for (int tries = 0; second == first && parents.size() > 1 && tries < 8; tries++) second = tournament(parents, random);
        double[] child = random.nextDouble() < options.crossoverProb()
                ? crossover(first.member().x(), second.member().x(), random) : first.member().x().clone();
        mutate(child, random);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (int d = 0; d < dims.size(); d++) values.put(dims.get(d).name(), dims.get(d).toExternal(child[d]));
        return Optional.of(Params.of(values));
    }

    /** The parents of {@code generation}: elitist selection, generation after generation, over the finished trials. */
    List<Parent> parents(int generation, List<FinishedTrial> finished) {
        List<List<Member>> byGeneration = new ArrayList<>();
        for (int g = 0; g < generation; g++) byGeneration.add(new ArrayList<>());
        for (FinishedTrial t : finished) {
            int g = t.number() / options.populationSize();
            if (g >= generation || t.status() != TrialStatus.COMPLETE) continue;
            double[] point = objectives.point(t.metrics());
            double[] x = internal(t.params());
            if (point != null && x != null) byGeneration.get(g).add(new Member(t.number(), x, point));
        }
        List<Parent> parents = List.of();
        for (int g = 0; g < generation; g++) {
            List<Member> pool = new ArrayList<>();
            parents.forEach(p -> pool.add(p.member()));
            pool.addAll(byGeneration.get(g));
            parents = select(pool, options.populationSize());
        }
        return parents;
    }

    /** The {@code size} best of {@code pool}: whole fronts by rank, the last one by crowding distance (ties: lower number). */
    static List<Parent> select(List<Member> pool, int size) {
        List<Member> members = new ArrayList<>(pool);
        members.sort(Comparator.comparingInt(Member::number));
        int[] rank = NonDominatedSort.ranks(members.stream().map(Member::point).toList());
        List<Parent> chosen = new ArrayList<>();
        for (int r = 0; chosen.size() < size; r++) {
            List<Member> front = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) if (rank[i] == r) front.add(members.get(i));
            if (front.isEmpty()) break;
            double[] crowding = CrowdingDistance.of(front.stream().map(Member::point).toList());
            List<Parent> ranked = new ArrayList<>();
            for (int i = 0; i < front.size(); i++) ranked.add(new Parent(front.get(i), r, crowding[i]));
            ranked.sort(Comparator.comparingDouble(Parent::crowding).reversed()
                    .thenComparingInt(p -> p.member().number()));
            for (Parent p : ranked) {
                if (chosen.size() < size) chosen.add(p);
            }
        }
        chosen.sort(Comparator.comparingInt(p -> p.member().number()));
        return chosen;
    }

    /** Binary tournament: of two drawn parents, the lower rank, then the larger crowding distance, then the lower number. */
    static Parent tournament(List<Parent> parents, Random random) {
        Parent a = parents.get(random.nextInt(parents.size()));
        Parent b = parents.get(random.nextInt(parents.size()));
        if (a.rank() != b.rank()) return a.rank() < b.rank() ? a : b;
        if (a.crowding() != b.crowding()) return a.crowding() > b.crowding() ? a : b;
        return a.member().number() <= b.member().number() ? a : b;
    }

    private double[] crossover(double[] a, double[] b, Random random) {
        double[] child = new double[a.length];
        for (int d = 0; d < a.length; d++) {
            if (dims.get(d) instanceof Dimension.Numeric n) {
                child[d] = sbx(a[d], b[d], n.low(), n.high(), options.crossoverEta(), random);
            } else {
                child[d] = random.nextDouble() < options.swappingProb() ? b[d] : a[d];
            }
        }
        return child;
    }

    private void mutate(double[] x, Random random) {
        for (int d = 0; d < x.length; d++) {
            if (random.nextDouble() >= mutationProb) continue;
            if (dims.get(d) instanceof Dimension.Numeric n) {
                x[d] = polynomialMutation(x[d], n.low(), n.high(), options.mutationEta(), random);
            } else {
                x[d] = random.nextInt(((Dimension.Categorical) dims.get(d)).size());
            }
        }
    }

    /**
     * Simulated binary crossover with bounds (Deb and Agrawal 1995; the bounded form of Deb's NSGA-II
     * code): each parameter is crossed with probability ½, and the child is one of the two offspring.
     */
    static double sbx(double y1, double y2, double low, double high, double eta, Random random) {
        double r1 = random.nextDouble();
        double r2 = random.nextDouble();
        double pick = random.nextDouble();
        if (r1 > 0.5 || Math.abs(y1 - y2) < 1e-14 || high <= low) return y1;
        double a = Math.min(y1, y2);
        double b = Math.max(y1, y2);
        double c1 = 0.5 * ((a + b) - spread(1 + 2 * (a - low) / (b - a), eta, r2) * (b - a));
        double c2 = 0.5 * ((a + b) + spread(1 + 2 * (high - b) / (b - a), eta, r2) * (b - a));
        double c = pick < 0.5 ? c1 : c2;
        return Math.min(high, Math.max(low, c));
    }

    private static double spread(double beta, double eta, double u) {
        double alpha = 2 - Math.pow(beta, -(eta + 1));
        return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
    }

    /** Polynomial mutation with bounds (Deb and Goyal 1996). */
    static double polynomialMutation(double y, double low, double high, double eta, Random random) {
        double u = random.nextDouble();
        if (high <= low) return y;
        double d1 = (y - low) / (high - low);
        double d2 = (high - y) / (high - low);
        double power = 1 / (eta + 1);
        double dq;
        if (u < 0.5) {
            double v = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
            dq = Math.pow(v, power) - 1;
        } else {
            double v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
            dq = 1 - Math.pow(v, power);
        }
        return Math.min(high, Math.max(low, y + dq * (high - low)));
    }

    /** The params on the parameters' lines, or null when one does not fit the space. */
    private double[] internal(Params params) {
        double[] x = new double[dims.size()];
        for (int d = 0; d < x.length; d++) {
            x[d] = dims.get(d).toInternal(params.get(dims.get(d).name()));
            if (Double.isNaN(x[d])) return null;
        }
        return x;
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
            NsgaOptions.parse(options, violations);
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objective objective) {
            return create(options, space, seed, Objectives.of(objective));
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objectives objectives) {
            Violations v = new Violations();
            NsgaOptions parsed = NsgaOptions.parse(options, v)
                    .orElseThrow(() -> new IllegalArgumentException(String.join("; ", v.messages())));
            return new NsgaTwoSearch(space, parsed, objectives, seed);
        }
    }
}
