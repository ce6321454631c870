package org.visutility.orchestrator.tuning.strategy;

import org.visutility.orchestrator.tuning.NamedServices;

/** The strategies on the class path, by name. */
public final class Strategies {
    private static final NamedServices<StrategyProvider> PROVIDERS =
            NamedServices.load(StrategyProvider.class, "strategy", StrategyProvider::name);

    private Strategies() {
    }

    public static NamedServices<StrategyProvider> all() {
        return PROVIDERS;
    }
}
