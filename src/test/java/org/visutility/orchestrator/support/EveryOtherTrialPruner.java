package org.visutility.orchestrator.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.pruning.Pruner;
import org.visutility.orchestrator.tuning.pruning.PrunerProvider;

/**
 * A test pruning rule ({@code test-odd-trials}, registered through the pruning SPI from the test
 * class path): prunes odd-numbered trials once they reported {@code after_step}. It shows that a
 * rule slots in without engine changes and that the engine honours its verdict.
 */
public final class EveryOtherTrialPruner implements PrunerProvider {
    @Override
    public String rule() {
        return "test-odd-trials";
    }

    @Override
    public void validate(ObjectNode options, Violations v) {
        Fields.onlyKeys(options, "pruning", v, "rule", "after_step");
        Fields.wholeNumber(options, "after_step", "pruning", v, true, 0, 1000);
    }

    @Override
    public Pruner create(ObjectNode options, Objective objective) {
        long afterStep = options.get("after_step").asLong();
        return (number, reports, finished) -> number % 2 == 1 && reports.get(reports.size() - 1).step() >= afterStep;
    }
}
