package org.visutility.orchestrator.tuning.pruning;

import org.visutility.orchestrator.tuning.NamedServices;

/** The pruning rules on the class path, by name. */
public final class Pruners {
    private static final NamedServices<PrunerProvider> PROVIDERS =
            NamedServices.load(PrunerProvider.class, "pruning rule", PrunerProvider::rule);

    private Pruners() {
    }

    public static NamedServices<PrunerProvider> all() {
        return PROVIDERS;
    }
}
