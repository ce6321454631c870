package org.visutility.orchestrator.tuning.strategy;

/** What a strategy does with {@code strategy.warm_start}: the completed trials of earlier experiments. */
public enum WarmStartUse {
    /** They are prior observations (TPE: in its good/bad split); see {@link WarmStartedStrategy}. */
    LEARNS,
    /** It proposes without them (random search); only the baseline first trial applies. */
    IGNORES,
    /** The spec is refused: the strategy cannot take a first trial it did not propose (a grid covers its points exactly once). */
    REFUSES
}
