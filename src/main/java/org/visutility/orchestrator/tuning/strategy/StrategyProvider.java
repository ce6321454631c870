package org.visutility.orchestrator.tuning.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.ProviderVersions;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.pareto.Objectives;

/**
 * A search strategy by name ({@code strategy.name} in a spec). Register implementations in
 * {@code META-INF/services/org.visutility.orchestrator.tuning.strategy.StrategyProvider}.
 */
public interface StrategyProvider {
    String name();

    /**
     * The version of this strategy's code, recorded with every experiment that uses it (the same
     * seed gives the same proposals only with the same version). Default: {@link ProviderVersions#of}.
     */
    default String version() {
        return ProviderVersions.of(getClass());
    }

    /**
     * Checks the strategy's options ({@code options} is the whole {@code strategy} mapping, name and
     * seed included) and whether it can search {@code space}; records problems under the path
     * {@code strategy}.
     */
    void validate(ObjectNode options, SearchSpace space, Violations violations);

    /**
     * What the strategy does with {@code strategy.warm_start} (the engine strips that key from the
     * options before {@link #validate} and {@link #create}). Default: it ignores the earlier trials.
     */
    default WarmStartUse warmStartUse() {
        return WarmStartUse.IGNORES;
    }

    SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objective objective);

    /**
     * Whether the strategy can search with several objectives ({@code objective:} a list). Strategies
     * that never look at scores (random, grid) can; a learning one must say so and implement
     * {@link #create(ObjectNode, SearchSpace, long, Objectives)}. Default: no (the spec is refused).
     */
    default boolean severalObjectives() {
        return false;
    }

    /**
     * The strategy for the spec's objectives (in the spec's order). Default: the single-objective
     * {@link #create(ObjectNode, SearchSpace, long, Objective)} with the first, for a strategy that
     * does not look at scores or has one objective.
     */
    default SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objectives objectives) {
        if (objectives.size() > 1 && !severalObjectives()) {
            throw new IllegalArgumentException("strategy " + name() + " optimizes a single objective, not " + objectives.size());
        }
        return create(options, space, seed, objectives.get(0));
    }
}
