package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

/**
 * A trainer by type ({@code trainer.type} in a spec). Register implementations in
 * {@code META-INF/services/org.visutility.orchestrator.tuning.trainer.TrainerProvider}.
 */
public interface TrainerProvider {
    String type();

    /** Checks the trainer's options ({@code options} is the whole {@code trainer} mapping); records problems under {@code trainer}. */
    void validate(ObjectNode options, Violations violations);

    /** A trainer for one run of an experiment that searches {@code space}. */
    Trainer create(ObjectNode options, SearchSpace space);
}
