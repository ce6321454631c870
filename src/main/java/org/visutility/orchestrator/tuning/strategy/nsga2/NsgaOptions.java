package org.visutility.orchestrator.tuning.strategy.nsga2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Optional;

/**
 * The {@code strategy: {name: nsga2, ...}} options; the defaults are Optuna's NSGAIISampler's.
 *
 * @param populationSize trials per generation, and the parents kept from one generation to the next
 * @param crossoverProb  the chance a child is bred from two parents rather than copied from one
 * @param swappingProb   in a crossover, the chance a categorical parameter comes from the second parent
 * @param mutationProb   each parameter's chance to mutate; null: 1 / the number of parameters
 * @param crossoverEta   SBX's distribution index (larger: children nearer their parents)
 * @param mutationEta    polynomial mutation's distribution index
 */
public record NsgaOptions(int populationSize, double crossoverProb, double swappingProb, Double mutationProb,
                          double crossoverEta, double mutationEta) {
    public static final int DEFAULT_POPULATION = 50;
    public static final int MAX_POPULATION = 10_000;
    static final String[] KEYS = {"name", "seed", "population_size", "crossover_prob", "swapping_prob", "mutation_prob",
            "crossover_eta", "mutation_eta"};

    public static NsgaOptions defaults() {
        return new NsgaOptions(DEFAULT_POPULATION, 0.9, 0.5, null, 20, 20);
    }

    /** Reads the options, recording every problem under {@code strategy}; empty when there was one. */
    public static Optional<NsgaOptions> parse(ObjectNode s, Violations v) {
        int before = v.size();
        Fields.onlyKeys(s, "strategy", v, KEYS);
        NsgaOptions d = defaults();
        int population = Fields.wholeNumber(s, "population_size", "strategy", v, false, 2, MAX_POPULATION)
                .map(Long::intValue).orElse(d.populationSize());
        double crossover = probability(s, "crossover_prob", d.crossoverProb(), v);
        double swapping = probability(s, "swapping_prob", d.swappingProb(), v);
        Double mutation = s.has("mutation_prob") ? probability(s, "mutation_prob", 0, v) : null;
        double crossoverEta = eta(s, "crossover_eta", d.crossoverEta(), v);
        double mutationEta = eta(s, "mutation_eta", d.mutationEta(), v);
        if (v.size() > before) return Optional.empty();
        return Optional.of(new NsgaOptions(population, crossover, swapping, mutation, crossoverEta, mutationEta));
    }

    private static double probability(ObjectNode s, String key, double fallback, Violations v) {
        Optional<Double> p = Fields.number(s, key, "strategy", v, false);
        if (p.isPresent() && !(p.get() >= 0 && p.get() <= 1)) {
            v.add("strategy." + key, "must be a probability from 0 to 1 (is " + p.get() + ")");
        }
        return p.orElse(fallback);
    }

    private static double eta(ObjectNode s, String key, double fallback, Violations v) {
        Optional<Double> e = Fields.number(s, key, "strategy", v, false);
        if (e.isPresent() && !(e.get() >= 0 && e.get() <= 1000)) {
            v.add("strategy." + key, "must be from 0 to 1000 (is " + e.get() + ")");
        }
        return e.orElse(fallback);
    }
}
