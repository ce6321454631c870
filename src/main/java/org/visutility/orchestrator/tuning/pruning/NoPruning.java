package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Violations;

/** The rule {@code none}: every trial runs to its end. Registered in META-INF/services. */
public final class NoPruning implements PrunerProvider {
    public static final String RULE = "none";

    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public void validate(ObjectNode options, Violations violations) {
        Fields.onlyKeys(options, "pruning", violations, "rule");
    }

    @Override
    public Pruner create(ObjectNode options, Objective objective) {
        return Pruner.NEVER;
    }
}
