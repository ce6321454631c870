package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Violations;

/**
 * A pruning rule by name ({@code pruning.rule} in a spec). Register implementations in
 * {@code META-INF/services/org.visutility.orchestrator.tuning.pruning.PrunerProvider}.
 */
public interface PrunerProvider {
    String rule();

    /** Checks the rule's options ({@code options} is the whole {@code pruning} mapping); records problems under {@code pruning}. */
    void validate(ObjectNode options, Violations violations);

    Pruner create(ObjectNode options, Objective objective);
}
