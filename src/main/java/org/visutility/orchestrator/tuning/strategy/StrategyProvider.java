package org.visutility.orchestrator.tuning.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.ProviderVersions;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

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
}
